package dev.vtexbridge.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vtexbridge.testkit.EngineLauncher;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMRegistry;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Nothing is lost": 1,000 messages waiting in the persistent queue of the embedded Artemis broker survive an engine
 * restart (context closed, then started again on the same data folder), and are then all delivered, none twice.
 * <p>
 * The consumer is the test route {@code channel-delivery} (test-routes/channel-delivery.camel.yaml) on the durable
 * channel {@code bridge.channels.test-delivery}, here an Artemis queue. It stays stopped in the first run, so the
 * messages are still queued when the engine goes down.
 * <p>
 * One embedded broker per JVM: the first engine is closed, and its broker checked gone, before the second starts.
 * Failsafe runs every IT class in a JVM of its own (pom.xml), so no other test keeps a broker running meanwhile.
 */
class BrokerRestartIT {

    private static final int MESSAGES = 1_000;
    private static final String ROUTE = "channel-delivery";
    private static final String QUEUE = "bridge.test.delivery";
    private static final String REMOTE_PATH = "/channel-delivery";

    private final WireMockServer remote = new WireMockServer(options().dynamicPort());
    private ConfigurableApplicationContext engine;

    @BeforeEach
    void startRemote() {
        remote.start();
        remote.stubFor(post(REMOTE_PATH).willReturn(ok()));
    }

    @AfterEach
    void stopAll() {
        if (engine != null) {
            engine.close();
        }
        remote.stop();
    }

    @Test
    void queuedMessagesSurviveAnEngineRestartAndAreDeliveredExactlyOnce() {
        Path dataDir = EngineLauncher.freshDataDir("broker-restart");
        List<String> ids = IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "restart-%04d".formatted(i)).toList();
        assertNoEmbeddedBrokerInThisJvm();

        // First run: the consumer is stopped, the messages pile up in the persistent queue.
        long start = System.nanoTime();
        engine = EngineLauncher.start("broker-restart", properties(dataDir, false));
        CamelContext camel = engine.getBean(CamelContext.class);
        assertThat(camel.resolvePropertyPlaceholders("{{bridge.channels.test-delivery}}")).isEqualTo("jms:queue:" + QUEUE);
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Stopped);

        try (ProducerTemplate producer = camel.createProducerTemplate()) {
            for (String id : ids) {
                producer.sendBody("jms:queue:" + QUEUE + "?deliveryPersistent=true", id);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(queue(engine).getMessageCount()).as("messages waiting in the queue").isEqualTo(MESSAGES);
        assertThat(deliveries()).as("deliveries while the consumer is stopped").isEmpty();
        long sent = System.nanoTime();

        engine.close();
        engine = null;
        assertNoEmbeddedBrokerInThisJvm();

        // Second run on the same data folder, consumer on: every queued message is delivered.
        engine = EngineLauncher.start("broker-restart", properties(dataDir, true));
        CamelContext restarted = engine.getBean(CamelContext.class);
        assertThat(restarted.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);

        await("all %d queued messages delivered after the restart".formatted(MESSAGES))
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> deliveries().stream().distinct().count() == MESSAGES);
        // Drained: with the queue empty and nothing in flight, no further (duplicate) delivery can still arrive.
        await("queue drained")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> queue(engine).getMessageCount() == 0
                        && restarted.getInflightRepository().size(ROUTE) == 0);
        long delivered = System.nanoTime();

        assertThat(deliveries()).as("delivered ids").hasSize(MESSAGES).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        Integer failed = engine.getBean(JdbcTemplate.class).queryForObject("SELECT COUNT(*) FROM failed_message", Integer.class);
        assertThat(failed).as("messages in the failed-message store").isZero();

        System.out.printf("BrokerRestartIT: first run + %d persistent sends %d ms; restart + delivery %d ms%n",
                MESSAGES, (sent - start) / 1_000_000, (delivered - sent) / 1_000_000);
    }

    private Map<String, String> properties(Path dataDir, boolean consumerRunning) {
        return Map.of(
                "bridge.data-dir", dataDir.toString(),
                "server.port", "0",
                "test.remote-url", remote.baseUrl(),
                "test.channel-delivery.enabled", Boolean.toString(consumerRunning));
    }

    /** The message bodies the remote stand-in received, in arrival order. */
    private List<String> deliveries() {
        return remote.findAll(postRequestedFor(urlEqualTo(REMOTE_PATH))).stream().map(LoggedRequest::getBodyAsString).toList();
    }

    private static Queue queue(ConfigurableApplicationContext engine) {
        Queue queue = engine.getBean(EmbeddedActiveMQ.class).getActiveMQServer().locateQueue(QUEUE);
        assertThat(queue).as("queue " + QUEUE + " on the embedded broker").isNotNull();
        return queue;
    }

    /** An embedded Artemis server registers an in-VM acceptor while it runs; none may be left before an engine starts. */
    private static void assertNoEmbeddedBrokerInThisJvm() {
        assertThat(InVMRegistry.instance.size()).as("embedded Artemis brokers running in this JVM").isZero();
    }
}
