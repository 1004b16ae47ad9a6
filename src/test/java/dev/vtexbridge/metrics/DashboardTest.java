package dev.vtexbridge.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.cluster.EngineInstances;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ops dashboard and the Prometheus metrics, driven through real flows on the shared engine. Other tests use the
 * same engine, so counts are compared before and after. The test flow {@code vtex-delivery} (test-routes) calls the
 * VTEX stand-in the engine's way; only these tests and the error-policy tests send to it.
 */
class DashboardTest extends EngineTest {

    private static final String FLOW = "vtex-delivery";

    @Autowired
    ProducerTemplate producer;
    @Value("${bridge.channels.test-delivery}")
    String testChannel;
    @Autowired
    SharedCounts sharedCounts;
    @Autowired
    EngineInstances instances;

    OpsClient ops;

    @BeforeEach
    void opsClient() {
        ops = new OpsClient(engineUrl(""), OPS_TOKEN);
    }

    @Test
    void theDashboardNeedsTheOpsToken() {
        OpsClient.Answer anonymous = new OpsClient(engineUrl(""), null).get("/ops/api/dashboard");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("error").asText()).isEqualTo("unauthorized");
        assertThat(new OpsClient(engineUrl(""), "wrong-token").get("/ops/api/dashboard").status()).isEqualTo(401);
        assertThat(ops.get("/ops/api/dashboard").status()).isEqualTo(200);
    }

    @Test
    void aFlowsSuccessesAndFailuresShowOnTheDashboardAndInPrometheus() {
        String ok = uniqueId();
        String refused = uniqueId();
        remote.stubFor(post(urlPathEqualTo(notification(ok))).willReturn(aResponse().withStatus(200)));
        remote.stubFor(post(urlPathEqualTo(notification(refused))).willReturn(aResponse().withStatus(400).withBody("unknown sku")));
        JsonNode before = flow(FLOW);
        String scrapeBefore = scrape();
        long failedBefore = dashboard().get("failedMessages").get("FAILED").asLong();
        Instant sentAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        send(ok);
        send(refused);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode now = flow(FLOW);
            assertThat(now.get("in").asLong() - before.get("in").asLong()).as("in").isEqualTo(2);
            assertThat(now.get("out").asLong() - before.get("out").asLong()).as("out").isEqualTo(1);
            assertThat(now.get("failed").asLong() - before.get("failed").asLong()).as("failed").isEqualTo(1);
        });
        JsonNode dashboard = dashboard();
        JsonNode after = flowIn(dashboard, FLOW);
        assertThat(Instant.parse(after.get("lastSuccessAt").asText())).isAfterOrEqualTo(sentAt);
        assertThat(after.get("p95Millis").asDouble()).isPositive();
        assertThat(dashboard.get("failedMessages").get("FAILED").asLong()).as("the refused message is stored")
                .isGreaterThanOrEqualTo(failedBefore + 1);
        assertThat(dashboard.get("health").get("db").asText()).isEqualTo("UP");
        assertThat(dashboard.get("health").get("broker").asText()).isEqualTo("UP");
        assertThat(dashboard.get("health").get("vtex").asText()).as("VTEX answered the last call").isEqualTo("UP");

        String scrapeAfter = scrape();
        String[] labels = {"flow=\"" + FLOW + "\"", "routeId=\"" + FLOW + "\""};
        assertThat(sample(scrapeAfter, "bridge_flow_exchanges_total", with(labels, "outcome=\"completed\""))
                - sample(scrapeBefore, "bridge_flow_exchanges_total", with(labels, "outcome=\"completed\""))).isEqualTo(1);
        assertThat(sample(scrapeAfter, "bridge_flow_exchanges_total", with(labels, "outcome=\"failed\""))
                - sample(scrapeBefore, "bridge_flow_exchanges_total", with(labels, "outcome=\"failed\""))).isEqualTo(1);
        assertThat(sample(scrapeAfter, "bridge_flow_duration_seconds_count", labels)
                - sample(scrapeBefore, "bridge_flow_duration_seconds_count", labels)).isEqualTo(2);
        assertThat(scrapeAfter.lines()).as("histogram buckets for histogram_quantile").anySatisfy(line ->
                assertThat(line).startsWith("bridge_flow_duration_seconds_bucket{").contains(labels).contains("le=\"0.1\""));
    }

    @Test
    void theDashboardOfOneConnectionCountsOnlyItsMessagesAndCalls() {
        String ok = uniqueId();
        String refused = uniqueId();
        String limited = uniqueId();
        remote.stubFor(post(urlPathEqualTo(notification(ok))).willReturn(aResponse().withStatus(200)));
        remote.stubFor(post(urlPathEqualTo(notification(refused))).willReturn(aResponse().withStatus(400).withBody("unknown sku")));
        remote.stubFor(post(urlPathEqualTo(notification(limited))).inScenario(limited).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("allowed"));
        remote.stubFor(post(urlPathEqualTo(notification(limited))).inScenario(limited).whenScenarioStateIs("allowed")
                .willReturn(aResponse().withStatus(200)));
        JsonNode outletBefore = dashboard("outlet");
        JsonNode defaultBefore = dashboard("default");
        JsonNode allBefore = dashboard();
        String[] outletLabels = {"flow=\"" + FLOW + "\"", "family=\"notificator\"", "connection=\"outlet\""};
        double outlet429Before = sample(scrape(), "bridge_vtex_rate_limited_total", outletLabels);

        send(ok, "outlet");
        send(refused, "outlet");
        send(limited, "outlet");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode now = flowIn(dashboard("outlet"), FLOW);
            JsonNode before = flowIn(outletBefore, FLOW);
            assertThat(now.get("in").asLong() - before.get("in").asLong()).as("in: three, and the 429 one again").isEqualTo(4);
            assertThat(now.get("out").asLong() - before.get("out").asLong()).as("out").isEqualTo(2);
            assertThat(now.get("failed").asLong() - before.get("failed").asLong()).as("failed").isEqualTo(1);
        });
        JsonNode outlet = dashboard("outlet");
        assertThat(outlet.get("connection").asText()).isEqualTo("outlet");
        assertThat(outlet.get("failedMessages").get("FAILED").asLong())
                .isEqualTo(outletBefore.get("failedMessages").get("FAILED").asLong() + 1);
        assertThat(outlet.get("vtex429LastHour").asLong()).isEqualTo(outletBefore.get("vtex429LastHour").asLong() + 1);
        assertThat(outlet.get("openOrders").isNumber()).isTrue();
        assertThat(outlet.get("health").get("vtex").asText()).as("its account answered its last call").isEqualTo("UP");
        assertThat(outlet.get("queues")).as("engine-wide").hasSameSizeAs(allBefore.get("queues"));
        assertThat(sample(scrape(), "bridge_vtex_rate_limited_total", outletLabels) - outlet429Before).isEqualTo(1);

        JsonNode main = dashboard("default");
        assertThat(flowIn(main, FLOW).get("in").asLong()).as("none of them is default's")
                .isEqualTo(flowIn(defaultBefore, FLOW).get("in").asLong());
        // (default's own failed count is not compared: the shared engine's other work may store one meanwhile)
        assertThat(jdbc.queryForList("SELECT connection_id FROM failed_message WHERE failed_step LIKE ?", String.class,
                "%" + refused + "%")).as("the refused message is stored as outlet's").containsExactly("outlet");
        assertThat(main.get("vtex429LastHour").asLong()).isEqualTo(defaultBefore.get("vtex429LastHour").asLong());
        JsonNode all = dashboard();
        assertThat(all.get("connection").isNull()).isTrue();
        assertThat(flowIn(all, FLOW).get("in").asLong() - flowIn(allBefore, FLOW).get("in").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(all.get("openOrders").asLong()).isGreaterThanOrEqualTo(outlet.get("openOrders").asLong());

        OpsClient.Answer unknown = ops.get("/ops/api/dashboard?connection=nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("not_found");
        assertThat(unknown.json().get("message").asText()).contains("nope");
    }

    /**
     * What another engine instance on the database counted (its rows in {@code dashboard_minute}) is added to this
     * one's figures, engine-wide and per connection; and this instance shares its own counts there, for the others.
     */
    @Test
    void theDashboardAddsWhatTheOtherInstancesOnTheDatabaseCounted() {
        send(uniqueId(), "outlet");
        await().atMost(Duration.ofSeconds(10)).until(() -> flowIn(dashboard("outlet"), FLOW).get("in").asLong() > 0);
        JsonNode allBefore = dashboard();
        JsonNode outletBefore = dashboard("outlet");
        JsonNode defaultBefore = dashboard("default");
        long minute = Instant.now().getEpochSecond() / 60;
        Instant otherSuccess = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
        // 19 counters a flow minute: in, out, failed, then the latency buckets (here 8 in the one up to 10 ms)
        String flowMinute = "9,7,1,0,0,0,8" + ",0".repeat(12);
        try {
            for (String connection : new String[] {"*", "outlet"}) {
                jdbc.update("INSERT INTO dashboard_minute (instance_id, series, connection_id, at_minute, counts, last_success_at) "
                        + "VALUES ('another-instance', ?, ?, ?, ?, ?)", "flow:" + FLOW, connection, minute - 5, flowMinute,
                        java.sql.Timestamp.from(otherSuccess));
                jdbc.update("INSERT INTO dashboard_minute (instance_id, series, connection_id, at_minute, counts) "
                        + "VALUES ('another-instance', 'vtex-429', ?, ?, '3')", connection, minute - 1);
            }
            // more than an hour ago: not counted
            jdbc.update("INSERT INTO dashboard_minute (instance_id, series, connection_id, at_minute, counts) "
                    + "VALUES ('another-instance', 'vtex-429', '*', ?, '100')", minute - 61);

            for (JsonNode[] view : new JsonNode[][] {{allBefore, dashboard()}, {outletBefore, dashboard("outlet")}}) {
                JsonNode before = flowIn(view[0], FLOW);
                JsonNode after = flowIn(view[1], FLOW);
                assertThat(after.get("in").asLong() - before.get("in").asLong()).as("in").isEqualTo(9);
                assertThat(after.get("out").asLong() - before.get("out").asLong()).as("out").isEqualTo(7);
                assertThat(after.get("failed").asLong() - before.get("failed").asLong()).as("failed").isEqualTo(1);
                assertThat(Instant.parse(after.get("lastSuccessAt").asText())).as("the other's, the later").isEqualTo(otherSuccess);
                assertThat(view[1].get("vtex429LastHour").asLong() - view[0].get("vtex429LastHour").asLong()).isEqualTo(3);
            }
            assertThat(flowIn(dashboard("default"), FLOW).get("in").asLong()).as("none of the other's is default's")
                    .isEqualTo(flowIn(defaultBefore, FLOW).get("in").asLong());

            sharedCounts.share();
            String own = jdbc.queryForObject("SELECT counts FROM dashboard_minute WHERE instance_id = ? AND series = ? "
                    + "AND connection_id = 'outlet' ORDER BY at_minute DESC LIMIT 1", String.class, instances.id(), "flow:" + FLOW);
            assertThat(own.split(",")).as("this instance's counts of its latest minute, shared").hasSize(19);
            assertThat(Long.parseLong(own.split(",")[0])).as("in").isPositive();
        } finally {
            jdbc.update("DELETE FROM dashboard_minute WHERE instance_id = 'another-instance'");
        }
    }

    @Test
    void exchangesStartedOutsideARouteAreTimedBesideTheRoutesOwn() {
        send(uniqueId());

        // The send above is a ProducerTemplate exchange (no route id); the flow's own exchange has one.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = scrape();
            assertThat(sample(scrape, "camel_exchange_event_notifier_seconds_count",
                    "endpointName=\"jms://queue:test.vtex-delivery\"", "routeId=\"\"")).isPositive();
            assertThat(sample(scrape, "camel_exchange_event_notifier_seconds_count", "routeId=\"" + FLOW + "\"")).isPositive();
        });
    }

    /** A call whose URI names a SKU is timed under its host: one series per remote, not one per SKU. */
    @Test
    void httpCallsAreTimedPerHostNotPerSku() {
        remote.stubFor(get(urlPathMatching("/vtex/api/catalog_system/pvt/sku/stockkeepingunitbyid/.*")).willReturn(ok("{}")));
        String first = uniqueId();
        String second = uniqueId();
        producer.sendBodyAndHeader("jms:queue:test.vtex-sku-call", "", "skuId", first);
        producer.sendBodyAndHeader("jms:queue:test.vtex-sku-call", "", "skuId", second);

        String host = "http://" + java.net.URI.create(remote.baseUrl()).getAuthority();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sample(scrape(),
                "camel_exchange_event_notifier_seconds_count", "endpointName=\"" + host + "\"", "routeId=\"vtex-sku-call\""))
                .isGreaterThanOrEqualTo(2));
        assertThat(scrape()).doesNotContain(first).doesNotContain(second);
    }

    @Test
    void vtex429AnswersAreCountedPerFlowAndOtherRemotes429AreNot() {
        String sku = uniqueId();
        remote.stubFor(post(urlPathEqualTo(notification(sku))).inScenario(sku).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("allowed"));
        remote.stubFor(post(urlPathEqualTo(notification(sku))).inScenario(sku).whenScenarioStateIs("allowed")
                .willReturn(aResponse().withStatus(200)));
        String other = uniqueId();
        remote.stubFor(post(urlPathEqualTo("/deliver/" + other)).inScenario(other).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("allowed"));
        remote.stubFor(post(urlPathEqualTo("/deliver/" + other)).inScenario(other).whenScenarioStateIs("allowed")
                .willReturn(aResponse().withStatus(200)));
        String[] labels = {"flow=\"" + FLOW + "\"", "family=\"notificator\""};
        double counted = sample(scrape(), "bridge_vtex_rate_limited_total", labels);
        long lastHour = dashboard().get("vtex429LastHour").asLong();

        send(sku);
        producer.sendBodyAndHeader("jms:queue:test.remote-delivery", "{}", "messageId", other);

        await().atMost(Duration.ofSeconds(15)).until(() ->
                remote.findAll(postRequestedFor(urlPathEqualTo(notification(sku)))).size() == 2
                        && remote.findAll(postRequestedFor(urlPathEqualTo("/deliver/" + other))).size() == 2);
        String scrape = scrape();
        assertThat(sample(scrape, "bridge_vtex_rate_limited_total", labels) - counted).isEqualTo(1);
        assertThat(scrape.lines()).as("a 429 from a remote that is not VTEX")
                .noneMatch(line -> line.startsWith("bridge_vtex_rate_limited_total{") && line.contains("flow=\"remote-delivery\""));
        assertThat(dashboard().get("vtex429LastHour").asLong()).isGreaterThanOrEqualTo(lastHour + 1);
    }

    @Test
    void queueDepthCountsTheMessagesWaitingOnAChannel() {
        long before = queue("test-delivery").get("depth").asLong();

        // the test channel's consumer (channel-delivery) is stopped in this engine, so the messages stay
        producer.sendBody(testChannel, "{\"n\":1}");
        producer.sendBody(testChannel, "{\"n\":2}");

        JsonNode queue = queue("test-delivery");
        assertThat(queue.get("endpoint").asText()).isEqualTo("jms:queue:bridge.test.delivery");
        assertThat(queue.get("depth").asLong()).isEqualTo(before + 2);
        assertThat(sample(scrape(), "bridge_channel_depth", "channel=\"test-delivery\"")).isEqualTo(before + 2);
        assertThat(queue("orders-release").get("depth").isNumber()).as("every JMS channel has a depth").isTrue();
    }

    @Test
    void aStockChangeTheMarketplaceWasNotToldAboutIsWaitingUntilItIsSent() {
        String sku = "M-" + uniqueId();
        OpsClient erp = new OpsClient(engineUrl(""), "test-erp-token");
        String inventory = "/vtex/api/notificator/bridgeseller/changenotification/" + sku + "/inventory";
        remote.stubFor(post(urlPathEqualTo(inventory)).willReturn(aResponse().withStatus(400)));

        assertThat(erp.post("/erp/events/stock", stockEvent(sku, 8)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM offer_sync WHERE sku_id = ? AND erp_stock IS NOT NULL", Integer.class, sku) == 1);
        // the projection just took a change
        assertThat(sample(scrape(), "bridge_projection_age_seconds")).isLessThan(10);
        // as if the marketplace had refused that change since 2020: the oldest one waiting
        jdbc.update("UPDATE offer_stock SET updated_at = ? WHERE sku_id = ?",
                OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), sku);

        JsonNode waiting = dashboard().get("oldestUnsentStockChange");
        assertThat(waiting.get("sku").asText()).isEqualTo(sku);
        assertThat(waiting.get("since").asText()).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(waiting.get("ageSeconds").asLong()).isGreaterThan(Duration.ofDays(365).toSeconds());
        assertThat(sample(scrape(), "bridge_stock_oldest_unsent_age_seconds")).isGreaterThan(Duration.ofDays(365).toSeconds());

        remote.stubFor(post(urlPathEqualTo(inventory)).willReturn(aResponse().withStatus(202)));
        assertThat(erp.post("/erp/events/stock", stockEvent(sku, 20)).status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode oldest = dashboard().get("oldestUnsentStockChange");
            return oldest.isNull() || !oldest.get("sku").asText().equals(sku);
        });
    }

    private void send(String sku) {
        producer.sendBodyAndHeader("jms:queue:test.vtex-delivery", "{}", "skuId", sku);
    }

    private void send(String sku, String connection) {
        producer.sendBodyAndHeaders("jms:queue:test.vtex-delivery", "{}", Map.of("skuId", sku, "BridgeConnection", connection));
    }

    private JsonNode dashboard() {
        return dashboard(null);
    }

    private JsonNode dashboard(String connection) {
        OpsClient.Answer answer = ops.get("/ops/api/dashboard" + (connection == null ? "" : "?connection=" + connection));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private JsonNode flow(String flow) {
        return flowIn(dashboard(), flow);
    }

    private static JsonNode flowIn(JsonNode dashboard, String flow) {
        for (JsonNode row : dashboard.get("flows")) {
            if (row.get("flow").asText().equals(flow)) {
                return row;
            }
        }
        throw new AssertionError("no flow " + flow + " in " + dashboard);
    }

    private JsonNode queue(String channel) {
        for (JsonNode row : dashboard().get("queues")) {
            if (row.get("channel").asText().equals(channel)) {
                return row;
            }
        }
        throw new AssertionError("no channel " + channel);
    }

    private String scrape() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(engineUrl("/actuator/prometheus"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Sum of the samples of a metric whose labels contain all of the given ones (0 when there is none). */
    private static double sample(String scrape, String metric, String... labels) {
        return scrape.lines()
                .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String[] with(String[] labels, String label) {
        String[] all = Arrays.copyOf(labels, labels.length + 1);
        all[labels.length] = label;
        return all;
    }

    private static String notification(String sku) {
        return "/api/notificator/bridgeseller/changenotification/" + sku + "/price";
    }

    private static String stockEvent(String sku, int units) {
        return "{\"sku\":\"" + sku + "\",\"warehouses\":{\"main\":" + units + "},\"updatedAt\":\""
                + OffsetDateTime.now(ZoneOffset.UTC) + "\"}";
    }

    private static String uniqueId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
