package dev.vtexbridge.erp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.seller.SellerCredentials;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.testkit.EngineLauncher;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import dev.vtexbridge.testkit.OrderDriver;
import dev.vtexbridge.testkit.OrderDriver.Placed;
import dev.vtexbridge.testkit.SellerClient;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.vtexbridge.testkit.OrderDriver.ORDER_VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka, JMS and REST sinks of the order leg (the SQL sink runs in the engine tests and OrderLifecycleIT):
 * switched by configuration only, each writes a released order once, also when the same order is released twice, and
 * the acknowledgement ends up on the order link. One engine per sink, started and stopped in turn.
 */
@EmbeddedKafka(kraft = true, partitions = 2, topics = ErpOrderSinksIT.TOPIC)
class ErpOrderSinksIT {

    static final String TOPIC = "erp.orders.it";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void kafkaSinkWritesOneRecordKeyedByTheOrder(EmbeddedKafkaBroker kafka) {
        withEngine(Map.of("bridge.erp.orders.sink", "kafka", "bridge.erp.orders.kafka.brokers", kafka.getBrokersAsString(),
                "bridge.erp.orders.kafka.topic", TOPIC), (engine, order) -> {
            List<ConsumerRecord<String, String>> records = readTopic(kafka.getBrokersAsString());
            assertThat(records).hasSize(1);
            assertThat(records.get(0).key()).isEqualTo(order.marketplaceOrderId());
            JsonNode event = json(records.get(0).value());
            assertThat(event.get("type").asText()).isEqualTo("order.released");
            assertThat(event.get("sellerOrderId").asText()).isEqualTo(order.orderId());
            assertThat(event.get("totalValue").asLong()).isEqualTo(ORDER_VALUE);
            assertThat(event.at("/items/0/skuId").asText()).isEqualTo(order.sku());
            assertThat(link(engine, order).erpReference()).startsWith("kafka " + TOPIC + "-");
        });
    }

    @Test
    void jmsSinkWritesOneMessage() {
        withEngine(Map.of("bridge.erp.orders.sink", "jms", "bridge.erp.orders.jms.queue", "erp.orders.it"), (engine, order) -> {
            ConsumerTemplate consumer = engine.getBean(ConsumerTemplate.class);
            String message = consumer.receiveBody("jms:queue:erp.orders.it", 10_000, String.class);
            assertThat(json(message).get("marketplaceOrderId").asText()).isEqualTo(order.marketplaceOrderId());
            assertThat(consumer.receiveBody("jms:queue:erp.orders.it", 1_000, String.class)).as("written once").isNull();
            assertThat(link(engine, order).erpReference()).startsWith("jms ID:");
        });
    }

    /** Also the webhook trigger of ERP order events: an invoice posted by the ERP reaches the services endpoint. */
    @Test
    void restSinkPostsTheTemplatedBodyOnceAndStoresTheErpsOrderId() {
        WireMockServer erpApi = new WireMockServer(options().dynamicPort());
        erpApi.start();
        try {
            erpApi.stubFor(post(urlPathEqualTo("/erp/orders")).willReturn(okJson("{\"orderId\":\"ERP-77\"}").withStatus(201)));
            erpApi.stubFor(post(urlPathMatching("/api/oms/pvt/orders/.*/invoice")).willReturn(okJson("{\"receipt\":\"r\"}")));
            withEngine(Map.of("bridge.erp.orders.sink", "rest", "bridge.erp.orders.rest.url", erpApi.baseUrl() + "/erp/orders",
                    "bridge.erp.order-events.trigger", "platform-http:/ops/api/erp/order-events"), erpApi.baseUrl() + "/api/oms",
                    (engine, order) -> {
                        assertThat(erpApi.findAll(postRequestedFor(urlPathEqualTo("/erp/orders")))).hasSize(1);
                        JsonNode body = json(erpApi.findAll(postRequestedFor(urlPathEqualTo("/erp/orders"))).get(0)
                                .getBodyAsString());
                        assertThat(body.get("externalId").asText()).isEqualTo(order.marketplaceOrderId());
                        assertThat(body.at("/lines/0/unitPriceCents").asLong()).isEqualTo(OrderDriver.UNIT_PRICE);
                        assertThat(body.get("totalCents").asLong()).isEqualTo(ORDER_VALUE);
                        assertThat(link(engine, order).erpOrderId()).isEqualTo("ERP-77");

                        OpsClient webhook = new OpsClient(EngineLauncher.baseUrl(engine), EngineTest.OPS_TOKEN);
                        String invoice = "{\"type\":\"invoice\",\"erpOrderId\":\"ERP-77\",\"invoice\":{\"type\":\"Output\","
                                + "\"number\":\"NF-77\",\"value\":" + ORDER_VALUE + ",\"items\":[{\"skuId\":\"" + order.sku()
                                + "\",\"quantity\":2,\"price\":" + OrderDriver.UNIT_PRICE + "}]}}";
                        assertThat(new OpsClient(EngineLauncher.baseUrl(engine), null).post("/ops/api/erp/order-events", invoice)
                                .status()).as("the ops token guards the webhook").isEqualTo(401);
                        assertThat(webhook.post("/ops/api/erp/order-events", "{\"type\":\"invoice\"}").status()).isEqualTo(400);
                        OpsClient.Answer accepted = webhook.post("/ops/api/erp/order-events", invoice);
                        assertThat(accepted.status()).isEqualTo(202);
                        assertThat(accepted.json().get("accepted").asInt()).isEqualTo(1);
                        await().atMost(Duration.ofSeconds(15)).until(() -> erpApi.findAll(postRequestedFor(
                                urlPathEqualTo("/api/oms/pvt/orders/" + order.marketplaceOrderId() + "/invoice"))).size() == 1);
                    });
        } finally {
            erpApi.stop();
        }
    }

    /** Starts an engine with the sink, releases one order twice, runs the checks, stops the engine. */
    private static void withEngine(Map<String, String> sink, SinkCheck check) {
        withEngine(sink, "http://localhost:9/api/oms", check);
    }

    private static void withEngine(Map<String, String> sink, String servicesEndpoint, SinkCheck check) {
        ConfigurableApplicationContext engine = EngineLauncher.start("erp-sink", sink);
        try {
            SellerCredentials credentials = engine.getBean(SellerCredentials.class);
            OrderDriver marketplace = new OrderDriver(new SellerClient(EngineLauncher.baseUrl(engine), credentials.appKey(),
                    credentials.appToken()), engine.getBean(OfferProjection.class), engine.getBean(OrderLinks.class));
            Placed order = marketplace.placeFulfilAndAwaitErp(servicesEndpoint);
            releaseAgain(engine, order);
            check.verify(engine, order);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            engine.close();
        }
    }

    /** The same order on the release channel a second time (a redelivery, a replay): it must not be written again. */
    private static void releaseAgain(ConfigurableApplicationContext engine, Placed order) {
        JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
        String answer = jdbc.queryForObject("SELECT response_json FROM seller_order WHERE order_id = ?", String.class,
                order.orderId());
        engine.getBean(ProducerTemplate.class).sendBodyAndHeaders("{{bridge.channels.orders-release}}", answer,
                Map.of("orderId", order.orderId(), "marketplaceOrderId", order.marketplaceOrderId()));
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM order_event "
                + "WHERE order_id = ? AND event = 'ERP_WRITE' AND outcome = 'REPEATED'", Integer.class, order.orderId()) == 1);
    }

    private static OrderLinks.OrderLink link(ConfigurableApplicationContext engine, Placed order) {
        return engine.getBean(OrderLinks.class).find(order.orderId()).orElseThrow();
    }

    @FunctionalInterface
    private interface SinkCheck {
        void verify(ConfigurableApplicationContext engine, Placed order) throws Exception;
    }

    /** Everything on the topic, read for a few seconds by a consumer group of its own. */
    private static List<ConsumerRecord<String, String>> readTopic(String brokers) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "erp-order-sinks-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(TOPIC));
            long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
