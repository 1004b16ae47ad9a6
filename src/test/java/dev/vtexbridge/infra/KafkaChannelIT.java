package dev.vtexbridge.infra;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vtexbridge.config.ChannelConfiguration;
import dev.vtexbridge.testkit.EmbeddedPostgresSupport;
import dev.vtexbridge.testkit.EngineLauncher;
import dev.vtexbridge.testkit.OpsClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMRegistry;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.spi.InterceptSendToEndpoint;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The durable channels move from Artemis to Kafka by configuration only: with {@code bridge.kafka.brokers} set, the
 * unchanged test route {@code channel-delivery} (from {@code {{bridge.channels.test-delivery}}}) consumes a Kafka
 * topic, and a message sent to the channel with the header {@value ChannelConfiguration#MESSAGE_KEY} becomes a Kafka
 * record keyed by it (checked with a plain KafkaConsumer).
 * <p>
 * A transient failure does not hold up the partition: after a short retry on the consumer thread the message is set
 * aside in the database and sent back to the channel later, while a later message of its key waits behind it. Nor
 * does a failure the failed-message store cannot take: after {@value #PARK_AFTER} deliveries the message is parked on
 * its topic's {@code .parked} topic, and the store takes it from there once it can. The
 * failover test measures how long a dead member's partitions take to reach the survivor with the engine's consumer
 * settings.
 * <p>
 * This engine runs without the embedded Artemis broker ({@code spring.artemis.embedded.enabled=false}) and only with
 * the real routes plus {@code channel-delivery}, so nothing in it reaches for a JMS broker.
 */
@EmbeddedKafka(kraft = true, partitions = 3, topics = {KafkaChannelIT.TOPIC, KafkaChannelIT.FAILOVER_TOPIC})
class KafkaChannelIT {

    static final String TOPIC = "bridge.test.delivery";
    static final String FAILOVER_TOPIC = "failover.test";
    private static final int PARTITIONS = 3;
    private static final String ROUTE = "channel-delivery";
    private static final String REMOTE_PATH = "/channel-delivery";
    private static final int PARK_AFTER = 3;

    private static final WireMockServer remote = new WireMockServer(options().dynamicPort());
    private static ConfigurableApplicationContext engine;
    private static EmbeddedPostgresSupport.Database database;
    private static String brokers;

    @BeforeAll
    static void startEngine(EmbeddedKafkaBroker kafka) {
        brokers = kafka.getBrokersAsString();
        remote.start();
        remote.stubFor(post(REMOTE_PATH).willReturn(ok()));
        database = EmbeddedPostgresSupport.newDatabase();
        engine = EngineLauncher.start("kafka-channel", Map.ofEntries(
                Map.entry("spring.datasource.url", database.jdbcUrl()),
                Map.entry("spring.datasource.username", database.username()),
                Map.entry("spring.datasource.password", database.password()),
                Map.entry("spring.datasource.hikari.connection-timeout", "250"),
                Map.entry("test.remote-url", remote.baseUrl()),
                Map.entry("test.channel-delivery.enabled", "true"),
                Map.entry("bridge.kafka.brokers", brokers),
                Map.entry("bridge.errors.park-after", String.valueOf(PARK_AFTER)),
                // No embedded Artemis here (the broker restart IT owns the one a JVM may have), and nothing asks
                // for a broker: no JMS health check, and of the test routes only the channel one (the others
                // consume JMS queues by name).
                Map.entry("spring.artemis.embedded.enabled", "false"),
                Map.entry("management.health.jms.enabled", "false"),
                // the test profile's marketplace connection whose orders come from a JMS queue
                Map.entry("bridge.connections.shop-queue.enabled", "false"),
                Map.entry("camel.main.routes-include-pattern", "${bridge.routes-location}**/*.camel.yaml,classpath:test-routes/channel-delivery.camel.yaml")));
    }

    /** Stopping drains every Kafka consumer within the shutdown timeout, instead of forcing the routes down. */
    @AfterAll
    static void stopEngine() {
        CamelContext camel = engine == null ? null : engine.getBean(CamelContext.class);
        if (engine != null) {
            engine.close();
        }
        remote.stop();
        if (camel != null) {
            assertThat(camel.getShutdownStrategy().hasTimeoutOccurred())
                    .as("Camel forced the routes down after camel.main.shutdown-timeout").isFalse();
        }
    }

    @Test
    void channelsAreKafkaTopicsOnceKafkaIsConfigured() {
        CamelContext camel = engine.getBean(CamelContext.class);

        assertThat(engine.getEnvironment().getProperty("bridge.channel.kind")).isEqualTo("kafka");
        assertThat(camel.resolvePropertyPlaceholders("{{bridge.channels.test-delivery}}")).isEqualTo("kafka:" + TOPIC);
        assertThat(camel.getRoute(ROUTE).getEndpoint().getEndpointUri()).startsWith("kafka://" + TOPIC);
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);
        assertThat(engine.getBeanProvider(EmbeddedActiveMQ.class).getIfAvailable()).as("embedded Artemis").isNull();
        assertThat(InVMRegistry.instance.size()).as("embedded Artemis brokers running in this JVM").isZero();
    }

    /** One slow or rebalancing channel never holds up another: each topic has its own consumer group. */
    @Test
    void eachChannelTopicIsReadByItsOwnConsumerGroup() throws Exception {
        CamelContext camel = engine.getBean(CamelContext.class);
        assertThat(groupOf(camel, ROUTE)).isEqualTo("vtex-bridge." + TOPIC);
        assertThat(groupOf(camel, "stock-erp-to-vtex")).isEqualTo("vtex-bridge.bridge.erp.stock");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            await("the channel's consumer group known to the broker").atMost(Duration.ofSeconds(60))
                    .until(() -> admin.listConsumerGroups().all().get().stream()
                            .anyMatch(group -> group.groupId().equals("vtex-bridge." + TOPIC)));
        }
    }

    private static String groupOf(CamelContext camel, String route) {
        Endpoint endpoint = camel.getRoute(route).getEndpoint();
        Endpoint kafka = endpoint instanceof InterceptSendToEndpoint intercepted ? intercepted.getOriginalEndpoint() : endpoint;
        return ((KafkaEndpoint) kafka).getConfiguration().getGroupId();
    }

    @Test
    void messageKeyBecomesTheKafkaRecordKeyAndTheMessageIsDelivered() {
        send("keyed-stock-update", Map.of(ChannelConfiguration.MESSAGE_KEY, "SKU-42"));
        send("unkeyed-stock-update", Map.of());

        // The route consumed both from the topic and delivered them.
        await("both messages delivered through the Kafka channel")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(deliveries()).contains("keyed-stock-update", "unkeyed-stock-update"));
        assertThat(deliveries()).filteredOn(body -> body.endsWith("stock-update")).as("each delivered once").doesNotHaveDuplicates();

        // On the topic, the keyed message carries its key; the other one has none.
        List<ConsumerRecord<String, String>> records = readTopic(2);
        assertThat(record(records, "keyed-stock-update")).hasValueSatisfying(r -> assertThat(r.key()).isEqualTo("SKU-42"));
        assertThat(record(records, "unkeyed-stock-update")).hasValueSatisfying(r -> assertThat(r.key()).isNull());
    }

    @Test
    void aMessageReplayedThroughAKafkaChannelKeepsItsHeadersAndItsFailedMessageRow() {
        String refused = "refused-" + UUID.randomUUID();
        remote.stubFor(post(REMOTE_PATH).withRequestBody(equalTo(refused))
                .willReturn(aResponse().withStatus(400).withBody("unknown sku " + refused)));
        send(refused, Map.of("skuId", "SKU-7"));
        OpsClient ops = new OpsClient(EngineLauncher.baseUrl(engine), "test-ops-token");
        JsonNode row = await("the refusal stored").atMost(Duration.ofSeconds(60)).until(
                () -> ops.get("/ops/api/failed?error=" + refused).json().path("items").path(0), item -> !item.isMissingNode());
        long id = row.get("id").asLong();
        assertThat(ops.get("/ops/api/failed/" + id).json().path("headers").asText())
                .as("the record's header, stored as text").contains("\"skuId\":\"SKU-7\"");

        assertThat(ops.post("/ops/api/failed/" + id + "/replay").status()).isEqualTo(200);

        // Refused again: the same row records the second failure (the row id travelled as a Kafka record header).
        await("the second failure on the same row").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode again = ops.get("/ops/api/failed/" + id).json();
            assertThat(again.get("status").asText()).isEqualTo("FAILED");
            assertThat(again.get("attempts").asInt()).isEqualTo(2);
        });
        assertThat(ops.get("/ops/api/failed?error=" + refused).json().get("total").asLong()).isEqualTo(1);
        assertThat(remote.findAll(postRequestedFor(urlEqualTo(REMOTE_PATH)).withRequestBody(equalTo(refused))))
                .as("the replay carried the header again").hasSize(2)
                .allSatisfy(request -> assertThat(request.getHeader("skuId")).isEqualTo("SKU-7"));
    }

    @Test
    void aFailureThatCannotBeStoredWhileTheDatabaseIsDownIsTakenAgainNotLost() {
        String refused = "outage-" + UUID.randomUUID();
        remote.stubFor(post(REMOTE_PATH).withRequestBody(equalTo(refused))
                .willReturn(aResponse().withStatus(400).withBody("unknown sku " + refused)));
        database.allowConnections(false);
        try {
            send(refused, Map.of());
            // Refused, and the failed-message store cannot take it (the pool gives up after 250 ms). The outage lasts
            // well beyond that, so the store's attempt has failed before the database comes back.
            await("the refusal").atMost(Duration.ofSeconds(60)).until(() ->
                    !remote.findAll(postRequestedFor(urlEqualTo(REMOTE_PATH)).withRequestBody(equalTo(refused))).isEmpty());
            await("the outage held").pollDelay(Duration.ofSeconds(2)).until(() -> true);
        } finally {
            database.allowConnections(true);
        }

        // The record was read again from Kafka, or parked after park-after deliveries and taken back from its .parked
        // topic (at least once; earlier records of its partition may be read again too).
        OpsClient ops = new OpsClient(EngineLauncher.baseUrl(engine), "test-ops-token");
        await("the refusal stored once the database is back").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ops.get("/ops/api/failed?error=" + refused).json().path("total").asLong()).isPositive());
    }

    @Test
    void aMessageHoldingANulCharacterIsStoredNotRetriedForever() {
        String marker = UUID.randomUUID().toString();
        String body = "{\"sku\":\"" + marker + "\u0000\"}";
        remote.stubFor(post(REMOTE_PATH).withRequestBody(equalTo(body))
                .willReturn(aResponse().withStatus(400).withBody("unknown sku " + marker)));
        send(body, Map.of());

        // PostgreSQL refuses NUL in text: the store keeps U+FFFD in its place, so the record does not block its partition.
        OpsClient ops = new OpsClient(EngineLauncher.baseUrl(engine), "test-ops-token");
        JsonNode row = await("the refusal stored").atMost(Duration.ofSeconds(60)).until(
                () -> ops.get("/ops/api/failed?error=" + marker).json().path("items").path(0), item -> !item.isMissingNode());
        assertThat(ops.get("/ops/api/failed/" + row.get("id").asLong()).json().get("body").asText())
                .isEqualTo("{\"sku\":\"" + marker + "\uFFFD\"}");
    }

    /**
     * A message whose remote answers 503 six times: three tries on the consumer thread, set aside, three more after
     * it came back (set aside again, same row), then delivered. Meanwhile a message of another key on the same
     * partition is delivered at once, and a later message of the same key only after the failing one.
     */
    @Test
    void aTransientFailureIsSetAsideWhileThePartitionGoesOnAndItsKeyWaitsBehindIt() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String key = "SKU-flaky-" + id;
        String otherKey = keyOnTheSamePartitionAs(key);
        String flaky = "flaky-" + id;
        String sameKey = "after-flaky-" + id;
        String other = "other-key-" + id;
        String state = STARTED;
        for (int failure = 1; failure <= 6; failure++) {
            remote.stubFor(post(REMOTE_PATH).withRequestBody(equalTo(flaky)).inScenario(id).whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(503)).willSetStateTo("failed-" + failure));
            state = "failed-" + failure;
        }
        remote.stubFor(post(REMOTE_PATH).withRequestBody(equalTo(flaky)).inScenario(id).whenScenarioStateIs(state).willReturn(ok()));

        send(flaky, Map.of(ChannelConfiguration.MESSAGE_KEY, key));
        send(sameKey, Map.of(ChannelConfiguration.MESSAGE_KEY, key));
        send(other, Map.of(ChannelConfiguration.MESSAGE_KEY, otherKey));
        Instant sent = Instant.now();

        JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
        await("the failing message set aside").atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM deferred_delivery WHERE route_id = ? AND message_key = ?", Integer.class, ROUTE, key) > 0);
        await("the other key's message, behind it on the same partition").atMost(Duration.ofSeconds(30))
                .until(() -> !requests(other).isEmpty());
        await("the failing message delivered in the end").atMost(Duration.ofSeconds(60))
                .until(() -> requests(flaky).size() == 7);
        await("the same key's later message delivered").atMost(Duration.ofSeconds(30)).until(() -> !requests(sameKey).isEmpty());

        Instant flakyDelivered = requests(flaky).get(6).getLoggedDate().toInstant();
        assertThat(requests(other).get(0).getLoggedDate().toInstant()).as("the other key went on meanwhile")
                .isBefore(flakyDelivered).isBefore(sent.plusSeconds(10));
        assertThat(requests(sameKey)).as("the same key's later message only after the failing one, once").singleElement()
                .satisfies(request -> assertThat(request.getLoggedDate().toInstant()).isAfterOrEqualTo(flakyDelivered));
        await("no row left for the key").atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM deferred_delivery WHERE route_id = ? AND message_key = ?", Integer.class, ROUTE, key) == 0);
        assertThat(ops().get("/ops/api/failed?error=" + flaky).json().path("total").asLong()).as("not stored as failed").isZero();
    }

    /**
     * Failover, measured: two members of one group on a 3-partition topic with the engine's consumer settings; one
     * dies without leaving the group (a static member closed: the coordinator hears nothing more from it, as from a
     * killed process), and the survivor must own every partition within the session timeout plus a few seconds.
     * The time is printed (bench/RESULTS.md "Kafka failover").
     */
    @Test
    void aDeadMembersPartitionsMoveToTheSurvivorWithinSeconds() throws Exception {
        Environment env = engine.getEnvironment();
        int sessionTimeout = env.getRequiredProperty("camel.component.kafka.session-timeout-ms", Integer.class);
        String group = "failover-" + UUID.randomUUID();
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeout,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, env.getRequiredProperty("camel.component.kafka.heartbeat-interval-ms", Integer.class),
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, env.getRequiredProperty("camel.component.kafka.partition-assignor")));
        Set<TopicPartition> survivorOwns = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Object> dying = new HashMap<>(config);
        dying.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "dying-" + group);
        try (KafkaConsumer<String, String> survivor = new KafkaConsumer<>(config)) {
            KafkaConsumer<String, String> victim = new KafkaConsumer<>(dying);
            victim.subscribe(List.of(FAILOVER_TOPIC));
            survivor.subscribe(List.of(FAILOVER_TOPIC), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    survivorOwns.removeAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    survivorOwns.addAll(partitions);
                }
            });
            Thread survivorLoop = new Thread(() -> {
                while (!stop.get()) {
                    survivor.poll(Duration.ofMillis(100));
                }
            }, "failover-survivor");
            survivorLoop.start();
            try {
                await("both members own partitions").atMost(Duration.ofSeconds(60)).pollInSameThread()
                        .until(() -> {
                            victim.poll(Duration.ofMillis(100));
                            return !victim.assignment().isEmpty() && !survivorOwns.isEmpty()
                                    && victim.assignment().size() + survivorOwns.size() == PARTITIONS;
                        });
                victim.close(Duration.ZERO); // a static member sends no LeaveGroup: dead as far as the group knows
                long died = System.nanoTime();
                await("the survivor owns every partition").atMost(Duration.ofMillis(sessionTimeout + 20_000L))
                        .pollInterval(Duration.ofMillis(20)).until(() -> survivorOwns.size() == PARTITIONS);
                long movedMs = (System.nanoTime() - died) / 1_000_000;
                System.out.printf("KAFKA-FAILOVER: partitions of the dead member on the survivor after %d ms "
                        + "(session timeout %d ms, assignor %s)%n", movedMs, sessionTimeout,
                        env.getProperty("camel.component.kafka.partition-assignor"));
                assertThat(movedMs).as("failover time").isLessThan(sessionTimeout + 5_000L);
            } finally {
                stop.set(true);
                survivorLoop.join(5_000);
            }
        }
    }

    /**
     * The notification channel is read in batches without auto-commit: its group's offsets still move past every
     * record once its batch completed (here: a record that is no notification, stored as failed), so a restart does
     * not read the topic again from the start.
     */
    @Test
    void theBatchingNotificationConsumerCommitsItsOffsetsOnceABatchCompleted() throws Exception {
        String marker = "not-a-notification-" + UUID.randomUUID();
        try (ProducerTemplate producer = engine.getBean(CamelContext.class).createProducerTemplate()) {
            producer.sendBodyAndHeaders("{{bridge.channels.offer-notifications}}", marker,
                    Map.of(ChannelConfiguration.MESSAGE_KEY, "SKU-" + marker, "BridgeConnection", "default"));
        }
        await("the record stored as failed").atMost(Duration.ofSeconds(60)).until(() -> engine.getBean(JdbcTemplate.class)
                .queryForObject("SELECT COUNT(*) FROM failed_message WHERE body LIKE ?", Integer.class, "%" + marker + "%") > 0);
        String topic = "bridge.offer.notifications";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            await("the group's offsets past every record").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("vtex-bridge." + topic)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                Map<TopicPartition, Long> ends = new HashMap<>();
                admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
                return ends.entrySet().stream().allMatch(end -> end.getValue() == 0
                        || (committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() == end.getValue()));
            });
        }
    }

    /**
     * The failed-message store unusable (its table renamed away, the rest of the database up): a refused message is
     * delivered park-after times, each time its failure cannot be stored, then parked on {@code <topic>.parked} with
     * its key, body, headers and failure, and its partition goes on (a later message of another key on it is
     * delivered). Once the table is back, the parked message is in the failed-message store, FAILED, with its reason
     * and attempts, and a replay delivers it with its headers.
     */
    @Test
    void aMessageWhoseFailureCannotBeStoredIsParkedItsPartitionGoesOnAndTheStoreTakesItBack() {
        JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
        MeterRegistry registry = engine.getBean(MeterRegistry.class);
        String id = UUID.randomUUID().toString().substring(0, 8);
        String key = "SKU-parked-" + id;
        String laterKey = keyOnTheSamePartitionAs(key);
        String refused = "parked-" + id;
        String later = "after-parked-" + id;
        remote.stubFor(post(REMOTE_PATH).withRequestBody(equalTo(refused))
                .willReturn(aResponse().withStatus(400).withBody("unknown sku " + id)));
        double parkedBefore = parkedCount(registry);
        // The channel's consumer commits by itself (auto-commit): a record of an earlier test not committed yet would
        // be read again after this test's failure, and parked first.
        awaitCommittedToTheEnd("vtex-bridge." + TOPIC, TOPIC);

        jdbc.execute("ALTER TABLE failed_message RENAME TO failed_message_away");
        try {
            send(refused, Map.of(ChannelConfiguration.MESSAGE_KEY, key, "skuId", id));
            send(later, Map.of(ChannelConfiguration.MESSAGE_KEY, laterKey));

            await("the later message of its partition delivered").atMost(Duration.ofSeconds(60))
                    .until(() -> !requests(later).isEmpty());
            assertThat(requests(refused)).as("delivered park-after times, then parked").hasSize(PARK_AFTER);
            assertThat(requests(later).get(0).getLoggedDate()).as("the partition went on once it was parked")
                    .isAfterOrEqualTo(requests(refused).get(PARK_AFTER - 1).getLoggedDate());
            assertThat(parkedCount(registry) - parkedBefore).isEqualTo(1.0);
            assertThat(ops().get("/actuator/prometheus").body())
                    .containsPattern("bridge_messages_parked_total\\{[^}]*channel=\"test-delivery\"[^}]*} [1-9]");

            ConsumerRecord<String, String> parked = readTopic(TOPIC + ".parked", refused);
            assertThat(parked.key()).isEqualTo(key);
            assertThat(header(parked, "skuId")).isEqualTo(id);
            assertThat(header(parked, "BridgeParkedReason")).contains("HTTP 400").contains("unknown sku " + id);
            assertThat(header(parked, "BridgeParkedAttempts")).isEqualTo(String.valueOf(PARK_AFTER));
            assertThat(header(parked, "BridgeParkedStoreError")).contains("failed_message");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM failed_message_away WHERE body = ?", Integer.class, refused))
                    .as("not stored while the table is away").isZero();
            await("not delivered again once parked").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> requests(refused).size() == PARK_AFTER);
        } finally {
            jdbc.execute("ALTER TABLE failed_message_away RENAME TO failed_message");
        }

        OpsClient ops = ops();
        JsonNode row = await("the parked message in the failed-message store").atMost(Duration.ofSeconds(60)).until(
                () -> ops.get("/ops/api/failed?error=" + id).json().path("items").path(0), item -> !item.isMissingNode());
        long rowId = row.get("id").asLong();
        JsonNode stored = ops.get("/ops/api/failed/" + rowId).json();
        assertThat(stored.get("status").asText()).isEqualTo("FAILED");
        assertThat(stored.get("attempts").asInt()).isEqualTo(PARK_AFTER);
        assertThat(stored.get("routeId").asText()).isEqualTo(ROUTE);
        assertThat(stored.get("entryEndpoint").asText()).startsWith("kafka://" + TOPIC);
        assertThat(stored.get("httpStatus").asInt()).isEqualTo(400);
        assertThat(stored.get("errorMessage").asText()).contains("HTTP 400").contains("unknown sku " + id)
                .contains("parked").contains("failed_message");
        assertThat(stored.get("body").asText()).isEqualTo(refused);
        assertThat(stored.get("headers").asText()).contains("\"skuId\":\"" + id + "\"").doesNotContain("BridgeParked");
        await("taken back once").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> ops.get("/ops/api/failed?error=" + id).json().get("total").asLong() == 1);

        remote.stubFor(post(REMOTE_PATH).withRequestBody(equalTo(refused)).willReturn(ok()));
        assertThat(ops.post("/ops/api/failed/" + rowId + "/replay").status()).isEqualTo(200);
        await("the replay delivered").atMost(Duration.ofSeconds(60)).until(() -> requests(refused).size() == PARK_AFTER + 1);
        assertThat(requests(refused).get(PARK_AFTER).getHeader("skuId")).as("its header kept through parking").isEqualTo(id);
        await("the row replayed").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() ->
                ops.get("/ops/api/failed/" + rowId).json().get("status").asText().equals("REPLAYED"));
    }

    /** Waits until the group committed every partition of the topic past its last record. */
    private static void awaitCommittedToTheEnd(String group, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            await("group " + group + " committed to the end of " + topic).atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata().get();
                        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                        return admin.listOffsets(latest).all().get().entrySet().stream().allMatch(end -> end.getValue().offset() == 0
                                || committed.get(end.getKey()) != null
                                && committed.get(end.getKey()).offset() == end.getValue().offset());
                    });
        }
    }

    private static double parkedCount(MeterRegistry registry) {
        return registry.get("bridge.messages.parked").tag("channel", "test-delivery").counter().count();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The record of a topic holding that value, read from the beginning as a consumer group of its own. */
    private static ConsumerRecord<String, String> readTopic(String topic, String value) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "kafka-channel-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            await("the record on " + topic).atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                            if (value.equals(r.value())) {
                                found.add(r);
                            }
                        });
                        return !found.isEmpty();
                    });
        }
        return found.get(0);
    }

    private static String keyOnTheSamePartitionAs(String key) {
        int partition = partitionOf(key);
        for (int i = 0; ; i++) {
            String candidate = "SKU-other-" + i;
            if (partitionOf(candidate) == partition) {
                return candidate;
            }
        }
    }

    /** Kafka's default partitioner for a keyed record. */
    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static List<LoggedRequest> requests(String body) {
        return remote.findAll(postRequestedFor(urlEqualTo(REMOTE_PATH)).withRequestBody(equalTo(body))).stream()
                .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate())).toList();
    }

    private static OpsClient ops() {
        return new OpsClient(EngineLauncher.baseUrl(engine), "test-ops-token");
    }

    /** Sends to the channel the test route consumes, as a flow would. */
    private static void send(String body, Map<String, Object> headers) {
        try (ProducerTemplate producer = engine.getBean(CamelContext.class).createProducerTemplate()) {
            producer.sendBodyAndHeaders("{{bridge.channels.test-delivery}}", body, headers);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> deliveries() {
        return remote.findAll(postRequestedFor(urlEqualTo(REMOTE_PATH))).stream().map(LoggedRequest::getBodyAsString).toList();
    }

    private static Optional<ConsumerRecord<String, String>> record(List<ConsumerRecord<String, String>> records, String value) {
        return records.stream().filter(r -> value.equals(r.value())).findFirst();
    }

    /** Reads the channel topic from the beginning, as a consumer group of its own, until it saw {@code count} records. */
    private static List<ConsumerRecord<String, String>> readTopic(int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "kafka-channel-it-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(TOPIC));
            await("records on topic " + TOPIC)
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                        return records.size() >= count;
                    });
        }
        return records;
    }
}
