package dev.vtexbridge.testkit;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferUpdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plays the marketplace up to dispatch: an offer in the projection, an order placed (fixture
 * {@code order-placement.json}: 2 units at 4990 + 1500 freight = 11480 cents) and fulfilled, and waits until the
 * ERP acknowledged it.
 */
public final class OrderDriver {

    /** Price, freight and value of a fixture order of two units, in cents. */
    public static final long UNIT_PRICE = 4990;
    public static final long ORDER_VALUE = 2 * UNIT_PRICE + 1500;

    private final SellerClient vtex;
    private final OfferProjection projection;
    private final OrderLinks links;
    private final String sellerPath;

    public OrderDriver(SellerClient vtex, OfferProjection projection, OrderLinks links) {
        this(vtex, projection, links, "/seller/pvt");
    }

    /** A marketplace of another connection, calling its own seller path (e.g. {@code /seller/outlet/pvt}). */
    public OrderDriver(SellerClient vtex, OfferProjection projection, OrderLinks links, String sellerPath) {
        this.vtex = vtex;
        this.projection = projection;
        this.links = links;
        this.sellerPath = sellerPath;
    }

    /** What the marketplace and the ERP call the order. */
    public record Placed(String sku, String orderId, String marketplaceOrderId, String erpOrderId) {
    }

    public String newSku() {
        String sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
        projection.upsert(new OfferUpdate(sku, UNIT_PRICE, 5990L, null, true, "un", 1, 300, new BigDecimal("2"),
                new BigDecimal("30"), new BigDecimal("40"), Map.of("main", 100)));
        return sku;
    }

    /** Places two units and fulfils; the ERP id is null until the ERP acknowledged (see {@link #placeFulfilAndAwaitErp}). */
    public Placed placeAndFulfil(String servicesEndpoint) {
        return placeAndFulfil(servicesEndpoint, System.nanoTime() + "-01");
    }

    /** The same under a marketplace order id of the caller's (another marketplace may use the same one). */
    public Placed placeAndFulfil(String servicesEndpoint, String marketplaceOrderId) {
        String sku = newSku();
        ObjectNode order = SellerClient.fixture("order-placement.json");
        order.put("marketplaceOrderId", marketplaceOrderId).put("marketplaceServicesEndpoint", servicesEndpoint);
        ((ObjectNode) order.at("/items/0")).put("id", sku).put("quantity", 2);
        SellerClient.Answer placed = vtex.post(sellerPath + "/orders", order);
        assertThat(placed.status()).as(placed.body()).isEqualTo(200);
        String orderId = placed.json().get("orderId").asText();
        SellerClient.Answer fulfilled = vtex.post(sellerPath + "/orders/" + orderId + "/fulfill",
                "{\"marketplaceOrderId\":\"" + marketplaceOrderId + "\"}");
        assertThat(fulfilled.status()).as(fulfilled.body()).isEqualTo(200);
        return new Placed(sku, orderId, marketplaceOrderId, null);
    }

    public Placed placeFulfilAndAwaitErp(String servicesEndpoint) {
        return placeFulfilAndAwaitErp(servicesEndpoint, System.nanoTime() + "-01");
    }

    public Placed placeFulfilAndAwaitErp(String servicesEndpoint, String marketplaceOrderId) {
        Placed placed = placeAndFulfil(servicesEndpoint, marketplaceOrderId);
        return new Placed(placed.sku(), placed.orderId(), placed.marketplaceOrderId(), awaitErp(placed.orderId(),
                Duration.ofSeconds(20)));
    }

    public String awaitErp(String orderId, Duration atMost) {
        await().atMost(atMost).until(() -> links.find(orderId).orElseThrow().inErp());
        return links.find(orderId).orElseThrow().erpOrderId();
    }
}
