package dev.vtexbridge.orders;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Everything that happens to an order, written in the transaction that made it happen: state changes, refusals
 * with their reason, the ERP write, the calls to the marketplace and their failures. Read by the ops API
 * ({@code GET /ops/api/orders/{id}}).
 */
@Component
public class OrderTimeline {

    private static final Logger log = LoggerFactory.getLogger(OrderTimeline.class);

    /** Who started it. */
    public enum Source {
        MARKETPLACE, ERP, ENGINE, OPS,
        /** Marketplace role: the VTEX store, calling the services endpoint or answering the engine's calls. */
        VTEX
    }

    /** What happened. */
    public enum Event {
        PLACEMENT, FULFIL, EXPIRY, MARKETPLACE_CANCEL, ERP_WRITE, ERP_CANCEL,
        INVOICE, RETURN_INVOICE, TRACKING, TRACKING_STATUS, SELLER_CANCEL, MARKETPLACE_CALL,
        /** The placed prices held against the offers ({@code bridge.seller.price-check}). */
        PRICE_CHECK,
        /** The units held for an order the ERP took over, let go once its stock shows them ({@link HandoverHolds}). */
        STOCK_HOLD,
        /** Marketplace role: the order taken from the external marketplace, and its later approval or cancellation. */
        RECEIVED,
        /** Marketplace role: what the engine told the marketplace (its events sink). */
        MARKETPLACE_EVENT
    }

    /** How it ended. */
    public enum Outcome {
        ACCEPTED, REPEATED, REFUSED, DONE, SKIPPED, FAILED, REPLAYED, DISCARDED,
        /** Accepted, but kept from the next step until someone reviews it. */
        HELD
    }

    /** One line of the timeline. */
    public record Entry(OffsetDateTime at, Source source, Event event, Outcome outcome, OrderStatus statusBefore,
                        OrderStatus statusAfter, String detail) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public OrderTimeline(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(String orderId, Source source, Event event, Outcome outcome, OrderStatus before,
                       OrderStatus after, String detail) {
        jdbc.update("INSERT INTO order_event (order_id, happened_at, source, event, outcome, status_before, status_after, "
                        + "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", orderId,
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC), source.name(), event.name(),
                outcome.name(), before == null ? null : before.name(), after == null ? null : after.name(), detail);
        if (outcome == Outcome.REFUSED || outcome == Outcome.FAILED || outcome == Outcome.HELD) {
            log.info("Order {}: {} {} ({})", orderId, event, outcome, detail);
        }
    }

    /** Records what a {@link OrderLifecycle.Decision} means, before anything else of it is applied. */
    public void record(String orderId, Source source, Event event, OrderStatus before, OrderLifecycle.Decision decision,
                       String detail) {
        if (decision instanceof OrderLifecycle.Move move) {
            record(orderId, source, event, Outcome.ACCEPTED, before, move.to(), detail);
        } else if (decision instanceof OrderLifecycle.Repeat repeat) {
            record(orderId, source, event, Outcome.REPEATED, before, before, join(repeat.why(), detail));
        } else if (decision instanceof OrderLifecycle.Refuse refuse) {
            record(orderId, source, event, Outcome.REFUSED, before, before, join(refuse.reason(), detail));
        }
    }

    /** Whether the order's timeline has such an entry. */
    public boolean has(String orderId, Event event, Outcome outcome) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM order_event WHERE order_id = ? AND event = ? AND outcome = ?",
                Integer.class, orderId, event.name(), outcome.name());
        return count != null && count > 0;
    }

    /** Oldest first. */
    public List<Entry> of(String orderId) {
        return jdbc.query("SELECT happened_at, source, event, outcome, status_before, status_after, detail FROM order_event "
                        + "WHERE order_id = ? ORDER BY happened_at, id",
                (rs, n) -> new Entry(rs.getObject("happened_at", OffsetDateTime.class), Source.valueOf(rs.getString("source")),
                        Event.valueOf(rs.getString("event")), Outcome.valueOf(rs.getString("outcome")),
                        status(rs.getString("status_before")), status(rs.getString("status_after")), rs.getString("detail")),
                orderId);
    }

    private static OrderStatus status(String name) {
        return name == null ? null : OrderStatus.valueOf(name);
    }

    private static String join(String reason, String detail) {
        return detail == null || detail.isBlank() ? reason : reason + " (" + detail + ")";
    }
}
