package dev.vtexbridge.connections;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ops per connection on the shared engine: each connection's last VTEX calls and failed messages in
 * {@code GET /ops/api/connections}, and the audit trail and replay jobs narrowed to one connection. The test flows
 * {@code vtex-delivery} (a VTEX call the engine's way) and {@code remote-delivery} (test-routes) carry the connection
 * in header {@code BridgeConnection}.
 */
class ConnectionOpsTest extends EngineTest {

    @Autowired
    ProducerTemplate producer;

    OpsClient ops;

    @BeforeEach
    void opsClient() {
        ops = new OpsClient(engineUrl(""), OPS_TOKEN);
    }

    @Test
    void eachConnectionShowsItsLastSuccessfulAndFailedVtexCallAndItsFailedMessages() {
        String ok = uniqueId();
        String refused = uniqueId();
        remote.stubFor(post(urlPathEqualTo(notification(ok))).willReturn(aResponse().withStatus(200)));
        remote.stubFor(post(urlPathEqualTo(notification(refused))).willReturn(aResponse().withStatus(401).withBody("bad key")));
        long outletFailedBefore = connection("outlet").get("failedMessages").asLong();
        long defaultFailedBefore = connection("default").get("failedMessages").asLong();
        Instant sentAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        sendVtexCall(ok, "outlet");
        await().atMost(Duration.ofSeconds(10)).until(() -> !connection("outlet").get("lastSuccessfulCall").isNull()
                && !Instant.parse(connection("outlet").at("/lastSuccessfulCall/at").asText()).isBefore(sentAt));
        sendVtexCall(refused, "outlet");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                connection("outlet").get("failedMessages").asLong() == outletFailedBefore + 1);

        JsonNode outlet = connection("outlet");
        JsonNode success = outlet.get("lastSuccessfulCall");
        assertThat(success.get("status").asInt()).isBetween(200, 299);
        assertThat(success.get("family").asText()).isEqualTo("notificator");
        JsonNode failure = outlet.get("lastFailedCall");
        assertThat(failure.get("status").asInt()).isEqualTo(401);
        assertThat(failure.get("family").asText()).isEqualTo("notificator");
        assertThat(Instant.parse(failure.get("at").asText())).isAfterOrEqualTo(sentAt);
        assertThat(connection("default").get("failedMessages").asLong()).as("another connection's").isEqualTo(defaultFailedBefore);
        JsonNode retired = connection("retired");
        assertThat(retired.get("lastSuccessfulCall").isNull()).as("never called").isTrue();
        assertThat(retired.get("lastFailedCall").isNull()).isTrue();
        assertThat(retired.get("failedMessages").asLong()).isZero();
        assertThat(ops.get("/ops/api/connections").body()).doesNotContain("TEST-OUTLET-VTEX-APP-TOKEN");
    }

    @Test
    void theAuditTrailAndTheReplayJobsNarrowToOneConnection() {
        String batch = "a-" + uniqueId();
        remote.stubFor(post(urlPathMatching("/deliver/" + batch + "-.*")).willReturn(aResponse().withStatus(422).withBody("rejected")));
        deliver(batch + "-outlet-1", "outlet");
        deliver(batch + "-outlet-2", "outlet");
        deliver(batch + "-default-1", null);
        deliver(batch + "-default-2", null);
        await().atMost(Duration.ofSeconds(15)).until(() ->
                ops.get("/ops/api/failed?status=FAILED&error=" + batch).json().get("total").asLong() == 4);
        long outletOne = idOf(batch, "outlet", 0);
        long defaultOne = idOf(batch, "default", 0);

        assertThat(ops.post("/ops/api/failed/" + outletOne + "/discard", "{\"reason\":\"test\"}").status()).isEqualTo(200);
        assertThat(ops.post("/ops/api/failed/" + defaultOne + "/discard", "{\"reason\":\"test\"}").status()).isEqualTo(200);
        OpsClient.Answer started = ops.post("/ops/api/replay-jobs?connection=outlet&error=" + batch);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        long outletJob = started.json().get("id").asLong();
        assertThat(started.json().get("filter").asText()).contains("connection=outlet");
        long defaultJob = ops.post("/ops/api/replay-jobs?connection=default&error=" + batch).json().get("id").asLong();
        await().atMost(Duration.ofSeconds(15)).until(() ->
                "DONE".equals(ops.get("/ops/api/replay-jobs/" + outletJob).json().get("status").asText())
                        && "DONE".equals(ops.get("/ops/api/replay-jobs/" + defaultJob).json().get("status").asText()));

        List<String> outletTargets = targets("/ops/api/audit?connection=outlet&size=200&since=" + Instant.now().minusSeconds(600));
        assertThat(outletTargets).contains("failed-message " + outletOne)
                .anySatisfy(target -> assertThat(target).startsWith("replay-job " + outletJob + ": failed-messages connection=outlet"))
                .doesNotContain("failed-message " + defaultOne)
                .noneSatisfy(target -> assertThat(target).startsWith("replay-job " + defaultJob))
                .noneSatisfy(target -> assertThat(target).isIn("mappings", "routes"));
        assertThat(targets("/ops/api/audit?connection=default&size=200&since=" + Instant.now().minusSeconds(600)))
                .contains("failed-message " + defaultOne).doesNotContain("failed-message " + outletOne);

        List<Long> outletJobs = ops.get("/ops/api/replay-jobs?connection=outlet&size=100").json().findValuesAsText("id")
                .stream().map(Long::parseLong).toList();
        assertThat(outletJobs).contains(outletJob).doesNotContain(defaultJob);
        assertThat(ops.get("/ops/api/replay-jobs?connection=default&size=100").json().findValuesAsText("id"))
                .contains(String.valueOf(defaultJob)).doesNotContain(String.valueOf(outletJob));
    }

    private JsonNode connection(String id) {
        for (JsonNode item : ops.get("/ops/api/connections").json().get("items")) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("no connection " + id);
    }

    private long idOf(String batch, String connection, int index) {
        return ops.get("/ops/api/failed?status=FAILED&sort=id&error=" + batch + "&connection=" + connection).json()
                .get("items").get(index).get("id").asLong();
    }

    private List<String> targets(String path) {
        OpsClient.Answer answer = ops.get(path);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> targets = new ArrayList<>();
        answer.json().get("items").forEach(entry -> targets.add(entry.get("target").asText()));
        return targets;
    }

    private void sendVtexCall(String sku, String connection) {
        producer.sendBodyAndHeaders("jms:queue:test.vtex-delivery", "{}", Map.of("skuId", sku, Connection.HEADER, connection));
    }

    private void deliver(String messageId, String connection) {
        producer.sendBodyAndHeaders("jms:queue:test.remote-delivery", "{}", connection == null
                ? Map.of("messageId", messageId) : Map.of("messageId", messageId, Connection.HEADER, connection));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !remote.findAll(postRequestedFor(urlPathEqualTo("/deliver/" + messageId))).isEmpty());
    }

    private static String notification(String sku) {
        return "/api/notificator/bridgeseller/changenotification/" + sku + "/price";
    }

    private static String uniqueId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
