package dev.vtexbridge.orders;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.vtexbridge.orders.OrderLinks.OrderLink;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Outcome;
import dev.vtexbridge.orders.OrderTimeline.Source;
import dev.vtexbridge.sync.ErpStockApplied;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferSyncStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The units of an order the ERP has taken over, until the ERP's own stock shows the order. The ERP's stock of a SKU
 * drops only once the ERP has processed the order, and the engine learns of that through the stock flow; releasing
 * the hold at the hand-over would offer the sold units again in between. So at the hand-over the order's held units
 * become {@code HANDED_OVER} (still counted as held), stamped with the moment the ERP write began, and they go:
 * <ul>
 *   <li>when the stock flow applies an ERP stock version of the SKU after that moment ({@link #applied}, in the stock
 *       flow's transaction: the new stock and the end of the hold are one commit);</li>
 *   <li>at once at the hand-over, when such a version was applied already (an ERP whose stock change arrives before
 *       the engine recorded the ERP's acknowledgement);</li>
 *   <li>after {@code bridge.orders.handover-hold} without such a change ({@link #letGoOverdue}), so an ERP that never
 *       reports one cannot keep the units out of sale for good;</li>
 *   <li>on cancellation, with the order's other holds ({@link SellerOrders}).</li>
 * </ul>
 * An ERP stock change without a version says nothing of when the stock was so and lets nothing go. Every release
 * locks the reservation rows and changes only those still {@code HANDED_OVER}: whichever of these comes first lets a
 * unit go, once, on any instance.
 *
 * <p>Lock order, as everywhere else: order link, then sync state (SKU order), then reservation rows (SKU order), then
 * projection rows (SKU order).
 */
@Component("handoverHolds")
public class HandoverHolds implements ErpStockApplied {

    private static final Logger log = LoggerFactory.getLogger(HandoverHolds.class);
    static final String HANDED_OVER = "HANDED_OVER";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TransactionTemplate ownTx;
    private final OrderLinks links;
    private final OrderTimeline timeline;
    private final OfferProjection projection;
    private final OfferSyncStore syncStore;
    private final Clock clock;
    private final Duration maximum;

    public HandoverHolds(JdbcTemplate jdbc, TransactionTemplate tx, OrderLinks links, OrderTimeline timeline,
                         OfferProjection projection, OfferSyncStore syncStore, Clock clock,
                         @Value("${bridge.orders.handover-hold}") Duration maximum) {
        if (maximum.isNegative()) {
            throw new IllegalArgumentException("bridge.orders.handover-hold must not be negative: " + maximum);
        }
        this.jdbc = jdbc;
        this.tx = tx;
        this.ownTx = new TransactionTemplate(tx.getTransactionManager());
        this.ownTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.links = links;
        this.timeline = timeline;
        this.projection = projection;
        this.syncStore = syncStore;
        this.clock = clock;
        this.maximum = maximum;
    }

    /** The longest units stay held after the hand-over without an ERP stock change. */
    public Duration maximum() {
        return maximum;
    }

    /** What the hand-over did with an order's held units, per SKU: kept until the ERP's stock shows them, or let go. */
    public record Handover(SortedMap<String, Integer> kept, SortedMap<String, Integer> released) {

        /** For the order's timeline. */
        String describe(Duration maximum) {
            List<String> parts = new ArrayList<>();
            if (!kept.isEmpty()) {
                parts.add("stock held until the ERP's stock shows the order (at most " + maximum + "): " + kept);
            }
            if (!released.isEmpty()) {
                parts.add((maximum.isZero() ? "stock released at the hand-over (bridge.orders.handover-hold 0): "
                        : "stock released, the ERP's stock shows the order already: ") + released);
            }
            return String.join("; ", parts);
        }
    }

    /**
     * The ERP acknowledged the order, in the caller's transaction with the order locked. {@code writeBegan}: when the
     * write the ERP acknowledged began (no ERP stock before it can show the order). A SKU whose applied ERP stock
     * version is after it already shows the order and is let go now; the others stay held, {@code HANDED_OVER}.
     */
    Handover handedOver(OrderLink order, OffsetDateTime writeBegan) {
        SortedMap<String, Integer> committed = new TreeMap<>();
        jdbc.query("SELECT sku_id, quantity FROM stock_reservation WHERE order_id = ? AND status = 'COMMITTED'",
                rs -> { committed.put(rs.getString(1), rs.getInt(2)); }, order.orderId());
        SortedMap<String, Integer> kept = new TreeMap<>();
        SortedMap<String, Integer> released = new TreeMap<>();
        if (maximum.isZero()) {
            released.putAll(committed);
        } else if (!committed.isEmpty()) {
            // the SKUs' sync state locked: a stock change of them commits wholly before this reads it, or after this
            // hold is marked (and then lets it go itself)
            Map<String, OfferSyncStore.SyncState> states = syncStore.lockExisting(committed.keySet());
            committed.forEach((sku, quantity) -> {
                OfferSyncStore.SyncState state = states.get(sku);
                OffsetDateTime version = state == null ? null : state.stockVersion();
                (version != null && version.isAfter(writeBegan) ? released : kept).put(sku, quantity);
            });
        }
        OffsetDateTime now = now();
        kept.keySet().forEach(sku -> jdbc.update("UPDATE stock_reservation SET status = ?, handover_from = ?, updated_at = ? "
                + "WHERE order_id = ? AND sku_id = ? AND status = 'COMMITTED'", HANDED_OVER, writeBegan, now, order.orderId(), sku));
        released.keySet().forEach(sku -> jdbc.update("UPDATE stock_reservation SET status = 'RELEASED', updated_at = ? "
                + "WHERE order_id = ? AND sku_id = ? AND status = 'COMMITTED'", now, order.orderId(), sku));
        if (!released.isEmpty()) {
            projection.release(order.connectionId(), released);
        }
        return new Handover(kept, released);
    }

    /** The stock flow applied these ERP stock versions: the handed-over holds of those SKUs from before them go. */
    @Override
    public void applied(Map<String, OffsetDateTime> versions) {
        List<Held> shown = new ArrayList<>();
        for (List<String> chunk : chunks(new TreeSet<>(versions.keySet()))) { // rows locked in SKU order
            jdbc.query("SELECT order_id, sku_id, quantity, handover_from FROM stock_reservation WHERE status = ? AND sku_id IN ("
                            + String.join(", ", chunk.stream().map(sku -> "?").toList()) + ") ORDER BY sku_id, order_id FOR UPDATE",
                    rs -> {
                        Held held = new Held(rs.getString(1), rs.getString(2), rs.getInt(3),
                                rs.getObject(4, OffsetDateTime.class));
                        OffsetDateTime version = versions.get(held.skuId());
                        if (held.from() == null || version.isAfter(held.from())) {
                            shown.add(held);
                        }
                    }, args(HANDED_OVER, chunk));
        }
        if (shown.isEmpty()) {
            return;
        }
        Map<String, OrderLink> orders = new HashMap<>();
        shown.forEach(held -> orders.computeIfAbsent(held.orderId(), id -> links.find(id).orElseThrow()));
        List<Held> released = release(shown, orders);
        // the timeline is written once this commits, in a transaction of its own: the stock flow never waits on an order's lock
        afterCommit(() -> released.forEach(held -> record(orders.get(held.orderId()), held,
                "the ERP's stock of " + held.skuId() + " (version " + versions.get(held.skuId()) + ") shows the order")));
    }

    /**
     * Lets go of the handed-over holds older than {@code bridge.orders.handover-hold}: no ERP stock change of their SKU
     * came since. Safe on every instance at once (each order locked, each row released only while still handed over).
     *
     * @return how many orders had units let go
     */
    public int letGoOverdue() {
        OffsetDateTime due = now().minus(maximum);
        List<String> orderIds = jdbc.queryForList("SELECT DISTINCT order_id FROM stock_reservation WHERE status = ? "
                + "AND updated_at <= ?", String.class, HANDED_OVER, due);
        int orders = 0;
        for (String orderId : orderIds) {
            Boolean done = tx.execute(status -> links.lock(orderId).map(order -> {
                List<Held> overdue = jdbc.query("SELECT order_id, sku_id, quantity, handover_from FROM stock_reservation "
                                + "WHERE order_id = ? AND status = ? AND updated_at <= ? ORDER BY sku_id FOR UPDATE",
                        (rs, n) -> new Held(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getObject(4, OffsetDateTime.class)),
                        orderId, HANDED_OVER, due);
                List<Held> released = release(overdue, Map.of(orderId, order));
                released.forEach(held -> record(order, held, "no ERP stock change of " + held.skuId()
                        + " within bridge.orders.handover-hold (" + maximum + ")"));
                return !released.isEmpty();
            }).orElse(false));
            if (Boolean.TRUE.equals(done)) {
                orders++;
            }
        }
        return orders;
    }

    /** One handed-over reservation row. */
    private record Held(String orderId, String skuId, int quantity, OffsetDateTime from) {
    }

    /**
     * Releases the (locked) rows that are still handed over, in SKU order (the order placements lock the projection
     * rows in); returns those released.
     */
    private List<Held> release(List<Held> rows, Map<String, OrderLink> orders) {
        OffsetDateTime now = now();
        List<Held> released = new ArrayList<>();
        rows.stream().sorted(Comparator.comparing(Held::skuId).thenComparing(Held::orderId)).forEach(held -> {
            if (jdbc.update("UPDATE stock_reservation SET status = 'RELEASED', updated_at = ? WHERE order_id = ? AND sku_id = ? "
                    + "AND status = ?", now, held.orderId(), held.skuId(), HANDED_OVER) == 1) {
                projection.release(orders.get(held.orderId()).connectionId(), Map.of(held.skuId(), held.quantity()));
                released.add(held);
            }
        });
        return released;
    }

    private void record(OrderLink order, Held held, String why) {
        timeline.record(order.orderId(), Source.ENGINE, Event.STOCK_HOLD, Outcome.DONE, order.status(), order.status(),
                held.quantity() + " unit(s) of " + held.skuId() + " released: " + why);
        log.info("Order {}: {} unit(s) of SKU {} held since the ERP took the order over released: {}", order.orderId(),
                held.quantity(), held.skuId(), why);
    }

    /** Runs the action after the caller's transaction committed, in a transaction of its own. */
    private void afterCommit(Runnable action) {
        Runnable own = () -> {
            try {
                ownTx.executeWithoutResult(status -> action.run());
            } catch (RuntimeException e) {
                log.warn("Could not record released stock holds on the orders' timelines: {}", e.toString());
            }
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    own.run();
                }
            });
        } else {
            own.run();
        }
    }

    private static List<List<String>> chunks(Collection<String> values) {
        List<String> all = new ArrayList<>(values);
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += 500) {
            chunks.add(all.subList(from, Math.min(all.size(), from + 500)));
        }
        return chunks;
    }

    private static Object[] args(String first, List<String> rest) {
        Object[] args = new Object[rest.size() + 1];
        args[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            args[i + 1] = rest.get(i);
        }
        return args;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
