package dev.vtexbridge.orders;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.erp.ErpSinkHeaders;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Outcome;
import dev.vtexbridge.seller.SellerCredentials;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferSyncStore;
import dev.vtexbridge.sync.OfferUpdate;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import dev.vtexbridge.testkit.SellerClient;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The units of an order the ERP has taken over, until the ERP's own stock shows the order (issue 16): the ERP's stock
 * comes through its change table and the stock flow, orders through the seller endpoints, the simulation answers what
 * may be sold. Every SKU has 6 units in the ERP's warehouse {@code main}: 5 exposed (stock rules: safety buffer 1).
 */
class HandoverHoldTest extends EngineTest {

    private static final String SELLER = "/seller/pvt";
    private static final String ORDERS = SELLER + "/orders";
    private static final String SIMULATION = SELLER + "/orderForms/simulation";

    @Autowired
    @Qualifier("erpJdbc")
    NamedParameterJdbcTemplate erp;
    @Autowired
    OfferProjection projection;
    @Autowired
    OrderLinks links;
    @Autowired
    SellerCredentials credentials;
    @Autowired
    HandoverHolds holds;
    @Autowired
    OrderTimeline timeline;
    @Autowired
    OfferSyncStore syncStore;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    Clock clock;
    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    ErpHandover erpHandover;

    SellerClient vtex;

    @BeforeEach
    void marketplace() {
        vtex = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
    }

    @Test
    void unitsTheErpTookOverAreNotOfferedAgainBeforeItsStockShowsThem() {
        String sku = erpSku(6);
        assertThat(stockBalance(sku)).isEqualTo(5);

        String orderId = placeAndFulfil(sku, 2);
        awaitErp(orderId);

        // the ERP has the order, its stock still says 6: 3 may be sold, for as long as no ERP stock change says more
        await("the 2 units sold stay out of the offer").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(stockBalance(sku)).as("offered after the hand-over").isEqualTo(3));
        SellerClient.Answer tooMany = vtex.post(ORDERS, order(sku, 4));
        assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(400);
        assertThat(tooMany.json().at("/error/code").asText()).isEqualTo("FMT002");
        assertThat(vtex.post(ORDERS, order(sku, 3)).status()).as("the 3 that are there").isEqualTo(200);
        assertThat(stockBalance(sku)).isZero();
    }

    @Test
    void theErpStockChangeAfterTheHandOverLetsTheHoldGo() {
        String sku = erpSku(6);
        String orderId = placeAndFulfil(sku, 2);
        awaitErp(orderId);
        assertThat(reservations(orderId)).containsExactly("HANDED_OVER");

        // the ERP processed the order: 6 - 2 on hand, reported through its change table
        erpStock(sku, 4, now());

        await().atMost(Duration.ofSeconds(10)).until(() -> projection.find(sku).orElseThrow().held() == 0);
        assertThat(projection.find(sku).orElseThrow().poolByWarehouse()).isEqualTo(Map.of("main", 4));
        assertThat(stockBalance(sku)).as("4 on hand, safety buffer 1, nothing held").isEqualTo(3);
        assertThat(reservations(orderId)).containsExactly("RELEASED");
        await().atMost(Duration.ofSeconds(5)).until(() -> has(orderId, Event.STOCK_HOLD, "the ERP's stock of " + sku));
    }

    @Test
    void anErpStockChangeFromBeforeTheHandOverOrWithoutAVersionLetsNothingGo() {
        String sku = erpSku(6);
        OffsetDateTime beforeTheOrder = now();
        String orderId = placeAndFulfil(sku, 2);
        awaitErp(orderId);

        // a goods receipt the ERP booked before it had the order, reported late: it cannot show the order
        erpStock(sku, 8, beforeTheOrder);
        awaitPool(sku, 8);
        // and an event without updatedAt says nothing of when the ERP's stock was so
        OpsClient.Answer event = new OpsClient(engineUrl(""), "test-erp-token").post("/erp/events/stock",
                "{\"sku\":\"" + sku + "\",\"warehouses\":{\"main\":9}}");
        assertThat(event.status()).as(event.body()).isEqualTo(202);
        awaitPool(sku, 9);

        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> projection.find(sku).orElseThrow().held() == 2);
        assertThat(stockBalance(sku)).as("9 on hand, safety buffer 1, 2 still held").isEqualTo(6);
        assertThat(reservations(orderId)).containsExactly("HANDED_OVER");
    }

    @Test
    void anErpStockChangeAppliedBeforeTheHandOverIsRecordedLetsTheHoldGoAtOnce() throws Exception {
        String sku = erpSku(6);
        // the release leg driven step by step: the order's own release message waits in its channel meanwhile
        camel.getRouteController().stopRoute("order-to-erp");
        String orderId;
        try {
            orderId = placeAndFulfil(sku, 2);
            Exchange release = new DefaultExchange(camel);
            release.getIn().setHeader("orderId", orderId);
            erpHandover.prepareRelease(release);
            assertThat(release.getIn().getHeader(ErpHandover.ACTION)).isEqualTo("send");
            producer.send("direct:order-to-erp-sql", release);
            assertThat(release.getException()).isNull();
            assertThat(release.getIn().getHeader(ErpSinkHeaders.ERP_ORDER_ID)).isNotNull();

            // an ERP whose stock drops as it takes the order: its change arrives before the engine records the hand-over
            erpStock(sku, 4, now());
            awaitPool(sku, 4);
            assertThat(stockBalance(sku)).as("the order counted twice for a moment: on the safe side").isEqualTo(1);

            erpHandover.released(release);

            await().atMost(Duration.ofSeconds(5)).until(() -> projection.find(sku).orElseThrow().held() == 0);
            assertThat(stockBalance(sku)).isEqualTo(3);
            assertThat(reservations(orderId)).containsExactly("RELEASED");
            assertThat(timeline.of(orderId)).filteredOn(entry -> entry.event() == Event.ERP_WRITE)
                    .singleElement().satisfies(entry -> {
                        assertThat(entry.outcome()).isEqualTo(Outcome.DONE);
                        assertThat(entry.detail()).contains("the ERP's stock shows the order already");
                    });
        } finally {
            camel.getRouteController().startRoute("order-to-erp");
        }
        // the waiting release message finds the order in the ERP: nothing written or held again
        await().atMost(Duration.ofSeconds(10)).until(() -> has(orderId, Event.ERP_WRITE, "already in the ERP"));
        assertThat(erpOrders(orderId)).isEqualTo(1);
        assertThat(projection.find(sku).orElseThrow().held()).isZero();
    }

    @Test
    void afterTheMaximumTheHoldGoesWithoutAnErpStockChange() {
        assertThat(holds.maximum()).as("the default, bridge.orders.handover-hold").isEqualTo(Duration.ofMinutes(30));
        assertThat(camel.getRoute("reservation-expiry-handed-over")).as("the sweep's route").isNotNull();
        String sku = erpSku(6);
        String orderId = placeAndFulfil(sku, 2);
        awaitErp(orderId);
        assertThat(holds.letGoOverdue()).as("30 minutes are not up").isZero();
        assertThat(reservations(orderId)).containsExactly("HANDED_OVER");

        // the same sweep with a maximum of 300 ms, as an engine configured so would run it
        HandoverHolds shortHold = new HandoverHolds(jdbc, tx, links, timeline, projection, syncStore, clock,
                Duration.ofMillis(300));
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            shortHold.letGoOverdue();
            return reservations(orderId).contains("RELEASED");
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> projection.find(sku).orElseThrow().held() == 0);
        assertThat(stockBalance(sku)).as("back on sale, though the ERP never said").isEqualTo(5);
        assertThat(has(orderId, Event.STOCK_HOLD, "within bridge.orders.handover-hold (PT0.3S)")).isTrue();
        shortHold.letGoOverdue();
        assertThat(timeline.of(orderId)).as("let go once").filteredOn(entry -> entry.event() == Event.STOCK_HOLD).hasSize(1);
        assertThat(projection.find(sku).orElseThrow().held()).isZero();
    }

    @Test
    void aCancellationAfterTheHandOverGivesTheUnitsBackOnce() {
        String sku = erpSku(6);
        ObjectNode first = order(sku, 2);
        String handedOver = placeAndFulfil(first);
        awaitErp(handedOver);
        SellerClient.Answer second = vtex.post(ORDERS, order(sku, 1));
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(stockBalance(sku)).as("5 exposed, 2 + 1 held").isEqualTo(2);

        SellerClient.Answer cancelled = vtex.post(ORDERS + "/" + handedOver + "/cancel",
                "{\"marketplaceOrderId\":\"" + first.path("marketplaceOrderId").asText() + "\",\"reason\":\"changed my mind\"}");

        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> projection.find(sku).orElseThrow().held() == 1);
        assertThat(stockBalance(sku)).as("only the second order holds").isEqualTo(4);
        assertThat(reservations(handedOver)).containsExactly("RELEASED");
        await("the cancellation reaches the ERP").atMost(Duration.ofSeconds(10)).until(() -> "CANCELLED".equals(
                erp.queryForObject("SELECT status FROM erp_order WHERE seller_order_id = :id", Map.of("id", handedOver), String.class)));

        // a later ERP stock change of the SKU finds nothing of the cancelled order to let go, and keeps the other's hold
        erpStock(sku, 6, now());
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT stock_version FROM offer_sync WHERE sku_id = ?", OffsetDateTime.class, sku).isAfter(now().minusSeconds(30)));
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> projection.find(sku).orElseThrow().held() == 1);
        assertThat(projection.find(sku).orElseThrow().heldBy(Connection.DEFAULT)).isEqualTo(1);
        assertThat(stockBalance(sku)).isEqualTo(4);
    }

    // --- the ERP ---------------------------------------------------------------------------------------------

    /** A new SKU in the ERP with {@code units} in warehouse main, priced and active, its stock through the stock flow. */
    private String erpSku(int units) {
        String sku = "HO-" + UUID.randomUUID().toString().substring(0, 8);
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        MapSqlParameterSource row = new MapSqlParameterSource("sku", sku).addValue("units", units).addValue("at", before)
                .addValue("category", erp.getJdbcTemplate().queryForObject("SELECT MIN(category_id) FROM erp_category", String.class))
                .addValue("brand", erp.getJdbcTemplate().queryForObject("SELECT MIN(brand_id) FROM erp_brand", String.class));
        erp.update("INSERT INTO erp_product (product_id, name, description, category_id, brand_id, updated_at) "
                + "VALUES (:sku, :sku, 'hand-over', :category, :brand, :at)", row);
        erp.update("INSERT INTO erp_sku (sku_id, product_id, name, weight_grams, height_cm, width_cm, length_cm, updated_at) "
                + "VALUES (:sku, :sku, :sku, 300, 2, 30, 40, :at)", row);
        erp.update("INSERT INTO erp_stock (sku_id, warehouse_id, quantity, updated_at) VALUES (:sku, 'main', :units, :at)", row);
        projection.upsert(new OfferUpdate(sku, 4990L, 5990L, null, true, "un", 1, 300, new BigDecimal("2"),
                new BigDecimal("30"), new BigDecimal("40"), Map.of()));
        stockChanged(sku, before);
        awaitPool(sku, units);
        return sku;
    }

    /** What an ERP's trigger writes when its stock of the SKU changes: the row, and a change row of the same time. */
    private void erpStock(String sku, int units, OffsetDateTime at) {
        erp.update("UPDATE erp_stock SET quantity = :units, updated_at = :at WHERE sku_id = :sku AND warehouse_id = 'main'",
                new MapSqlParameterSource("sku", sku).addValue("units", units).addValue("at", at));
        stockChanged(sku, at);
    }

    private void stockChanged(String sku, OffsetDateTime at) {
        erp.update("INSERT INTO erp_change (entity, sku_id, changed_at) VALUES ('stock', :sku, :at)",
                new MapSqlParameterSource("sku", sku).addValue("at", at));
    }

    /** Until the stock flow applied the ERP's units of the SKU. */
    private void awaitPool(String sku, int units) {
        await().atMost(Duration.ofSeconds(10)).until(() -> projection.find(sku)
                .map(offer -> Integer.valueOf(units).equals(offer.poolByWarehouse().get("main"))).orElse(false));
    }

    // --- the marketplace -------------------------------------------------------------------------------------

    private String placeAndFulfil(String sku, int quantity) {
        return placeAndFulfil(order(sku, quantity));
    }

    private String placeAndFulfil(ObjectNode order) {
        SellerClient.Answer placed = vtex.post(ORDERS, order);
        assertThat(placed.status()).as(placed.body()).isEqualTo(200);
        String orderId = placed.json().path("orderId").asText();
        SellerClient.Answer fulfilled = vtex.post(ORDERS + "/" + orderId + "/fulfill",
                "{\"marketplaceOrderId\":\"" + order.path("marketplaceOrderId").asText() + "\"}");
        assertThat(fulfilled.status()).as(fulfilled.body()).isEqualTo(200);
        return orderId;
    }

    private void awaitErp(String orderId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> links.find(orderId).orElseThrow().inErp());
    }

    private static ObjectNode order(String sku, int quantity) {
        ObjectNode order = SellerClient.fixture("order-placement.json");
        order.put("marketplaceOrderId", "HO-" + UUID.randomUUID());
        ((ObjectNode) order.at("/items/0")).put("id", sku).put("quantity", quantity);
        order.put("marketplacePaymentValue", 4990L * quantity + 1500);
        return order;
    }

    /** The statuses of the order's reservation rows. */
    private List<String> reservations(String orderId) {
        return jdbc.queryForList("SELECT status FROM stock_reservation WHERE order_id = ? ORDER BY sku_id", String.class, orderId);
    }

    private boolean has(String orderId, Event event, String detail) {
        return timeline.of(orderId).stream().anyMatch(entry -> entry.event() == event && entry.detail() != null && entry.detail().contains(detail));
    }

    private int erpOrders(String orderId) {
        return erp.queryForObject("SELECT COUNT(*) FROM erp_order WHERE seller_order_id = :id", Map.of("id", orderId), Integer.class);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** The units the simulation offers of the SKU. */
    private int stockBalance(String sku) {
        SellerClient.Answer answer = vtex.post(SIMULATION, """
                {"items": [{"id": "%s", "quantity": 1, "seller": "1"}], "postalCode": "22270-030", "country": "BRA"}"""
                .formatted(sku));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode logistics = answer.json().path("logisticsInfo").path(0);
        if (logistics.isMissingNode()) { // nothing to deliver: the item is answered with quantity 0
            assertThat(answer.json().at("/items/0/quantity").asInt()).as(answer.body()).isZero();
            return 0;
        }
        return logistics.path("stockBalance").asInt();
    }
}
