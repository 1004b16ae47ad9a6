package dev.vtexbridge.erp;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vtexbridge.ops.ReplayService;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.testkit.EngineLauncher;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The price and stock flows started from ERP Kafka topics (trigger properties only), with Kafka as the durable
 * channels too (BRIDGE_KAFKA_BROKERS set): SKU-keyed events reach the projection and the marketplace as notifications,
 * the same result as from the webhook or the change table. The stock trigger is consumed in batches and applied
 * straight from the topic (bridge.stock.hand-off); the price trigger is copied onto the price channel (the default).
 * The notification channel is read in batches too.
 */
@EmbeddedKafka(kraft = true, partitions = 2, topics = {"erp.stock", "erp.price", "bridge.erp.stock", "bridge.erp.price",
        "bridge.erp.catalog", "bridge.offer.notifications"})
class KafkaTriggerIT {

    private static final WireMockServer vtex = new WireMockServer(options().dynamicPort());
    private static ConfigurableApplicationContext engine;
    private static String brokers;

    @BeforeAll
    static void startEngine(EmbeddedKafkaBroker kafka) {
        brokers = kafka.getBrokersAsString();
        vtex.start();
        vtex.stubFor(post(urlMatching("/vtex/api/notificator/.*")).willReturn(aResponse().withStatus(202)));
        // the test profile's second marketplace is told every change too
        vtex.stubFor(post(urlMatching("/vtex-outlet/api/notificator/.*")).willReturn(aResponse().withStatus(202)));
        engine = EngineLauncher.start("kafka-trigger", Map.of(
                "test.remote-url", vtex.baseUrl(),
                "bridge.kafka.brokers", brokers,
                // stock: the batching configuration README "Triggers" gives for a SKU-keyed topic, applied straight from it
                "bridge.stock.trigger", "kafka:erp.stock?batching=true&maxPollRecords=50&batchingIntervalMs=100&pollTimeoutMs=100&autoCommitEnable=false&allowManualCommit=true&breakOnFirstError=true",
                "bridge.stock.hand-off", "direct:stock-erp-to-vtex-apply",
                "bridge.price.trigger", "kafka:erp.price"));
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
        vtex.stop();
    }

    @Test
    void stockAndPriceEventsFromKafkaReachTheProjectionAndTheMarketplace() {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>("erp.stock", "P0011-1",
                    "{\"sku\":\"P0011-1\",\"warehouses\":{\"main\":7,\"north\":2},\"updatedAt\":\"2026-05-01T10:00:00Z\"}"));
            producer.send(new ProducerRecord<>("erp.price", "P0011-1",
                    "{\"sku\":\"P0011-1\",\"price\":55.50,\"listPrice\":60.00,\"updatedAt\":\"2026-05-01T10:00:00Z\"}"));
            producer.flush();
        }
        OfferProjection projection = engine.getBean(OfferProjection.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> notifications("inventory") == 1 && notifications("price") == 1);
        assertThat(projection.find("P0011-1").orElseThrow().stock()).isEqualTo(8);
        assertThat(projection.find("P0011-1").orElseThrow().price()).isEqualTo(5550L);
    }

    @Test
    void aBadRecordInAStockBatchIsFailedAloneAndTheNewestVersionOfEachSkuWins() {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.LINGER_MS_CONFIG, 50,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>("erp.stock", "P0012-1", stock("P0012-1", 5, "10:01")));
            producer.send(new ProducerRecord<>("erp.stock", "P0012-1", stock("P0012-1", 9, "10:03")));
            producer.send(new ProducerRecord<>("erp.stock", "P0012-1", "{\"sku\":\"P0012-1\",\"warehouses\":{\"main\":-4}}"));
            producer.send(new ProducerRecord<>("erp.stock", "P0012-1", stock("P0012-1", 1, "10:02")));
            producer.send(new ProducerRecord<>("erp.stock", "P0013-1", stock("P0013-1", 12, "10:01")));
            producer.flush();
        }
        OfferProjection projection = engine.getBean(OfferProjection.class);
        JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> projection.find("P0013-1").map(o -> o.stock() == 11).orElse(false)
                && projection.find("P0012-1").map(o -> o.stock() == 8).orElse(false));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM failed_message "
                + "WHERE route_id = 'stock-erp-to-vtex-trigger' AND body LIKE '%-4%'", Integer.class) == 1);
        assertThat(jdbc.queryForObject("SELECT error_message FROM failed_message WHERE body LIKE '%-4%'", String.class))
                .contains("quantity");
        // the older version (10:02) that came after the newest (10:03) changed nothing
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                .until(() -> projection.find("P0012-1").orElseThrow().stock() == 8);
    }

    @Test
    void aNotificationBatchRecordsWhatEachSkuWasToldAndAFailingSkuGoesToTheStoreAlone() {
        // the marketplace refuses one SKU's notification (terminal); the notification channel is read in batches
        vtex.stubFor(post(urlEqualTo("/vtex/api/notificator/bridgeseller/changenotification/P0014-3/inventory"))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"unknown SKU\"}")));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.LINGER_MS_CONFIG, 50,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (int i = 1; i <= 3; i++) {
                producer.send(new ProducerRecord<>("erp.stock", "P0014-" + i, stock("P0014-" + i, 10 * i, "10:00")));
            }
            producer.send(new ProducerRecord<>("bridge.offer.notifications", "P0014-9", "not a notification"));
            producer.flush();
        }
        // (counts are "at least": a consumer group rebalance may deliver a record again, which is allowed)
        JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> inventoryNotifications("P0014-1") >= 1
                && inventoryNotifications("P0014-2") >= 1 && failed("P0014-3") >= 1);
        // what each SKU was told is recorded once its batch is done: the projection's stock (main minus the safety buffer)
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(9).equals(notifiedQuantity(jdbc, "P0014-1"))
                && Integer.valueOf(19).equals(notifiedQuantity(jdbc, "P0014-2")));
        assertThat(notifiedQuantity(jdbc, "P0014-3")).isNull();
        assertThat(jdbc.queryForList("SELECT DISTINCT http_status FROM failed_message WHERE route_id = 'offer-notifications' "
                + "AND body LIKE '%P0014-3%' AND connection_id = 'default'", Integer.class)).containsExactly(400);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM failed_message "
                + "WHERE route_id = 'offer-notifications' AND body = 'not a notification'", Integer.class) >= 1);

        // once the marketplace knows the SKU, a replay of that one notification tells it and records it
        vtex.stubFor(post(urlEqualTo("/vtex/api/notificator/bridgeseller/changenotification/P0014-3/inventory"))
                .willReturn(aResponse().withStatus(202)));
        int refused = inventoryNotifications("P0014-3");
        long id = jdbc.queryForObject("SELECT MAX(id) FROM failed_message WHERE body LIKE '%P0014-3%' AND connection_id = 'default'", Long.class);
        assertThat(engine.getBean(ReplayService.class).replay(id, "test")).isEqualTo(ReplayService.Outcome.DONE);
        await().atMost(Duration.ofSeconds(60)).until(() -> Integer.valueOf(29).equals(notifiedQuantity(jdbc, "P0014-3")));
        assertThat(inventoryNotifications("P0014-3")).isGreaterThan(refused);
    }

    private static Integer notifiedQuantity(JdbcTemplate jdbc, String sku) {
        return jdbc.queryForObject("SELECT (SELECT notified_quantity FROM offer_notified WHERE connection_id = 'default' AND sku_id = ?)", Integer.class, sku);
    }

    private static int failed(String sku) {
        return engine.getBean(JdbcTemplate.class).queryForObject("SELECT COUNT(*) FROM failed_message "
                + "WHERE route_id = 'offer-notifications' AND body LIKE ?", Integer.class, "%" + sku + "%");
    }

    private static int inventoryNotifications(String sku) {
        return vtex.findAll(postRequestedFor(urlEqualTo("/vtex/api/notificator/bridgeseller/changenotification/" + sku + "/inventory"))).size();
    }

    private static String stock(String sku, int main, String time) {
        return "{\"sku\":\"" + sku + "\",\"warehouses\":{\"main\":" + main + "},\"updatedAt\":\"2030-05-01T" + time + ":00Z\"}";
    }

    private static int notifications(String kind) {
        return vtex.findAll(postRequestedFor(urlEqualTo("/vtex/api/notificator/bridgeseller/changenotification/P0011-1/" + kind))).size();
    }
}
