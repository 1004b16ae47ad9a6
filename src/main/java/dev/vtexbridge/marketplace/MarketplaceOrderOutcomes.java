package dev.vtexbridge.marketplace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.orders.OrderStatus;
import dev.vtexbridge.orders.OrderTimeline;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Outcome;
import dev.vtexbridge.orders.OrderTimeline.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What became of a marketplace order on its store, whichever way it was placed (the order flow's answers, the order
 * integration's processing results, a lookup): placed, failed, dispatch authorized. Each is one transaction under the
 * order's lock, with its timeline line and its event for the marketplace, and happens once: a repeat changes nothing
 * and answers false.
 */
@Component
public class MarketplaceOrderOutcomes {

    private static final Logger log = LoggerFactory.getLogger(MarketplaceOrderOutcomes.class);

    private final MarketplaceOrderStore store;
    private final OrderTimeline timeline;
    private final MarketplaceOrderEvents events;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public MarketplaceOrderOutcomes(MarketplaceOrderStore store, OrderTimeline timeline, MarketplaceOrderEvents events,
                                    TransactionTemplate tx, ObjectMapper json) {
        this.store = store;
        this.timeline = timeline;
        this.events = events;
        this.tx = tx;
        this.json = json;
    }

    /**
     * RECEIVED becomes PLACED (event {@code placed}), once; {@code late}: a FAILED order too (the order integration's
     * success came after the engine had given up waiting for it). False when the order was not in such a status.
     */
    boolean markPlaced(MarketplaceOrderStore.Order order, String vtexOrderId, String detail, boolean late) {
        Boolean changed = tx.execute(s -> {
            MarketplaceOrderStore.Order locked = store.lock(order.connectionId(), order.orderId()).orElseThrow();
            if (locked.status() != OrderStatus.RECEIVED && !(late && locked.status() == OrderStatus.FAILED)) {
                return false;
            }
            store.placed(order.orderId(), vtexOrderId, json.createObjectNode().put("orderId", vtexOrderId).toString());
            timeline.record(order.orderId(), Source.VTEX, Event.PLACEMENT, Outcome.ACCEPTED, locked.status(),
                    OrderStatus.PLACED, detail);
            events.record(order.connectionId(), order.orderId(), order.marketplaceOrderId(), vtexOrderId, "placed", "place",
                    null, null);
            return true;
        });
        if (Boolean.TRUE.equals(changed)) {
            log.info("Marketplace order {} of connection {} {}", order.marketplaceOrderId(), order.connectionId(), detail);
        }
        return Boolean.TRUE.equals(changed);
    }

    /** RECEIVED becomes FAILED (event {@code failed} with the code and reason, and {@code extra}), once. */
    boolean markFailed(MarketplaceOrderStore.Order order, String reason, ObjectNode extra) {
        Boolean changed = tx.execute(s -> {
            MarketplaceOrderStore.Order locked = store.lock(order.connectionId(), order.orderId()).orElseThrow();
            if (locked.status() != OrderStatus.RECEIVED) {
                return false;
            }
            store.setStatus(order.orderId(), OrderStatus.FAILED);
            timeline.record(order.orderId(), Source.VTEX, Event.PLACEMENT, Outcome.REFUSED, OrderStatus.RECEIVED,
                    OrderStatus.FAILED, reason);
            ObjectNode fields = json.createObjectNode().put("reason", reason);
            String code = codeOf(reason);
            if (code != null) {
                fields.put("code", code);
            }
            if (extra != null) {
                fields.setAll(extra);
            }
            events.record(order.connectionId(), order.orderId(), order.marketplaceOrderId(), null, "failed", "place", fields, null);
            return true;
        });
        return Boolean.TRUE.equals(changed);
    }

    /** PLACED becomes READY_FOR_HANDLING (event {@code dispatch-authorized}), once. */
    boolean markDispatched(MarketplaceOrderStore.Order order, Source source, String detail) {
        Boolean changed = tx.execute(s -> {
            MarketplaceOrderStore.Order locked = store.lock(order.connectionId(), order.orderId()).orElseThrow();
            if (locked.status() != OrderStatus.PLACED) {
                return false;
            }
            store.setStatus(order.orderId(), OrderStatus.READY_FOR_HANDLING);
            timeline.record(order.orderId(), source, Event.FULFIL, Outcome.ACCEPTED, OrderStatus.PLACED,
                    OrderStatus.READY_FOR_HANDLING, detail);
            events.record(order.connectionId(), order.orderId(), order.marketplaceOrderId(), locked.storeOrderId(),
                    "dispatch-authorized", "fulfil", null, null);
            return true;
        });
        return Boolean.TRUE.equals(changed);
    }

    static String codeOf(String reason) {
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("\\b([A-Z]{3,5}\\d{3})\\b").matcher(reason);
        return code.find() ? code.group(1) : null;
    }
}
