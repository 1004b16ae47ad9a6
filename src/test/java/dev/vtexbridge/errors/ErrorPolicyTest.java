package dev.vtexbridge.errors;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one error policy, end to end: a flow consuming a durable queue and calling a remote that misbehaves.
 * The test profile shortens redelivery delays (3 redeliveries, 20 ms doubling) and the default Retry-After.
 */
class ErrorPolicyTest extends EngineTest {

    @Autowired
    ProducerTemplate producer;
    @Autowired
    CamelContext camel;
    @Autowired
    SecretRedactor redactor;

    OpsClient ops;

    @BeforeEach
    void opsClient() {
        ops = new OpsClient(engineUrl(""), OPS_TOKEN);
    }

    @Test
    void transientFailuresAreRedeliveredAndDeliverOnce() {
        String id = uniqueId();
        String path = "/deliver/" + id;
        remote.stubFor(post(urlPathEqualTo(path)).inScenario(id).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("second"));
        remote.stubFor(post(urlPathEqualTo(path)).inScenario(id).whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(500)).willSetStateTo("healthy"));
        remote.stubFor(post(urlPathEqualTo(path)).inScenario(id).whenScenarioStateIs("healthy")
                .willReturn(aResponse().withStatus(200)));

        send("test.remote-delivery", id, "{\"n\":1}");

        await().atMost(Duration.ofSeconds(20)).until(() -> requestsTo(path).size() == 3);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> requestsTo(path).size() == 3);
        assertThat(failedRowsMentioning(id)).isZero();
    }

    @Test
    void http429IsRetriedAfterRetryAfterWhileOtherMessagesFlow() {
        String limited = uniqueId();
        String other = uniqueId();
        remote.stubFor(post(urlPathEqualTo("/deliver/" + limited)).inScenario(limited).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("allowed"));
        remote.stubFor(post(urlPathEqualTo("/deliver/" + limited)).inScenario(limited).whenScenarioStateIs("allowed")
                .willReturn(aResponse().withStatus(200)));
        remote.stubFor(post(urlPathEqualTo("/deliver/" + other)).willReturn(aResponse().withStatus(200)));

        send("test.remote-delivery", limited, "{\"limited\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsTo("/deliver/" + limited).size() == 1);
        send("test.remote-delivery", other, "{\"limited\":false}");

        await().atMost(Duration.ofSeconds(20)).until(() -> requestsTo("/deliver/" + limited).size() == 2);
        List<LoggedRequest> attempts = requestsTo("/deliver/" + limited);
        long waitedMs = attempts.get(1).getLoggedDate().getTime() - attempts.get(0).getLoggedDate().getTime();
        assertThat(waitedMs).as("second attempt waits for Retry-After").isGreaterThanOrEqualTo(2000);
        LoggedRequest otherDelivery = requestsTo("/deliver/" + other).get(0);
        assertThat(otherDelivery.getLoggedDate()).as("other messages flow meanwhile")
                .isBefore(attempts.get(1).getLoggedDate());
        assertThat(attempts.get(1).getBodyAsString()).isEqualTo("{\"limited\":true}");
        assertThat(failedRowsMentioning(limited)).isZero();
    }

    @Test
    void terminalFailureIsStoredAtOnceAndReplayDeliversIt() {
        String id = uniqueId();
        String path = "/deliver/" + id;
        remote.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(400).withBody("{\"error\":\"unknown sku " + id + "\"}")));

        send("test.remote-delivery", id, "{\"sku\":\"" + id + "\"}");

        JsonNode row = awaitFailedRow(id);
        assertThat(requestsTo(path)).as("a 4xx is not redelivered").hasSize(1);
        assertThat(row.get("attempts").asInt()).isEqualTo(1);
        assertThat(row.get("httpStatus").asInt()).isEqualTo(400);
        assertThat(row.get("errorMessage").asText()).contains("HTTP 400").contains("unknown sku " + id);
        assertThat(row.get("routeId").asText()).isEqualTo("remote-delivery");
        assertThat(row.get("entryEndpoint").asText()).startsWith("jms://queue:test.remote-delivery");
        assertThat(row.get("failedStep").asText()).contains(path);
        assertThat(row.get("body").asText()).isEqualTo("{\"sku\":\"" + id + "\"}");
        long rowId = row.get("id").asLong();

        OpsClient.Answer dryRun = ops.post("/ops/api/failed/replay?dryRun=true&route=remote-delivery&error=" + id);
        assertThat(dryRun.status()).isEqualTo(200);
        assertThat(dryRun.json().get("matched").asLong()).isEqualTo(1);
        assertThat(dryRun.json().get("replayed").asLong()).isZero();
        assertThat(ops.get("/ops/api/failed/" + rowId).json().get("status").asText()).isEqualTo("FAILED");
        assertThat(requestsTo(path)).hasSize(1);

        // Replaying into a remote that still refuses updates the same row.
        assertThat(ops.post("/ops/api/failed/" + rowId + "/replay").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ops.get("/ops/api/failed/" + rowId).json().get("attempts").asInt() == 2);
        assertThat(ops.get("/ops/api/failed/" + rowId).json().get("status").asText()).isEqualTo("FAILED");
        assertThat(failedRowsMentioning(id)).isEqualTo(1);

        remote.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)));
        OpsClient.Answer replay = ops.post("/ops/api/failed/" + rowId + "/replay");
        assertThat(replay.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsTo(path).size() == 3);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() ->
                ops.get("/ops/api/failed/" + rowId).json().get("status").asText().equals("REPLAYED"));
        JsonNode replayed = ops.get("/ops/api/failed/" + rowId).json();
        assertThat(replayed.get("history").findValuesAsText("action"))
                .containsExactly("FAILED", "REPLAYED", "FAILED", "REPLAYED");
        assertThat(requestsTo(path).get(2).getBodyAsString()).isEqualTo("{\"sku\":\"" + id + "\"}");
        assertThat(ops.post("/ops/api/failed/" + rowId + "/replay").status()).as("only FAILED rows replay").isEqualTo(409);
    }

    @Test
    void failedRowsNeverHoldTheVtexAppToken() {
        String sku = uniqueId();
        String path = "/api/notificator/bridgeseller/changenotification/" + sku + "/price";
        remote.stubFor(post(urlPathMatching(path)).willReturn(aResponse().withStatus(403).withBody("forbidden for " + sku)));

        producer.sendBodyAndHeaders("jms:queue:test.vtex-delivery", "echo " + VTEX_APP_TOKEN,
                Map.of("skuId", sku, "Authorization", "Bearer abc", "X-VTEX-API-AppToken", VTEX_APP_TOKEN));

        JsonNode row = awaitFailedRow(sku);
        assertThat(requestsTo(path).get(0).getHeader("X-VTEX-API-AppToken")).as("sent to VTEX").isEqualTo(VTEX_APP_TOKEN);
        assertThat(requestsTo(path).get(0).getHeader("X-VTEX-API-AppKey")).isEqualTo("vtexappkey-testmarketplace-ABCDEF");
        String stored = ops.get("/ops/api/failed/" + row.get("id").asLong()).body();
        assertThat(stored).doesNotContain(VTEX_APP_TOKEN).doesNotContain("Bearer abc").contains("[redacted]");
        String rawRow = jdbc.queryForList("SELECT * FROM failed_message WHERE id = ?", row.get("id").asLong()).toString();
        assertThat(rawRow).doesNotContain(VTEX_APP_TOKEN);
    }

    @Test
    void failedRowsNeverHoldTheErpWebhookTokenOrANamedOpsToken() {
        String sku = uniqueId();
        String path = "/api/notificator/bridgeseller/changenotification/" + sku + "/price";
        String secrets = "erp test-erp-token, alice test-alice-token";
        remote.stubFor(post(urlPathMatching(path)).willReturn(aResponse().withStatus(403)
                .withBody("forbidden for " + sku + ", echoing " + secrets)));

        producer.sendBodyAndHeaders("jms:queue:test.vtex-delivery", "pasted by mistake: " + secrets,
                Map.of("skuId", sku, "X-Note", secrets));

        JsonNode row = awaitFailedRow(sku);
        JsonNode stored = ops.get("/ops/api/failed/" + row.get("id").asLong()).json();
        assertThat(stored.get("body").asText()).isEqualTo("pasted by mistake: erp [redacted], alice [redacted]");
        assertThat(stored.get("errorMessage").asText()).endsWith("echoing erp [redacted], alice [redacted]");
        assertThat(stored.toString()).contains("erp [redacted], alice [redacted]")
                .doesNotContain("test-erp-token").doesNotContain("test-alice-token");
        String rawRow = jdbc.queryForList("SELECT * FROM failed_message WHERE id = ?", row.get("id").asLong()).toString();
        assertThat(rawRow).doesNotContain("test-erp-token").doesNotContain("test-alice-token");
    }

    @Test
    void aBatchConsumersDeliveryIsCapturedAsAJsonArrayOfItsRecordsSoItCanBeReplayedAsOneMessage() {
        Exchange batch = new DefaultExchange(camel);
        batch.getIn().setBody(List.of(record("{\"sku\":\"A\"}"), record("{\"sku\":\"B\"}")));

        assertThat(CapturedMessage.of(batch, redactor).body()).isEqualTo("[{\"sku\":\"A\"},{\"sku\":\"B\"}]");
    }

    private Exchange record(String body) {
        Exchange record = new DefaultExchange(camel);
        record.getIn().setBody(body);
        return record;
    }

    private void send(String queue, String messageId, String body) {
        producer.sendBodyAndHeader("jms:queue:" + queue, body, "messageId", messageId);
    }

    private JsonNode awaitFailedRow(String text) {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ops.get("/ops/api/failed?error=" + text).json().get("total").asLong() == 1);
        return ops.get("/ops/api/failed?error=" + text).json().get("items").get(0);
    }

    private static List<LoggedRequest> requestsTo(String path) {
        return remote.findAll(postRequestedFor(urlPathEqualTo(path)));
    }

    private long failedRowsMentioning(String text) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM failed_message WHERE headers LIKE ? OR error_message LIKE ?",
                Long.class, "%" + text + "%", "%" + text + "%");
    }

    private static String uniqueId() {
        return "m-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
