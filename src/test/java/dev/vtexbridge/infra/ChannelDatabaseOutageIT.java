package dev.vtexbridge.infra;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vtexbridge.config.ChannelConfiguration;
import dev.vtexbridge.metrics.Backlog;
import dev.vtexbridge.testkit.EmbeddedPostgresSupport;
import dev.vtexbridge.testkit.EngineLauncher;
import dev.vtexbridge.testkit.OpsClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message whose failure cannot even be stored (the engine's PostgreSQL refuses connections) is rolled back and
 * comes back with the broker's delay; after {@value #PARK_AFTER} such deliveries it is parked on its queue's
 * {@code .parked} queue, and the queue goes on with the next message. The parked message waits there, redelivered
 * past the 10 attempts after which Artemis would by default move it to the DLQ, until the database is back; then it
 * is in the failed-message store and can be replayed. The Kafka side of the same promise is in {@link KafkaChannelIT}.
 * <p>
 * The consumer is the test route {@code channel-delivery} under the real error policy; the remote refuses the message
 * (HTTP 400, terminal), so its failure goes to the failed-message store. Short pool and redelivery timings keep the
 * rolled-back deliveries to seconds.
 */
class ChannelDatabaseOutageIT {

    private static final String REMOTE_PATH = "/channel-delivery";
    private static final int PARK_AFTER = 3;
    private static final String CHANNEL = "test-delivery";

    private static final WireMockServer remote = new WireMockServer(options().dynamicPort());
    private static EmbeddedPostgresSupport.Database database;
    private static ConfigurableApplicationContext engine;

    @BeforeAll
    static void startEngine() {
        remote.start();
        database = EmbeddedPostgresSupport.newDatabase();
        engine = EngineLauncher.start("channel-outage", Map.of(
                "spring.datasource.url", database.jdbcUrl(),
                "spring.datasource.username", database.username(),
                "spring.datasource.password", database.password(),
                "spring.datasource.hikari.connection-timeout", "250",
                "bridge.broker.redelivery-delay", "10",
                "bridge.broker.redelivery-multiplier", "1",
                "bridge.errors.park-after", String.valueOf(PARK_AFTER),
                "test.remote-url", remote.baseUrl(),
                "test.channel-delivery.enabled", "true"));
    }

    @AfterAll
    static void stopAll() {
        if (engine != null) {
            engine.close();
        }
        remote.stop();
    }

    @Test
    void aFailureThatCannotBeStoredIsParkedTheQueueGoesOnAndTheStoreTakesItOnceTheDatabaseIsBack() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String refused = "outage-" + id;
        String later = "after-outage-" + id;
        remote.stubFor(post(REMOTE_PATH).withRequestBody(equalTo(refused))
                .willReturn(aResponse().withStatus(400).withBody("unknown sku " + id)));
        remote.stubFor(post(REMOTE_PATH).withRequestBody(equalTo(later)).willReturn(ok()));
        MeterRegistry registry = engine.getBean(MeterRegistry.class);
        double parkedBefore = registry.get("bridge.messages.parked").tag("channel", CHANNEL).counter().count();

        database.allowConnections(false);
        try {
            try (ProducerTemplate producer = engine.getBean(CamelContext.class).createProducerTemplate()) {
                producer.sendBodyAndHeaders("{{bridge.channels.test-delivery}}", refused,
                        Map.of("skuId", id, ChannelConfiguration.MESSAGE_KEY, "SKU-" + id));
                producer.sendBodyAndHeaders("{{bridge.channels.test-delivery}}", later,
                        Map.of(ChannelConfiguration.MESSAGE_KEY, "SKU-later-" + id));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            await("the later message delivered").atMost(Duration.ofSeconds(60)).until(() -> !requests(later).isEmpty());
            await("delivered park-after times, then parked").atMost(Duration.ofSeconds(60))
                    .until(() -> parked(registry) == 1.0);
            assertThat(registry.get("bridge.messages.parked").tag("channel", CHANNEL).counter().count() - parkedBefore)
                    .isEqualTo(1.0);
            // Parked while the database stays down: not delivered to the flow again, not dropped by the broker's DLQ.
            await("parked, waiting for the store").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> parked(registry) == 1.0 && requests(refused).size() == PARK_AFTER);
            assertThat(engine.getBean(Backlog.class).depth(CHANNEL)).as("the channel's own queue").isZero();
        } finally {
            database.allowConnections(true);
        }

        OpsClient ops = new OpsClient(EngineLauncher.baseUrl(engine), "test-ops-token");
        await("the refusal stored once the database is back").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ops.get("/ops/api/failed?error=" + id).json().path("total").asLong()).isEqualTo(1));
        long rowId = ops.get("/ops/api/failed?error=" + id).json().path("items").path(0).get("id").asLong();
        JsonNode stored = ops.get("/ops/api/failed/" + rowId).json();
        assertThat(stored.get("status").asText()).isEqualTo("FAILED");
        assertThat(stored.get("attempts").asInt()).isEqualTo(PARK_AFTER);
        assertThat(stored.get("routeId").asText()).isEqualTo("channel-delivery");
        assertThat(stored.get("entryEndpoint").asText()).startsWith("jms://queue:bridge.test.delivery");
        assertThat(stored.get("errorMessage").asText()).contains("HTTP 400").contains("unknown sku " + id).contains("parked");
        assertThat(stored.get("body").asText()).isEqualTo(refused);
        assertThat(stored.get("headers").asText()).contains("\"skuId\":\"" + id + "\"");
        await("the parked queue empty").atMost(Duration.ofSeconds(10)).until(() -> parked(registry) == 0.0);

        remote.stubFor(post(REMOTE_PATH).withRequestBody(equalTo(refused)).willReturn(ok()));
        assertThat(ops.post("/ops/api/failed/" + rowId + "/replay").status()).isEqualTo(200);
        await("the replay delivered").atMost(Duration.ofSeconds(30)).until(() -> requests(refused).size() == PARK_AFTER + 1);
        assertThat(requests(refused).get(PARK_AFTER).getHeader("skuId")).isEqualTo(id);
        await("the row replayed").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() ->
                ops.get("/ops/api/failed/" + rowId).json().get("status").asText().equals("REPLAYED"));
    }

    /** The gauge of the channel's parked queue. */
    private static double parked(MeterRegistry registry) {
        return registry.get("bridge.parked.messages").tag("channel", CHANNEL).gauge().value();
    }

    private static List<LoggedRequest> requests(String body) {
        return remote.findAll(postRequestedFor(urlEqualTo(REMOTE_PATH)).withRequestBody(equalTo(body)));
    }
}
