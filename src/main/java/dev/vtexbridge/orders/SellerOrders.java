package dev.vtexbridge.orders;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.errors.DeferredDeliveries;
import dev.vtexbridge.logistics.Logistics;
import dev.vtexbridge.logistics.SlaOption;
import dev.vtexbridge.orders.OrderLifecycle.Decision;
import dev.vtexbridge.orders.OrderLinks.OrderLink;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Source;
import dev.vtexbridge.seller.QuantityLimit;
import dev.vtexbridge.seller.SellerProperties;
import dev.vtexbridge.vtex.VtexErrorException;
import dev.vtexbridge.sync.ConnectionOffers;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The orders VTEX places with us as External Seller: placement (idempotent on {@code marketplaceOrderId} within the
 * connection, durable before it is answered, holding the stock at once), fulfil (dispatch authorized: handed to the ERP
 * leg through the {@code orders-release} channel, in the same transaction), cancel, and expiry of reservations at their
 * lockTTL. Which call may change what follows {@link OrderLifecycle}; each one is written on the order's timeline.
 *
 * <p>Each order belongs to the connection it was placed on; fulfil and cancel only find the orders of the connection
 * they come in on, so one marketplace can never act on another's order, whatever ids they share.
 */
@Service
public class SellerOrders {

    private static final Logger log = LoggerFactory.getLogger(SellerOrders.class);
    private static final int PLACEMENT_ATTEMPTS = 50;
    /** Header of a cancellation handed to the ERP leg: the reason the marketplace gave. */
    public static final String CANCELLATION_REASON = "cancellationReason";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final OrderLinks links;
    private final OrderTimeline timeline;
    private final OfferProjection projection;
    private final ConnectionOffers offers;
    private final Logistics logistics;
    private final DeferredDeliveries outbox;
    private final SellerProperties seller;
    private final QuantityLimit quantityLimit;
    private final ObjectMapper json;
    private final Clock clock;
    private final String releaseChannel;
    private final String cancelChannel;

    public SellerOrders(JdbcTemplate jdbc, TransactionTemplate tx, OrderLinks links, OrderTimeline timeline,
                        OfferProjection projection, ConnectionOffers offers, Logistics logistics, DeferredDeliveries outbox, SellerProperties seller, ObjectMapper json, Clock clock,
                        @Value("${bridge.channels.orders-release}") String releaseChannel,
                        @Value("${bridge.channels.orders-cancel}") String cancelChannel) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.links = links;
        this.timeline = timeline;
        this.projection = projection;
        this.offers = offers;
        this.logistics = logistics;
        this.outbox = outbox;
        this.seller = seller;
        this.quantityLimit = new QuantityLimit(seller.maxQuantity());
        this.json = json;
        this.clock = clock;
        this.releaseChannel = releaseChannel;
        this.cancelChannel = cancelChannel;
    }

    /** Places one order on connection {@value Connection#DEFAULT}: {@link #place(String, ObjectNode, PlacementOrder)}. */
    public ObjectNode place(ObjectNode received, PlacementOrder order) {
        return place(Connection.DEFAULT, received, order);
    }

    /**
     * Places one order on a connection, or answers the earlier placement of the same {@code marketplaceOrderId} on that
     * connection again. Returns the answer VTEX gets: the order as received plus our {@code orderId} and
     * {@code followUpEmail}.
     */
    public ObjectNode place(String connectionId, ObjectNode received, PlacementOrder order) {
        if (order.marketplaceOrderId() == null || order.marketplaceOrderId().isBlank()) {
            throw VtexErrorException.badRequest("Field 'marketplaceOrderId' is required");
        }
        // a repeat (VTEX retries, on whichever instance) keeps its first answer, whatever became of the offer since
        Optional<ObjectNode> placed = answerOf(connectionId, order.marketplaceOrderId());
        if (placed.isPresent()) {
            return placed.get();
        }
        validate(order);
        PriceCheck priceCheck = seller.priceCheck();
        PlacementPrices.Result prices = priceCheck.mode() == PriceCheck.Mode.OFF ? null
                : PlacementPrices.check(order, priceCheck,
                        sku -> offers.find(connectionId, sku).map(ConnectionOffers.ConnectionOffer::offer));
        for (int attempt = 1; attempt <= PLACEMENT_ATTEMPTS; attempt++) {
            Optional<ObjectNode> earlier = answerOf(connectionId, order.marketplaceOrderId());
            if (earlier.isPresent()) {
                return earlier.get(); // a repeat keeps its first answer, even if the offer's price moved since
            }
            if (prices != null && !prices.passed() && priceCheck.mode() == PriceCheck.Mode.REFUSE) {
                throw priceRefusal(order, prices);
            }
            try {
                return tx.execute(status -> create(connectionId, received, order, prices));
            } catch (DuplicateKeyException | PessimisticLockingFailureException concurrentTwin) {
                pause(); // the same order is being placed right now; its answer is about to be committed
            }
        }
        throw new VtexErrorException(503, "ORD008", "Order " + order.marketplaceOrderId()
                + " is being placed concurrently; retry");
    }

    private ObjectNode create(String connectionId, ObjectNode received, PlacementOrder order, PlacementPrices.Result prices) {
        String orderId = seller.orderIdPrefix() + jdbc.queryForObject("SELECT NEXTVAL('seller_order_seq')", Long.class);
        ObjectNode answer = received.deepCopy();
        answer.put("orderId", orderId);
        answer.put("followUpEmail", seller.followUpEmail());
        OffsetDateTime now = now();
        jdbc.update("INSERT INTO seller_order (order_id, connection_id, marketplace_order_id, marketplace_order_group, "
                        + "marketplace_services_endpoint, status, order_json, response_json, lock_expires_at, created_at, "
                        + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                orderId, connectionId, order.marketplaceOrderId(), order.marketplaceOrderGroup(),
                order.marketplaceServicesEndpoint(),
                OrderStatus.RESERVED.name(), received.toString(), answer.toString(), now.plus(lockTtl(order)), now, now);

        Map<String, Integer> quantities = quantities(order);
        Map<String, OfferProjection.Shortage> shortages = projection.hold(offers.allocation(connectionId), quantities);
        if (!shortages.isEmpty()) {
            throw refusal(shortages); // rolls the order back
        }
        quantities.forEach((sku, quantity) -> jdbc.update("INSERT INTO stock_reservation (order_id, sku_id, quantity, "
                + "status, updated_at) VALUES (?, ?, ?, 'OPEN', ?)", orderId, sku, quantity, now));
        timeline.record(orderId, Source.MARKETPLACE, Event.PLACEMENT, OrderTimeline.Outcome.ACCEPTED, null,
                OrderStatus.RESERVED, "marketplace order " + order.marketplaceOrderId() + ", " + quantities.size()
                        + " SKU(s) held until " + now.plus(lockTtl(order)));
        if (prices != null) {
            recordPriceCheck(orderId, order, prices);
        }
        log.info("Order {} placed for marketplace order {} (connection {}): {} SKU(s) held until {}", orderId,
                order.marketplaceOrderId(), connectionId, quantities.size(), now.plus(lockTtl(order)));
        return answer;
    }

    /** What fulfil and cancel answer on acceptance. */
    public record Receipt(String date, String marketplaceOrderId, String orderId, String receipt) {
    }

    /**
     * Dispatch authorized on a connection for one of its orders: the held stock stays held, and the order goes to the
     * ERP leg. Repeats are harmless.
     */
    public Receipt fulfil(String connectionId, String sellerOrderId, String marketplaceOrderId) {
        return fulfil(connectionId, sellerOrderId, marketplaceOrderId, null);
    }

    /**
     * The same, with the payment data the marketplace shared on {@code /fulfill} ({@link FulfilPayment#of}, card data
     * already gone; null when none): stored on the order before it is handed to the ERP leg, which forwards it.
     */
    public Receipt fulfil(String connectionId, String sellerOrderId, String marketplaceOrderId, ObjectNode payment) {
        Outcome outcome = tx.execute(status -> {
            OrderLink order = links.lock(connectionId, sellerOrderId).orElseThrow(() -> notFound(sellerOrderId));
            if (marketplaceOrderId != null && !marketplaceOrderId.equals(order.marketplaceOrderId())) {
                throw VtexErrorException.badRequest("Order " + sellerOrderId + " belongs to marketplace order "
                        + order.marketplaceOrderId() + ", not " + marketplaceOrderId);
            }
            Decision decision = OrderLifecycle.fulfil(order.status());
            if (payment != null && !(decision instanceof OrderLifecycle.Refuse)) {
                links.storeFulfilPayment(order.orderId(), payment.toString());
            }
            if (decision instanceof OrderLifecycle.Move) {
                if (order.status() == OrderStatus.EXPIRED) {
                    holdAgain(order); // throws (rolling back) when the stock is gone meanwhile
                } else {
                    commitReservation(order);
                }
                readyForHandling(order);
            }
            timeline.record(order.orderId(), Source.MARKETPLACE, Event.FULFIL, order.status(), decision, null);
            return new Outcome(order, decision);
        });
        if (outcome.decision() instanceof OrderLifecycle.Refuse refuse) {
            throw new VtexErrorException(409, "ORD_CANCELED", "Order " + outcome.order().orderId() + ": " + refuse.reason());
        }
        return receipt(outcome.order(), "fulfill");
    }

    /**
     * A cancellation from the marketplace of a connection, for one of its orders. Answers the acceptance, or empty when
     * the order is already invoiced: the protocol's refusal is the invoice itself, so the call is answered without
     * accepting.
     */
    public Optional<Receipt> cancel(String connectionId, String pathOrderId, String marketplaceOrderId, String reason) {
        Outcome outcome = tx.execute(status -> {
            OrderLink order = links.lockFirst(connectionId, Arrays.asList(pathOrderId, marketplaceOrderId))
                    .orElseThrow(() -> notFound(pathOrderId));
            Decision decision = OrderLifecycle.marketplaceCancel(order.status());
            timeline.record(order.orderId(), Source.MARKETPLACE, Event.MARKETPLACE_CANCEL, order.status(), decision, reason);
            if (decision instanceof OrderLifecycle.Move) {
                releaseHolds(order.orderId());
                links.setStatus(order.orderId(), OrderStatus.CANCELED);
                if (order.status() == OrderStatus.READY_FOR_HANDLING) {
                    handOff(order, cancelChannel, "cancelled after dispatch was authorized", reason);
                }
                log.info("Order {} (marketplace order {}) cancelled; its stock is back", order.orderId(),
                        order.marketplaceOrderId());
            }
            return new Outcome(order, decision);
        });
        return outcome.decision() instanceof OrderLifecycle.Refuse ? Optional.empty()
                : Optional.of(receipt(outcome.order(), "cancel"));
    }

    private record Outcome(OrderLink order, Decision decision) {
    }

    /**
     * Releases the stock of orders whose lockTTL ran out before fulfil; returns how many expired. Safe on every engine
     * instance at once: each order is locked ({@code FOR UPDATE}) and must still be RESERVED inside the transaction
     * that releases it, so an order another instance released meanwhile is left alone.
     */
    public int expireDue() {
        List<String> due = jdbc.queryForList("SELECT order_id FROM seller_order WHERE status = ? AND lock_expires_at <= ?",
                String.class, OrderStatus.RESERVED.name(), now());
        int expired = 0;
        for (String orderId : due) {
            Boolean done = tx.execute(status -> links.lock(orderId)
                    .filter(order -> order.status() == OrderStatus.RESERVED)
                    .map(order -> {
                        releaseHolds(orderId);
                        links.setStatus(orderId, OrderStatus.EXPIRED);
                        timeline.record(orderId, Source.ENGINE, Event.EXPIRY, order.status(),
                                OrderLifecycle.expire(order.status()), "lockTTL ran out before fulfil; stock released");
                        return true;
                    }).orElse(false));
            if (Boolean.TRUE.equals(done)) {
                expired++;
                log.info("Order {}: reservation expired before fulfil; its stock is back", orderId);
            }
        }
        return expired;
    }

    public Optional<OrderStatus> statusOf(String orderId) {
        return jdbc.queryForList("SELECT status FROM seller_order WHERE order_id = ?", String.class, orderId).stream()
                .findFirst().map(OrderStatus::valueOf);
    }

    // --- placement checks ---------------------------------------------------------------------------------------

    private void validate(PlacementOrder order) {
        if (order.items() == null || order.items().isEmpty()) {
            throw VtexErrorException.badRequest("Field 'items' is required and must not be empty");
        }
        if (order.items().size() > seller.maxItems()) {
            throw VtexErrorException.badRequest("Field 'items' has " + order.items().size() + " entries; at most "
                    + seller.maxItems() + " are accepted");
        }
        PlacementOrder.ShippingData shipping = order.shippingData();
        if (shipping == null || shipping.address() == null) {
            throw VtexErrorException.badRequest("Field 'shippingData.address' is required");
        }
        if ("outdated".equalsIgnoreCase(shipping.updateStatus())) {
            throw new VtexErrorException(400, "FMT010", "Shipping data is outdated; simulate again before placing");
        }
        for (int i = 0; i < order.items().size(); i++) {
            PlacementOrder.Item item = order.items().get(i);
            if (item == null || item.id() == null || item.id().isBlank()) {
                throw VtexErrorException.badRequest("Field 'items[" + i + "].id' is required");
            }
            if (item.quantity() == null || item.quantity() <= 0) {
                throw VtexErrorException.badRequest("Field 'items[" + i + "].quantity' must be greater than 0");
            }
            quantityLimit.checkLine(i, item.id(), item.quantity());
            OfferState offer = projection.findOrRead(item.id())
                    .orElseThrow(() -> new VtexErrorException(400, "ORD021", "SKU " + item.id() + " not found"));
            if (!offer.sellable()) {
                throw new VtexErrorException(400, "FMT002", "SKU " + item.id() + " is not available");
            }
            checkSelectedSla(i, item, offer, shipping);
        }
        quantityLimit.checkPerSku("order", order.items(), PlacementOrder.Item::id, PlacementOrder.Item::quantity);
    }

    /**
     * A placement priced below the offer, in refuse mode. {@code FMT007} is VTEX's code for a price divergence on
     * order placement (its fulfillment API answers it to a marketplace whose order price differs from the seller's);
     * the protocol lists no code of its own for it on the External Seller endpoints.
     */
    private static VtexErrorException priceRefusal(PlacementOrder order, PlacementPrices.Result prices) {
        log.warn("Refused marketplace order {}: {}", order.marketplaceOrderId(), prices.describe());
        return new VtexErrorException(400, "FMT007", "Price divergence: " + prices.mismatches().get(0).describe());
    }

    /** The price check's outcome on the timeline; in hold mode a mismatch keeps the order from the ERP (see fulfil). */
    private void recordPriceCheck(String orderId, PlacementOrder order, PlacementPrices.Result prices) {
        if (prices.passed()) {
            timeline.record(orderId, Source.ENGINE, Event.PRICE_CHECK, OrderTimeline.Outcome.ACCEPTED, OrderStatus.RESERVED,
                    OrderStatus.RESERVED, prices.describe());
        } else {
            timeline.record(orderId, Source.ENGINE, Event.PRICE_CHECK, OrderTimeline.Outcome.HELD, OrderStatus.RESERVED,
                    OrderStatus.RESERVED, prices.describe() + "; accepted, but held from the ERP until an operator releases it");
            log.warn("Order {} (marketplace order {}) accepted with a {}; it will not be handed to the ERP", orderId,
                    order.marketplaceOrderId(), prices.describe());
        }
    }

    private void checkSelectedSla(int index, PlacementOrder.Item item, OfferState offer, PlacementOrder.ShippingData shipping) {
        PlacementOrder.LogisticsInfo chosen = shipping.logisticsInfo() == null ? null : shipping.logisticsInfo().stream()
                .filter(info -> info != null && info.itemIndex() != null && info.itemIndex() == index)
                .findFirst().orElse(null);
        if (chosen == null || chosen.selectedSla() == null || chosen.selectedSla().isBlank()) {
            throw VtexErrorException.badRequest("Field 'shippingData.logisticsInfo' has no selectedSla for itemIndex " + index);
        }
        List<SlaOption> options = logistics.optionsFor(shipping.address().country(), shipping.address().postalCode(),
                offer, item.quantity());
        if (options.stream().noneMatch(option -> option.id().equals(chosen.selectedSla()))) {
            throw new VtexErrorException(400, "FMT010", "Delivery option " + chosen.selectedSla() + " is not available for SKU "
                    + item.id() + " to " + shipping.address().postalCode());
        }
    }

    private static VtexErrorException refusal(Map<String, OfferProjection.Shortage> shortages) {
        Map.Entry<String, OfferProjection.Shortage> first = new TreeMap<>(shortages).firstEntry();
        return switch (first.getValue().reason()) {
            case UNKNOWN -> new VtexErrorException(400, "ORD021", "SKU " + first.getKey() + " not found");
            case UNAVAILABLE -> new VtexErrorException(400, "FMT002", "SKU " + first.getKey() + " is not available");
            case NO_STOCK -> new VtexErrorException(400, "FMT002", "Not enough stock of SKU " + first.getKey()
                    + ": " + first.getValue().available() + " available");
        };
    }

    /** Units per SKU; {@link #validate} bounded each sum by {@code max-quantity}, addExact would throw, not wrap. */
    private static Map<String, Integer> quantities(PlacementOrder order) {
        Map<String, Integer> quantities = new LinkedHashMap<>();
        order.items().forEach(item -> quantities.merge(item.id(), item.quantity(), Math::addExact));
        return quantities;
    }

    private Duration lockTtl(PlacementOrder order) {
        return order.shippingData().logisticsInfo() == null ? defaultLockTtl() : order.shippingData().logisticsInfo().stream()
                .map(info -> info == null ? null : info.lockTTL())
                .map(LockTtl::parse)
                .flatMap(Optional::stream)
                .min(Duration::compareTo)
                .orElseGet(this::defaultLockTtl);
    }

    private Duration defaultLockTtl() {
        return LockTtl.parse(seller.defaultLockTtl()).orElse(Duration.ofDays(1));
    }

    // --- stored orders ------------------------------------------------------------------------------------------

    private Optional<ObjectNode> answerOf(String connectionId, String marketplaceOrderId) {
        return jdbc.queryForList("SELECT response_json FROM seller_order WHERE marketplace_order_id = ? AND connection_id = ?",
                String.class, marketplaceOrderId, connectionId).stream().findFirst().map(this::readObject);
    }

    private void commitReservation(OrderLink order) {
        jdbc.update("UPDATE stock_reservation SET status = 'COMMITTED', updated_at = ? WHERE order_id = ? AND status = 'OPEN'",
                now(), order.orderId());
    }

    /** A fulfil after the reservation expired: the marketplace has the payment, so hold the stock again if it is there. */
    private void holdAgain(OrderLink order) {
        Map<String, Integer> quantities = new LinkedHashMap<>();
        jdbc.query("SELECT sku_id, quantity FROM stock_reservation WHERE order_id = ?",
                rs -> { quantities.put(rs.getString(1), rs.getInt(2)); }, order.orderId());
        Map<String, OfferProjection.Shortage> shortages = projection.hold(offers.allocation(order.connectionId()), quantities);
        if (!shortages.isEmpty()) {
            throw refusal(shortages);
        }
        jdbc.update("UPDATE stock_reservation SET status = 'COMMITTED', updated_at = ? WHERE order_id = ?", now(), order.orderId());
    }

    private void readyForHandling(OrderLink order) {
        links.setStatus(order.orderId(), OrderStatus.READY_FOR_HANDLING);
        if (heldForItsPrice(order.orderId())) {
            String why = "held: price mismatch at placement; not handed to the ERP until released "
                    + "(POST /ops/api/orders/" + order.orderId() + "/release)";
            links.erpSkipped(order.orderId(), why); // so a later cancel has nothing to stop in the ERP
            timeline.record(order.orderId(), Source.ENGINE, Event.PRICE_CHECK, OrderTimeline.Outcome.HELD,
                    OrderStatus.READY_FOR_HANDLING, OrderStatus.READY_FOR_HANDLING, "dispatch authorized; " + why);
            log.warn("Order {} (marketplace order {}) ready for handling but {}", order.orderId(),
                    order.marketplaceOrderId(), why);
            return;
        }
        handOff(order, releaseChannel, "dispatch authorized", null);
        log.info("Order {} (marketplace order {}) ready for handling", order.orderId(), order.marketplaceOrderId());
    }

    /** What {@link #releaseHeld} found. */
    public enum Release { RELEASED, NOT_HELD, NOT_FOUND }

    /**
     * An operator accepts the price of an order the price check held: recorded on its timeline as the operator's;
     * if its fulfil has come already, it goes to the ERP now, else its fulfil hands it over as usual.
     */
    public Release releaseHeld(String anyId, String actor) {
        return tx.execute(status -> {
            Optional<OrderLink> found = links.lock(anyId);
            if (found.isEmpty()) {
                return Release.NOT_FOUND;
            }
            OrderLink order = found.get();
            boolean open = order.status() == OrderStatus.RESERVED || order.status() == OrderStatus.READY_FOR_HANDLING;
            if (!open || !heldForItsPrice(order.orderId())) {
                return Release.NOT_HELD;
            }
            timeline.record(order.orderId(), Source.OPS, Event.PRICE_CHECK, OrderTimeline.Outcome.ACCEPTED,
                    order.status(), order.status(), "price accepted by " + actor);
            if (order.status() == OrderStatus.READY_FOR_HANDLING) {
                links.erpSkipped(order.orderId(), null);
                handOff(order, releaseChannel, "dispatch authorized; price accepted by " + actor, null);
            }
            log.info("Order {} (marketplace order {}): price accepted by {}", order.orderId(), order.marketplaceOrderId(), actor);
            return Release.RELEASED;
        });
    }

    /** Held by the price check at placement, and not released since. */
    private boolean heldForItsPrice(String orderId) {
        return timeline.has(orderId, Event.PRICE_CHECK, OrderTimeline.Outcome.HELD)
                && !timeline.has(orderId, Event.PRICE_CHECK, OrderTimeline.Outcome.ACCEPTED);
    }

    /**
     * Gives back what the order still holds (cancelled or expired; also units kept after the ERP took it over, see
     * {@link HandoverHolds}), in the caller's transaction with the order locked. The rows are locked and each released
     * only while it still holds: the stock flow may let a handed-over unit go at the same time, and a unit goes once.
     */
    void releaseHolds(String orderId) {
        List<String> skus = jdbc.queryForList("SELECT sku_id FROM stock_reservation WHERE order_id = ? ORDER BY sku_id FOR UPDATE",
                String.class, orderId);
        if (skus.isEmpty()) {
            return;
        }
        Map<String, Integer> held = new TreeMap<>();
        OffsetDateTime now = now();
        jdbc.query("SELECT sku_id, quantity FROM stock_reservation WHERE order_id = ? AND status IN ('OPEN', 'COMMITTED', ?)",
                rs -> { held.put(rs.getString(1), rs.getInt(2)); }, orderId, HandoverHolds.HANDED_OVER);
        held.keySet().removeIf(sku -> jdbc.update("UPDATE stock_reservation SET status = 'RELEASED', updated_at = ? "
                + "WHERE order_id = ? AND sku_id = ? AND status IN ('OPEN', 'COMMITTED', ?)", now, orderId, sku,
                HandoverHolds.HANDED_OVER) == 0);
        if (!held.isEmpty()) {
            String connection = jdbc.queryForObject("SELECT connection_id FROM seller_order WHERE order_id = ?",
                    String.class, orderId);
            projection.release(connection, held);
        }
    }

    /** Queues the order for the next leg in this transaction: it is sent once the status change committed. */
    private void handOff(OrderLink order, String channel, String reason, String cancellationReason) {
        Map<String, Object> headers = new LinkedHashMap<>(Map.of("BridgeMessageKey", order.orderId(),
                "orderId", order.orderId(), "marketplaceOrderId", order.marketplaceOrderId(),
                Connection.HEADER, order.connectionId()));
        if (cancellationReason != null) {
            headers.put(CANCELLATION_REASON, cancellationReason);
        }
        try {
            outbox.enqueue("seller-orders", channel, order.answerJson(), headers, reason);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot queue order " + order.orderId(), e);
        }
    }

    /**
     * The acceptance of a fulfil or cancel. Its {@code receipt} is a name-based GUID of the order and the operation:
     * a repeated call answers the same one, fulfil and cancel of one order different ones.
     */
    private Receipt receipt(OrderLink order, String operation) {
        return new Receipt(now().toString(), order.marketplaceOrderId(), order.orderId(),
                receiptOf(order.orderId(), order.marketplaceOrderId(), operation));
    }

    private static String receiptOf(String orderId, String marketplaceOrderId, String operation) {
        return UUID.nameUUIDFromBytes(("vtex-bridge receipt/" + operation + "/" + orderId + "/" + marketplaceOrderId)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static VtexErrorException notFound(String id) {
        return new VtexErrorException(404, "ORD_NOT_FOUND", "No order " + id);
    }

    private ObjectNode readObject(String text) {
        try {
            return (ObjectNode) json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored order answer is not JSON", e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VtexErrorException(503, "ORD008", "Interrupted; retry");
        }
    }
}
