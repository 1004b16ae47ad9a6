package dev.vtexbridge.marketplace;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vtexbridge.testkit.EmbeddedPostgresSupport;
import dev.vtexbridge.testkit.EngineLauncher;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A marketplace connection whose orders come from a Kafka topic ({@code orders.source: kafka}): connection
 * shop-stream reads {@value #TOPIC} in consumer group vtex-bridge-orders-shop-stream and places each order on its VTEX
 * store (WireMock); a repeat is placed once, a malformed record is stored with its reason, and the group's offsets are
 * committed past every record once it is taken. The engine runs without Artemis (channels are Kafka topics too), so the
 * test profile's JMS-source connection is off here.
 */
@EmbeddedKafka(kraft = true, partitions = 1, topics = MarketplaceOrderSourcesKafkaIT.TOPIC)
class MarketplaceOrderSourcesKafkaIT {

    static final String TOPIC = "marketplace.shop-stream.orders";
    private static final String STORE = "/vtex-store";
    private static final WireMockServer remote = new WireMockServer(options().dynamicPort());
    private static ConfigurableApplicationContext engine;
    private static EmbeddedPostgresSupport.Database database;
    private static String brokers;

    @BeforeAll
    static void startEngine(EmbeddedKafkaBroker kafka) {
        brokers = kafka.getBrokersAsString();
        remote.start();
        database = EmbeddedPostgresSupport.newDatabase();
        String shop = "bridge.connections.shop-stream.";
        engine = EngineLauncher.start("marketplace-kafka-orders", Map.ofEntries(
                Map.entry("spring.datasource.url", database.jdbcUrl()),
                Map.entry("spring.datasource.username", database.username()),
                Map.entry("spring.datasource.password", database.password()),
                Map.entry("spring.datasource.hikari.connection-timeout", "250"),
                Map.entry("test.remote-url", remote.baseUrl()),
                Map.entry("bridge.kafka.brokers", brokers),
                Map.entry("spring.artemis.embedded.enabled", "false"),
                Map.entry("management.health.jms.enabled", "false"),
                Map.entry("camel.main.routes-include-pattern", "${bridge.routes-location}**/*.camel.yaml"),
                Map.entry("bridge.connections.shop-queue.enabled", "false"),
                Map.entry(shop + "role", "marketplace"),
                Map.entry(shop + "vtex.account", "teststore"),
                Map.entry(shop + "vtex.app-key", "vtexappkey-teststore-MNOPQR"),
                Map.entry(shop + "vtex.app-token", "TEST-STORE-VTEX-APP-TOKEN-never-stored"),
                Map.entry(shop + "vtex.affiliate-id", "MKS"),
                Map.entry(shop + "vtex.sales-channel", "3"),
                Map.entry(shop + "vtex.api-url", remote.baseUrl() + STORE),
                Map.entry(shop + "public-url", "http://localhost"),
                Map.entry(shop + "endpoint.token", "TEST-SHOP-STREAM-TOKEN-never-stored"),
                Map.entry(shop + "offers.sink", "kafka"),
                Map.entry(shop + "offers.kafka.topic", "marketplace.shop-stream.offers"),
                Map.entry(shop + "orders.source", "kafka"),
                Map.entry(shop + "orders.kafka.topic", TOPIC),
                Map.entry(shop + "reconcile.enabled", "false")));
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
        remote.stop();
    }

    @Test
    void anOrderRecordIsPlacedOnceAMalformedOneStoredAndTheOffsetsCommitted() throws Exception {
        String id = "MK" + UUID.randomUUID().toString().substring(0, 8);
        storeAccepts(id);
        String malformed = "not an order " + UUID.randomUUID();

        send(MarketplaceOrdersTest.order(id, "new"));
        send(MarketplaceOrdersTest.order(id, "new"));
        send(malformed);

        JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
        await("the order placed").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> "PLACED".equals(jdbc.queryForList(
                "SELECT status FROM seller_order WHERE connection_id = 'shop-stream' AND marketplace_order_id = ?",
                String.class, id).stream().findFirst().orElse(null)));
        await("the malformed record stored").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> !failed(jdbc, malformed).isEmpty());
        assertThat(failed(jdbc, malformed)).singleElement().satisfies(row -> {
            assertThat(row.get("connection_id")).isEqualTo("shop-stream");
            assertThat(row.get("error_message").toString()).startsWith("malformed JSON");
        });
        await("the group's offset past every record").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> committedOffset() == endOffset());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM order_event WHERE order_id = ? AND outcome = 'REPEATED'",
                Integer.class, "MKS-" + id)).isEqualTo(1);
        remote.verify(1, postRequestedFor(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders"))
                .withRequestBody(matchingJsonPath("$[0].marketplaceOrderId", equalTo(id))));
    }

    @Test
    void anOrderReadWhileTheDatabaseIsDownIsTakenOnceItIsBack() throws Exception {
        String id = "MK" + UUID.randomUUID().toString().substring(0, 8);
        storeAccepts(id);
        JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
        database.allowConnections(false);
        try {
            send(MarketplaceOrdersTest.order(id, "new"));
            // neither the order nor its failure can be stored: the record must not be committed past
            await("the outage held").pollDelay(Duration.ofSeconds(2)).until(() -> true);
            assertThat(committedOffset()).isLessThan(endOffset());
        } finally {
            database.allowConnections(true);
        }

        await("the order placed once the database is back").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> "PLACED".equals(
                jdbc.queryForList("SELECT status FROM seller_order WHERE connection_id = 'shop-stream' "
                        + "AND marketplace_order_id = ?", String.class, id).stream().findFirst().orElse(null)));
        await("the group's offset past the record").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> committedOffset() == endOffset());
        remote.verify(1, postRequestedFor(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders"))
                .withRequestBody(matchingJsonPath("$[0].marketplaceOrderId", equalTo(id))));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM failed_message WHERE body LIKE ?", Integer.class,
                "%" + id + "%")).as("nothing stored as failed").isZero();
    }

    private static List<Map<String, Object>> failed(JdbcTemplate jdbc, String marker) {
        return jdbc.queryForList("SELECT connection_id, error_message FROM failed_message "
                + "WHERE route_id = 'marketplace-orders-source-shop-stream' AND body LIKE ?", "%" + marker + "%");
    }

    private static void storeAccepts(String id) {
        remote.stubFor(post(urlEqualTo(STORE + "/api/checkout/pub/orderForms/simulation?sc=3&affiliateId=MKS"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"items": [{"id": "15", "requestIndex": 0, "quantity": 1, "seller": "1", "price": 9900,
                                    "sellingPrice": 9900, "availability": "available"}],
                         "logisticsInfo": [{"itemIndex": 0, "slas": [
                            {"id": "Normal", "price": 1200, "shippingEstimate": "5bd", "lockTTL": "8d"}]}]}
                        """)));
        remote.stubFor(post(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders"))
                .withRequestBody(matchingJsonPath("$[0].marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("[{\"marketplaceOrderId\": \"" + id + "\", \"orderId\": \"MKS-" + id + "\"}]")));
        remote.stubFor(get(urlPathEqualTo(STORE + "/api/oms/pvt/orders/MKS-" + id)).willReturn(aResponse().withStatus(404)));
    }

    private static void send(String value) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(TOPIC, value)).get();
        }
    }

    private static long endOffset() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
        }
    }

    private static long committedOffset() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("vtex-bridge-orders-shop-stream")
                    .partitionsToOffsetAndMetadata().get().get(new TopicPartition(TOPIC, 0));
            return committed == null ? -1 : committed.offset();
        }
    }
}
