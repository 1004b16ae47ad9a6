package dev.vtexbridge.seller;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.sync.ConnectionOffers;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferState;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static dev.vtexbridge.seller.OrderEndpointsTest.offer;
import static dev.vtexbridge.seller.OrderEndpointsTest.order;
import static dev.vtexbridge.seller.SimulationTest.SIMULATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Quantities a placement or a simulation may ask for: positive, and at most {@code bridge.seller.max-quantity} units
 * of one SKU per line and over all its lines, counted in 64 bits. Over the limit is refused with FMT002 and holds
 * nothing; before the limit existed, two lines of 2147483647 units wrapped the per-SKU sum around to −2 and the
 * placement was accepted, lowering the held count and raising the available stock.
 */
class PlacementQuantityTest extends EngineTest {

    private static final String ORDERS = "/seller/pvt/orders";

    @Autowired
    OfferProjection projection;
    @Autowired
    ConnectionOffers connectionOffers;
    @Autowired
    SellerCredentials credentials;
    @Autowired
    SellerProperties properties;

    SellerClient vtex;
    String sku;

    @BeforeEach
    void seed() {
        vtex = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
        sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
        projection.upsert(offer(sku, 10));
    }

    @Test
    void twoLinesOfMaxIntUnitsOfOneSkuAreRefusedAndHoldNothing() throws IOException {
        String marketplaceOrderId = System.nanoTime() + "-01";
        String attack = template("attack-quantity-overflow.json").replace("{{SKU}}", sku)
                .replace("{{MARKETPLACE_ORDER_ID}}", marketplaceOrderId);

        SellerClient.Answer refused = vtex.post(ORDERS, attack);

        assertVtexError(refused, 400, "FMT002");
        assertThat(refused.json().at("/error/message").asText()).contains("2147483647").contains(sku)
                .contains("at most " + properties.maxQuantity());
        assertUntouched(sku, 10);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM seller_order WHERE marketplace_order_id = ?", Integer.class,
                marketplaceOrderId)).as("no order stored").isZero();
    }

    @Test
    void aLineOverTheMaximumIsRefused() {
        SellerClient.Answer refused = vtex.post(ORDERS, order(uniqueOrderId(), sku, properties.maxQuantity() + 1));

        assertVtexError(refused, 400, "FMT002");
        assertThat(refused.json().at("/error/message").asText()).contains("items[0].quantity");
        assertUntouched(sku, 10);
    }

    @Test
    void linesOfOneSkuThatTogetherPassTheMaximumAreRefused() {
        int half = properties.maxQuantity() / 2 + 1;
        ObjectNode order = order(uniqueOrderId(), sku, half);
        ((com.fasterxml.jackson.databind.node.ArrayNode) order.get("items")).add(order.at("/items/0").deepCopy());
        ((com.fasterxml.jackson.databind.node.ArrayNode) order.at("/shippingData/logisticsInfo"))
                .add(((ObjectNode) order.at("/shippingData/logisticsInfo/0").deepCopy()).put("itemIndex", 1));

        SellerClient.Answer refused = vtex.post(ORDERS, order);

        assertVtexError(refused, 400, "FMT002");
        assertThat(refused.json().at("/error/message").asText()).contains((long) half * 2 + " units of SKU " + sku);
        assertUntouched(sku, 10);
    }

    @Test
    void zeroNegativeAndOutOfRangeQuantitiesAreRefused() {
        for (long quantity : new long[] {0, -1, Integer.MIN_VALUE, 2147483648L}) {
            ObjectNode order = order(uniqueOrderId(), sku, 1);
            ((ObjectNode) order.at("/items/0")).put("quantity", quantity);

            SellerClient.Answer refused = vtex.post(ORDERS, order);

            assertThat(refused.status()).as(quantity + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.json().at("/error/message").asText()).as(String.valueOf(quantity)).contains("items[0].quantity");
        }
        assertUntouched(sku, 10);
    }

    @Test
    void theSimulationHoldsQuantitiesToTheSameMaximum() {
        SellerClient.Answer overflow = vtex.post(SIMULATION, """
                {"items": [{"id": "%s", "quantity": 2147483647, "seller": "1"}, {"id": "%s", "quantity": 2147483647, "seller": "1"}],
                 "postalCode": "22270-030", "country": "BRA"}""".formatted(sku, sku));
        assertVtexError(overflow, 400, "FMT002");

        SellerClient.Answer overLine = vtex.post(SIMULATION, """
                {"items": [{"id": "%s", "quantity": %d, "seller": "1"}], "postalCode": "22270-030", "country": "BRA"}"""
                .formatted(sku, properties.maxQuantity() + 1));
        assertVtexError(overLine, 400, "FMT002");
        assertThat(overLine.json().at("/error/message").asText()).contains("items[0].quantity");

        int half = properties.maxQuantity() / 2 + 1;
        SellerClient.Answer overSum = vtex.post(SIMULATION, """
                {"items": [{"id": "%s", "quantity": %d, "seller": "1"}, {"id": "%s", "quantity": %d, "seller": "1"}],
                 "postalCode": "22270-030", "country": "BRA"}""".formatted(sku, half, sku, half));
        assertVtexError(overSum, 400, "FMT002");

        SellerClient.Answer atMaximum = vtex.post(SIMULATION, """
                {"items": [{"id": "%s", "quantity": %d, "seller": "1"}], "postalCode": "22270-030", "country": "BRA"}"""
                .formatted(sku, properties.maxQuantity()));
        assertThat(atMaximum.status()).as(atMaximum.body()).isEqualTo(200);
        assertThat(atMaximum.json().at("/items/0/quantity").asInt()).as("capped to what is available").isEqualTo(10);
    }

    @Test
    void theProjectionRefusesToHoldNonPositiveOrOverflowingAmounts() {
        assertThatThrownBy(() -> projection.hold(connectionOffers.allocation(Connection.DEFAULT), Map.of(sku, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> projection.hold(connectionOffers.allocation(Connection.DEFAULT), Map.of(sku, -2))).isInstanceOf(IllegalArgumentException.class);
        assertThat(projection.hold(connectionOffers.allocation(Connection.DEFAULT), Map.of(sku, Integer.MAX_VALUE))).containsEntry(sku,
                new OfferProjection.Shortage(OfferProjection.Shortage.Reason.NO_STOCK, 10));
        assertUntouched(sku, 10);

        assertThat(projection.hold(connectionOffers.allocation(Connection.DEFAULT), Map.of(sku, 4))).isEmpty();
        assertThat(projection.find(sku).orElseThrow().held()).isEqualTo(4);
        projection.release(Connection.DEFAULT, Map.of(sku, 4));
        assertUntouched(sku, 10);
    }

    /** Nothing held, stock as seeded, in the database and in the in-memory projection alike. */
    private void assertUntouched(String skuId, int stock) {
        assertThat(jdbc.queryForObject("SELECT held FROM offer_projection WHERE sku_id = ?", Integer.class, skuId))
                .as("held in the database").isZero();
        OfferState offer = projection.find(skuId).orElseThrow();
        assertThat(offer.held()).as("held").isZero();
        assertThat(offer.stock()).as("stock").isEqualTo(stock);
        assertThat(offer.available()).as("available").isEqualTo(stock);
    }

    static void assertVtexError(SellerClient.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().at("/error/code").asText()).isEqualTo(code);
        assertThat(answer.json().at("/error/message").asText()).isNotBlank();
        assertThat(answer.header("x-vtex-error-code")).isEqualTo(code);
    }

    static String template(String fixture) throws IOException {
        try (InputStream in = PlacementQuantityTest.class.getResourceAsStream("/fixtures/" + fixture)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String uniqueOrderId() {
        return System.nanoTime() + "-01";
    }
}
