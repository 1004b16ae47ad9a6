package dev.vtexbridge.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.vtexbridge.config.ChannelConfiguration;
import dev.vtexbridge.testkit.EngineTest;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A channel on Artemis read by several concurrent consumers (as the marketplace offers flow is) works different keys
 * at once and still takes the messages of one key ({@value ChannelConfiguration#MESSAGE_KEY}) one after the other, in
 * the order they were sent.
 */
class ChannelMessageGroupsTest extends EngineTest {

    private static final String QUEUE = "jms:queue:bridge.test.groups";
    private static final int KEYS = 3; // fewer than the consumers: without groups, a key's next message is taken while its last is still worked
    private static final int PER_KEY = 10;
    private static final int CONSUMERS = 4;

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    EmbeddedActiveMQ broker;

    private final List<String> taken = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> threads = Collections.synchronizedSet(new HashSet<>());
    private final Set<String> inFlight = Collections.synchronizedSet(new HashSet<>());
    private volatile boolean keyTakenTwiceAtOnce;

    @AfterEach
    void removeRoute() throws Exception {
        camel.getRouteController().stopRoute("test-groups");
        camel.removeRoute("test-groups");
    }

    @Test
    void concurrentConsumersKeepEachKeysOrder() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(QUEUE + "?concurrentConsumers=" + CONSUMERS).routeId("test-groups").autoStartup(false).process(exchange -> {
                    String key = exchange.getIn().getHeader(ChannelConfiguration.MESSAGE_KEY, String.class);
                    if (!inFlight.add(key)) {
                        keyTakenTwiceAtOnce = true;
                    }
                    threads.add(Thread.currentThread().getName());
                    Thread.sleep(100); // long enough for another consumer to take the same key if the broker let it
                    taken.add(key + "/" + exchange.getIn().getBody(String.class));
                    inFlight.remove(key);
                });
            }
        });
        // Every consumer attached before the first message (a broker that saw only one would give it every group),
        // then sent far faster than the consumers take them, so they compete for every key.
        camel.getRouteController().startRoute("test-groups");
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.getActiveMQServer()
                .locateQueue(SimpleString.of("bridge.test.groups")) != null && broker.getActiveMQServer()
                .locateQueue(SimpleString.of("bridge.test.groups")).getConsumerCount() == CONSUMERS);
        for (int n = 0; n < PER_KEY; n++) {
            for (int k = 0; k < KEYS; k++) {
                producer.sendBodyAndHeader(QUEUE, String.valueOf(n), ChannelConfiguration.MESSAGE_KEY, "SKU-" + k);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> taken.size() == KEYS * PER_KEY);
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        synchronized (taken) {
            for (String entry : taken) {
                String[] parts = entry.split("/");
                byKey.computeIfAbsent(parts[0], key -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
            }
        }
        assertThat(byKey).hasSize(KEYS);
        List<Integer> sent = new ArrayList<>();
        for (int n = 0; n < PER_KEY; n++) {
            sent.add(n);
        }
        byKey.forEach((key, order) -> assertThat(order).as("messages of %s", key).isEqualTo(sent));
        assertThat(keyTakenTwiceAtOnce).as("one key worked by two consumers at once").isFalse();
        assertThat(threads).as("consumer threads that took messages").hasSizeGreaterThan(1);
    }
}
