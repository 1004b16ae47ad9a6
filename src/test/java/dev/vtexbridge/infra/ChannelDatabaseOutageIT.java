package dev.vtexbridge.infra;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vtexbridge.testkit.EmbeddedPostgresSupport;
import dev.vtexbridge.testkit.EngineLauncher;
import dev.vtexbridge.testkit.OpsClient;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message whose failure cannot even be stored (the engine's PostgreSQL refuses connections) stays on its Artemis
 * channel: the delivery is rolled back and comes back, past the 10 attempts after which Artemis would by default move
 * it to the DLQ, until the database is back and the failure is stored. The Kafka side of the same promise is in
 * {@link KafkaChannelIT}.
 * <p>
 * The consumer is the test route {@code channel-delivery} under the real error policy; the remote refuses the message
 * (HTTP 400, terminal), so each delivery ends in the failed-message store. Short pool and redelivery timings keep the
 * dozen rolled-back deliveries to seconds.
 */
class ChannelDatabaseOutageIT {

    private static final String REMOTE_PATH = "/channel-delivery";
    /** More deliveries than Artemis' default max-delivery-attempts (10). */
    private static final int DELIVERIES_DURING_OUTAGE = 12;

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
    void aFailureThatCannotBeStoredStaysOnItsQueueUntilTheDatabaseIsBack() {
        String refused = "outage-" + UUID.randomUUID();
        remote.stubFor(post(REMOTE_PATH).willReturn(aResponse().withStatus(400).withBody("unknown sku " + refused)));
        database.allowConnections(false);
        try {
            try (ProducerTemplate producer = engine.getBean(CamelContext.class).createProducerTemplate()) {
                producer.sendBody("{{bridge.channels.test-delivery}}", refused);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            await("deliveries rolled back while the store is down").atMost(Duration.ofSeconds(90)).until(() ->
                    remote.findAll(postRequestedFor(urlEqualTo(REMOTE_PATH)).withRequestBody(equalTo(refused))).size()
                            >= DELIVERIES_DURING_OUTAGE);
        } finally {
            database.allowConnections(true);
        }

        OpsClient ops = new OpsClient(EngineLauncher.baseUrl(engine), "test-ops-token");
        await("the refusal stored once the database is back").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ops.get("/ops/api/failed?error=" + refused).json().path("total").asLong()).isEqualTo(1));
    }
}
