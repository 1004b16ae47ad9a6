package dev.vtexbridge.seller;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.errors.DeferredDeliveries;
import dev.vtexbridge.logistics.Logistics;
import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.orders.OrderStatus;
import dev.vtexbridge.orders.OrderTimeline;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Outcome;
import dev.vtexbridge.orders.PlacementOrder;
import dev.vtexbridge.orders.PriceCheck;
import dev.vtexbridge.orders.SellerOrders;
import dev.vtexbridge.sync.ConnectionOffers;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferUpdate;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.vtexbridge.seller.OrderEndpointsTest.order;
import static dev.vtexbridge.seller.PlacementQuantityTest.assertVtexError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Placed prices against the offer projection ({@code bridge.seller.price-check}): a placement whose effective price
 * (price plus its priceTags discounts) is below the offer's by more than the tolerance is refused with FMT007 and
 * holds nothing; in hold mode it is accepted but kept from the ERP. Before the check, an order at 1 cent for an
 * offer of 46119 cents was accepted.
 */
class PlacementPriceCheckTest extends EngineTest {

    private static final String ORDERS = "/seller/pvt/orders";
    private static final long OFFER_PRICE = 46119;

    @Autowired
    OfferProjection projection;
    @Autowired
    ConnectionOffers offers;
    @Autowired
    SellerCredentials credentials;
    @Autowired
    SellerProperties properties;
    @Autowired
    OrderTimeline timeline;
    @Autowired
    OrderLinks links;
    @Autowired
    SellerOrders orders;
    @Autowired
    @Qualifier("erpJdbc")
    NamedParameterJdbcTemplate erp;

    SellerClient vtex;
    String sku;

    @BeforeEach
    void seed() {
        vtex = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
        sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
        projection.upsert(new OfferUpdate(sku, OFFER_PRICE, 49900L, null, true, "un", 1, 300, new BigDecimal("2"),
                new BigDecimal("30"), new BigDecimal("40"), Map.of("main", 10)));
    }

    @Test
    void anOrderAtOneCentForARealPriceIsRefusedAndHoldsNothing() {
        assertThat(properties.priceCheck().mode()).as("the default").isEqualTo(PriceCheck.Mode.REFUSE);
        String marketplaceOrderId = uniqueOrderId();

        SellerClient.Answer refused = vtex.post(ORDERS, priced(order(marketplaceOrderId, sku, 1), 1));

        assertVtexError(refused, 400, "FMT007");
        assertThat(refused.json().at("/error/message").asText())
                .contains(sku).contains("placed at 1 cents").contains("expected " + OFFER_PRICE + " cents");
        assertThat(projection.find(sku).orElseThrow().held()).as("nothing held").isZero();
        assertThat(projection.find(sku).orElseThrow().available()).isEqualTo(10);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM seller_order WHERE marketplace_order_id = ?", Integer.class,
                marketplaceOrderId)).as("no order stored").isZero();
    }

    @Test
    void pricesWithinTheToleranceOrAboveTheOfferAreAcceptedAndTheCheckIsOnTheTimeline() {
        BigDecimal tolerance = properties.priceCheck().tolerancePercent();
        assertThat(tolerance).as("the test profile's tolerance").isEqualByComparingTo("1");
        long justInside = OFFER_PRICE - OFFER_PRICE / 100;      // 45658: 0.99 % below
        long justOutside = justInside - 1;                      // 45657: more than 1 % below

        SellerClient.Answer inside = vtex.post(ORDERS, priced(order(uniqueOrderId(), sku, 1), justInside));
        assertThat(inside.status()).as(inside.body()).isEqualTo(200);
        String orderId = inside.json().get("orderId").asText();
        assertThat(entries(orderId, Event.PRICE_CHECK)).singleElement().satisfies(entry -> {
            assertThat(entry.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(entry.detail()).contains(sku).contains(justInside + "/" + OFFER_PRICE + " cents");
        });

        assertVtexError(vtex.post(ORDERS, priced(order(uniqueOrderId(), sku, 1), justOutside)), 400, "FMT007");

        SellerClient.Answer above = vtex.post(ORDERS, priced(order(uniqueOrderId(), sku, 2), OFFER_PRICE + 500));
        assertThat(above.status()).as("a higher price costs the seller nothing: " + above.body()).isEqualTo(200);
        assertThat(projection.find(sku).orElseThrow().held()).isEqualTo(3);
    }

    @Test
    void discountsInPriceTagsCountTowardTheEffectivePrice() {
        // Two units at the offer's price, with a line discount of 200.00: 46119 × 2 − 20000 = 72238, 36119 a unit.
        ObjectNode discounted = priced(order(uniqueOrderId(), sku, 2), OFFER_PRICE);
        tags(discounted).addObject().put("identifier", "d1").put("isPercentual", false)
                .put("name", "discount@price-d1").put("rawValue", -200).put("value", -20000);

        SellerClient.Answer refused = vtex.post(ORDERS, discounted);

        assertVtexError(refused, 400, "FMT007");
        assertThat(refused.json().at("/error/message").asText()).contains("placed at 36119 cents")
                .contains("expected " + OFFER_PRICE + " cents");

        // A small discount stays inside the tolerance; a tax tag (positive) is not the product's price.
        ObjectNode small = priced(order(uniqueOrderId(), sku, 2), OFFER_PRICE);
        tags(small).addObject().put("name", "discount@price-d2").put("value", -500).put("isPercentual", false);
        tags(small).addObject().put("name", "Taxes").put("value", 1900).put("isPercentual", false);
        SellerClient.Answer accepted = vtex.post(ORDERS, small);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);

        ObjectNode taxedCheap = priced(order(uniqueOrderId(), sku, 1), 100);
        tags(taxedCheap).addObject().put("name", "Taxes").put("value", 50000).put("isPercentual", false);
        assertVtexError(vtex.post(ORDERS, taxedCheap), 400, "FMT007");
        assertThat(projection.find(sku).orElseThrow().held()).as("only the accepted order holds").isEqualTo(2);
    }

    @Autowired
    TransactionTemplate tx;
    @Autowired
    Logistics logistics;
    @Autowired
    DeferredDeliveries outbox;
    @Autowired
    ObjectMapper json;
    @Autowired
    Clock clock;
    @Autowired
    VtexJsonReader reader;
    @Value("${bridge.channels.orders-release}")
    String releaseChannel;
    @Value("${bridge.channels.orders-cancel}")
    String cancelChannel;

    /**
     * Hold mode, on a second {@link SellerOrders} built with it (the shared context keeps refuse): the order at 1 cent
     * is accepted and holds its stock, the mismatch is on its timeline, and its fulfil does not hand it to the ERP.
     */
    @Test
    void inHoldModeAMismatchIsAcceptedButNotHandedToTheErp() {
        SellerOrders holding = inMode(PriceCheck.Mode.HOLD);
        String marketplaceOrderId = uniqueOrderId();
        ObjectNode received = priced(order(marketplaceOrderId, sku, 2), 1);

        String orderId = holding.place(received, reader.convert(received, PlacementOrder.class, "")).get("orderId").asText();

        assertThat(projection.find(sku).orElseThrow().held()).as("accepted: its stock is held").isEqualTo(2);
        assertThat(entries(orderId, Event.PRICE_CHECK)).singleElement().satisfies(entry -> {
            assertThat(entry.outcome()).isEqualTo(Outcome.HELD);
            assertThat(entry.detail()).contains("price mismatch").contains(sku).contains("placed at 1 cents")
                    .contains("expected " + OFFER_PRICE + " cents");
        });

        SellerClient.Answer fulfilled = vtex.post(ORDERS + "/" + orderId + "/fulfill",
                "{\"marketplaceOrderId\":\"" + marketplaceOrderId + "\"}");

        assertThat(fulfilled.status()).as(fulfilled.body()).isEqualTo(200);
        assertThat(orders.statusOf(orderId)).contains(OrderStatus.READY_FOR_HANDLING);
        assertThat(entries(orderId, Event.PRICE_CHECK)).hasSize(2).last()
                .satisfies(entry -> assertThat(entry.outcome()).isEqualTo(Outcome.HELD));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> erpOrders(marketplaceOrderId) == 0);
        OrderLinks.OrderLink link = links.find(orderId).orElseThrow();
        assertThat(link.inErp()).isFalse();
        assertThat(link.erpReference()).startsWith("held: price mismatch");
        JsonNode view = new OpsClient(engineUrl(""), OPS_TOKEN).get("/ops/api/orders/" + orderId).json();
        assertThat(view.get("events").findValuesAsText("outcome")).contains("HELD");
        assertThat(projection.find(sku).orElseThrow().held()).as("still held for the order").isEqualTo(2);

        SellerClient.Answer cancelled = vtex.post(ORDERS + "/" + orderId + "/cancel",
                "{\"marketplaceOrderId\":\"" + marketplaceOrderId + "\"}");
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(projection.find(sku).orElseThrow().held()).as("a cancel gives the stock back").isZero();
        assertThat(erpOrders(marketplaceOrderId)).isZero();
    }

    @Test
    void anOperatorReleasesAHeldOrderAndItGoesToTheErp() {
        SellerOrders holding = inMode(PriceCheck.Mode.HOLD);
        String marketplaceOrderId = uniqueOrderId();
        ObjectNode received = priced(order(marketplaceOrderId, sku, 1), 1);
        String orderId = holding.place(received, reader.convert(received, PlacementOrder.class, "")).get("orderId").asText();
        assertThat(vtex.post(ORDERS + "/" + orderId + "/fulfill", "{\"marketplaceOrderId\":\"" + marketplaceOrderId + "\"}")
                .status()).isEqualTo(200);
        OpsClient alice = new OpsClient(engineUrl(""), "test-alice-token");

        OpsClient.Answer released = alice.post("/ops/api/orders/" + orderId + "/release");

        assertThat(released.status()).as(released.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> erpOrders(marketplaceOrderId) == 1);
        assertThat(entries(orderId, Event.PRICE_CHECK)).last().satisfies(entry -> {
            assertThat(entry.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(entry.detail()).isEqualTo("price accepted by alice");
        });
        assertThat(alice.post("/ops/api/orders/" + orderId + "/release").status()).as("released once").isEqualTo(409);
        assertThat(alice.post("/ops/api/orders/no-such-order/release").status()).isEqualTo(404);
    }

    @Test
    void offModeChecksNothingAndRecordsNothing() {
        SellerOrders unchecked = inMode(PriceCheck.Mode.OFF);
        ObjectNode received = priced(order(uniqueOrderId(), sku, 1), 1);

        String orderId = unchecked.place(received, reader.convert(received, PlacementOrder.class, "")).get("orderId").asText();

        assertThat(entries(orderId, Event.PRICE_CHECK)).isEmpty();
        assertThat(entries(orderId, Event.PLACEMENT)).hasSize(1);
    }

    private List<OrderTimeline.Entry> entries(String orderId, Event event) {
        return timeline.of(orderId).stream().filter(entry -> entry.event() == event).toList();
    }

    private int erpOrders(String marketplaceOrderId) {
        return erp.queryForObject("SELECT COUNT(*) FROM erp_order WHERE marketplace_order_id = :id",
                Map.of("id", marketplaceOrderId), Integer.class);
    }

    private static ObjectNode priced(ObjectNode order, long unitPrice) {
        ((ObjectNode) order.at("/items/0")).put("price", unitPrice);
        return order;
    }

    private static ArrayNode tags(ObjectNode order) {
        return (ArrayNode) order.at("/items/0/priceTags");
    }

    private static String uniqueOrderId() {
        return System.nanoTime() + "-01";
    }

    /** A second {@link SellerOrders} whose price check is in {@code mode} (the shared context's refuses). */
    private SellerOrders inMode(PriceCheck.Mode mode) {
        return new SellerOrders(jdbc, tx, links, timeline, projection, offers, logistics, outbox,
                properties.withPriceCheck(new PriceCheck(mode, BigDecimal.ZERO)), json, clock, releaseChannel, cancelChannel);
    }
}
