package dev.vtexbridge.orders;

import dev.vtexbridge.ops.FailedMessageEvent;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Outcome;
import dev.vtexbridge.orders.OrderTimeline.Source;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Puts the failures of an order's messages on its timeline (ERP write, ERP cancel, marketplace call), with their
 * replays and discards, and keeps the state of a marketplace call in step: failed, pending again after a replay,
 * discarded. Messages are linked to their order by the {@code orderId} header the order flows set.
 */
@Component
class OrderFailures {

    private final OrderLinks links;
    private final OrderTimeline timeline;
    private final MarketplaceCalls calls;

    OrderFailures(OrderLinks links, OrderTimeline timeline, MarketplaceCalls calls) {
        this.links = links;
        this.timeline = timeline;
        this.calls = calls;
    }

    @EventListener
    void on(FailedMessageEvent failure) {
        Event event = eventOf(failure.routeId());
        Object orderId = failure.headers().get("orderId");
        if (event == null || orderId == null) {
            return;
        }
        links.find(orderId.toString()).ifPresent(order -> {
            Outcome outcome = switch (failure.action()) {
                case "REPLAYED" -> Outcome.REPLAYED;
                case "DISCARDED" -> Outcome.DISCARDED;
                default -> Outcome.FAILED; // FAILED, REPLAY_FAILED
            };
            timeline.record(order.orderId(), outcome == Outcome.FAILED ? Source.ENGINE : Source.OPS, event, outcome,
                    order.status(), order.status(), "failed message #" + failure.failedMessageId() + ": " + failure.detail());
            Object callId = failure.headers().get(MarketplaceCalls.CALL_ID);
            if (callId != null) {
                calls.mark(Long.parseLong(callId.toString()), switch (outcome) {
                    case REPLAYED -> MarketplaceCalls.Status.PENDING;
                    case DISCARDED -> MarketplaceCalls.Status.DISCARDED;
                    default -> MarketplaceCalls.Status.FAILED;
                });
            }
        });
    }

    private static Event eventOf(String routeId) {
        if (routeId.startsWith("order-to-erp-cancel")) {
            return Event.ERP_CANCEL;
        }
        if (routeId.startsWith("order-to-erp")) {
            return Event.ERP_WRITE;
        }
        return routeId.startsWith(MarketplaceCalls.ROUTE) ? Event.MARKETPLACE_CALL : null;
    }
}
