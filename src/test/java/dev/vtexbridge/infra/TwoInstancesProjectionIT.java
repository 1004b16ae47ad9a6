package dev.vtexbridge.infra;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.seller.SellerCredentials;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferUpdate;
import dev.vtexbridge.testkit.SellerClient;
import dev.vtexbridge.testkit.TwoEngines;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One stock pool across two engine instances on one PostgreSQL: what one instance holds or learns from the ERP, the
 * other's in-memory projection (which its simulation answers from) shows within a moment, and placement, checked
 * against the database under the SKU's lock, never sells on one instance a unit the other already sold.
 */
@EmbeddedKafka(kraft = true, brokerProperties = "num.partitions=4")
class TwoInstancesProjectionIT {

    private static final String ORDERS = "/seller/pvt/orders";
    private static TwoEngines engines;
    private static SellerClient vtexOnA;
    private static SellerClient vtexOnB;

    @BeforeAll
    static void start(EmbeddedKafkaBroker kafka) {
        engines = TwoEngines.start(kafka.getBrokersAsString(), Map.of());
        vtexOnA = client(engines.a);
        vtexOnB = client(engines.b);
    }

    @AfterAll
    static void stop() {
        if (engines != null) {
            engines.close();
        }
    }

    @Test
    void anOfferWrittenOnOneInstanceIsKnownToTheOtherWithinAMoment() {
        String sku = newSku(engines.a, 7);

        await().atMost(Duration.ofSeconds(5)).until(() -> projection(engines.b).find(sku).isPresent());
        assertThat(projection(engines.b).find(sku).orElseThrow().available()).isEqualTo(7);
        Timer delay = engines.b.getBean(MeterRegistry.class).find("bridge.projection.peer.delay").timer();
        assertThat(delay).isNotNull();
        assertThat(delay.count()).as("changes heard from the other instance").isPositive();
    }

    @Test
    void theLastUnitsHeldOnOneInstanceAreRefusedOnTheOther() {
        String sku = newSku(engines.a, 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> projection(engines.b).find(sku).isPresent());

        assertThat(vtexOnA.post(ORDERS, order(sku, 2)).status()).isEqualTo(200);
        await("the hold seen by the other instance").atMost(Duration.ofSeconds(5))
                .until(() -> projection(engines.b).find(sku).orElseThrow().available() == 1);

        SellerClient.Answer tooMany = vtexOnB.post(ORDERS, order(sku, 2));
        assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(400);
        assertThat(tooMany.json().at("/error/code").asText()).isEqualTo("FMT002");
        assertThat(vtexOnB.post(ORDERS, order(sku, 1)).status()).isEqualTo(200);
        SellerClient.Answer none = vtexOnA.post(ORDERS, order(sku, 1));
        assertThat(none.status()).as("the last unit went on the other instance").isEqualTo(400);
        await().atMost(Duration.ofSeconds(5)).until(() -> projection(engines.a).find(sku).orElseThrow().available() == 0);
    }

    @Test
    void aPlacementRetriedOnTheOtherInstanceGetsItsFirstAnswer() {
        String sku = newSku(engines.a, 5);
        ObjectNode order = order(sku, 1);

        SellerClient.Answer first = vtexOnA.post(ORDERS, order);
        // at once, before the other instance may have heard of the SKU: a repeat is answered from the database
        SellerClient.Answer retried = vtexOnB.post(ORDERS, order);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().path("orderId").asText()).isEqualTo(first.json().path("orderId").asText());
        await().atMost(Duration.ofSeconds(5)).until(() -> projection(engines.b).find(sku).orElseThrow().held() == 1);
    }

    @Test
    void aPlacementOfASkuAnInstanceNeverHeardOfIsCheckedAgainstTheDatabase() {
        // in the database, but announced to nobody (as while an instance's listening connection was down)
        String sku = "TWO-" + UUID.randomUUID().toString().substring(0, 8);
        JdbcTemplate db = new JdbcTemplate(engines.engineDb.dataSource());
        db.update("INSERT INTO offer_projection (sku_id, price, list_price, active, measurement_unit, unit_multiplier, "
                + "weight_grams, height_cm, width_cm, length_cm, held, updated_at) "
                + "VALUES (?, 4990, 5990, TRUE, 'un', 1, 300, 2, 30, 40, 0, now())", sku);
        db.update("INSERT INTO offer_stock (sku_id, warehouse_id, quantity, updated_at) VALUES (?, 'main', 2, now())", sku);
        assertThat(projection(engines.b).find(sku)).isEmpty();

        SellerClient.Answer placed = vtexOnB.post(ORDERS, order(sku, 2));

        assertThat(placed.status()).as(placed.body()).isEqualTo(200);
        assertThat(projection(engines.b).find(sku).orElseThrow().held()).isEqualTo(2);
    }

    private static String newSku(ConfigurableApplicationContext engine, int stock) {
        String sku = "TWO-" + UUID.randomUUID().toString().substring(0, 8);
        projection(engine).upsert(new OfferUpdate(sku, 4990L, 5990L, null, true, "un", 1, 300, new BigDecimal("2"),
                new BigDecimal("30"), new BigDecimal("40"), Map.of("main", stock)));
        return sku;
    }

    private static ObjectNode order(String sku, int quantity) {
        ObjectNode order = SellerClient.fixture("order-placement.json");
        order.put("marketplaceOrderId", "TWO-" + UUID.randomUUID());
        ((ObjectNode) order.at("/items/0")).put("id", sku).put("quantity", quantity);
        order.put("marketplacePaymentValue", 4990L * quantity + 1500);
        return order;
    }

    private static OfferProjection projection(ConfigurableApplicationContext engine) {
        return engine.getBean(OfferProjection.class);
    }

    private static SellerClient client(ConfigurableApplicationContext engine) {
        SellerCredentials credentials = engine.getBean(SellerCredentials.class);
        return new SellerClient(engines.url(engine), credentials.appKey(), credentials.appToken());
    }

}
