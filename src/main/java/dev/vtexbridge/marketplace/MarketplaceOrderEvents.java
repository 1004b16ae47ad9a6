package dev.vtexbridge.marketplace;

import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.connections.MarketplaceEvents;
import dev.vtexbridge.errors.DeferredDeliveries;
import dev.vtexbridge.orders.OrderTimeline;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * What the external marketplace is told of its orders: one {@code marketplace_order_event} row per (order, type,
 * reference), written in the transaction that made it happen, with the receipt answered to VTEX for a callback, and
 * queued through the outbox to {@code bridge.channels.marketplace-events}; {@code routes/marketplace/marketplace-events.camel.yaml}
 * relays it to the connection's {@code events} sink once. A repeated event (the same invoice twice) is the same row:
 * no second relay, the same receipt.
 */
@Component("marketplaceOrderEvents")
public class MarketplaceOrderEvents {

    /** Header of a queued event: its row id. */
    static final String EVENT_ID = "BridgeEventId";
    /** Header the REST sink gets: the event's id, the same on a redelivery, for the marketplace to drop repeats. */
    static final String EVENT_ID_HTTP = "X-Bridge-Event-Id";
    static final String ROUTE = "marketplace-events";

    /** An event as recorded: new ({@code created}) or the earlier one of the same key. */
    public record Recorded(long id, String receipt, OffsetDateTime at, boolean created) {
    }

    private final JdbcTemplate jdbc;
    private final Connections connections;
    private final DeferredDeliveries outbox;
    private final OrderTimeline timeline;
    private final ObjectMapper json;
    private final Clock clock;
    private final String channel;

    public MarketplaceOrderEvents(JdbcTemplate jdbc, Connections connections, DeferredDeliveries outbox,
                                  OrderTimeline timeline, ObjectMapper json, Clock clock,
                                  @Value("${bridge.channels.marketplace-events}") String channel) {
        this.jdbc = jdbc;
        this.connections = connections;
        this.outbox = outbox;
        this.timeline = timeline;
        this.json = json;
        this.clock = clock;
        this.channel = channel;
    }

    /** The event of that key, if it was recorded. */
    public java.util.Optional<Recorded> find(String orderId, String type, String reference) {
        List<Recorded> found = jdbc.query("SELECT id, receipt, created_at FROM marketplace_order_event WHERE order_id = ? "
                        + "AND type = ? AND reference = ?",
                (rs, n) -> new Recorded(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class), false),
                orderId, type, reference);
        return found.stream().findFirst();
    }

    /**
     * Records an event in the caller's transaction (which holds the order's lock) and queues its relay; an event
     * of that key already recorded is answered as it was. {@code fields}: VTEX's (or the engine's) fields of the event.
     */
    public Recorded record(String connectionId, String orderId, String marketplaceOrderId, String vtexOrderId, String type,
                           String reference, JsonNode fields, String receipt) {
        java.util.Optional<Recorded> earlier = find(orderId, type, reference);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Connection connection = connections.require(connectionId);
        OffsetDateTime now = now();
        ObjectNode event = json.createObjectNode();
        if (fields != null && fields.isObject()) {
            event.setAll((ObjectNode) fields);
        }
        event.put("connection", connectionId).put("marketplaceOrderId", marketplaceOrderId).put("vtexOrderId", vtexOrderId)
                .put("type", type).put("at", now.toString());
        String payload = event.toString();
        boolean sink = connection.events() != null && connection.events().sinkName() != null;
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        try {
            jdbc.update(con -> {
                var ps = con.prepareStatement("INSERT INTO marketplace_order_event (order_id, connection_id, type, reference, "
                        + "receipt, payload, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"});
                ps.setString(1, orderId);
                ps.setString(2, connectionId);
                ps.setString(3, type);
                ps.setString(4, reference);
                ps.setString(5, receipt);
                ps.setString(6, payload);
                ps.setString(7, sink ? "PENDING" : "SKIPPED");
                ps.setObject(8, now);
                ps.setObject(9, now);
                return ps;
            }, key);
        } catch (DuplicateKeyException twin) {
            return find(orderId, type, reference).orElseThrow(() -> twin);
        }
        long id = key.getKey().longValue();
        if (sink) {
            try {
                outbox.enqueue(ROUTE, channel, payload, Map.of(Connection.HEADER, connectionId, EVENT_ID, id,
                        "BridgeMessageKey", orderId), type + " event of order " + orderId);
            } catch (IOException e) {
                throw new IllegalStateException("cannot queue the " + type + " event of order " + orderId, e);
            }
        }
        return new Recorded(id, receipt, now, true);
    }

    /** Gives an event recorded without a receipt (the engine's own) the receipt answered to the store's notice of it. */
    void setReceipt(long id, String receipt) {
        jdbc.update("UPDATE marketplace_order_event SET receipt = ?, updated_at = ? WHERE id = ? AND receipt IS NULL",
                receipt, now(), id);
    }

    /** A fresh receipt for a callback: a GUID. */
    static String newReceipt() {
        return UUID.randomUUID().toString();
    }

    /**
     * Before the sink: skips an event already relayed; else the event as the sink takes it (every other header
     * dropped), its URI in {@code BridgeEventSinkUri} and {@code BridgeEventDue=true}.
     */
    public void toSink(Exchange exchange) {
        long id = exchange.getIn().getHeader(EVENT_ID, Long.class);
        Map<String, Object> row = jdbc.queryForMap("SELECT connection_id, order_id, payload, status FROM marketplace_order_event "
                + "WHERE id = ?", id);
        exchange.setProperty(EVENT_ID, id);
        boolean due = "PENDING".equals(row.get("status"));
        exchange.setProperty("BridgeEventDue", due);
        if (!due) {
            return;
        }
        Connection connection = connections.require((String) row.get("connection_id"));
        MarketplaceEvents events = connection.events();
        Message in = exchange.getIn();
        in.removeHeaders("*", Connection.HEADER);
        in.setHeader("BridgeMessageKey", row.get("order_id"));
        switch (events.sinkName()) {
            case "rest" -> {
                in.setHeader(Exchange.HTTP_METHOD, events.restMethod());
                in.setHeader(Exchange.CONTENT_TYPE, "application/json");
                in.setHeader(EVENT_ID_HTTP, String.valueOf(id));
                events.rest().headers().forEach(in::setHeader);
                exchange.setProperty("BridgeEventSinkUri", events.rest().url());
            }
            case "kafka" -> {
                in.setHeader("kafka.KEY", readMarketplaceOrderId((String) row.get("payload")));
                exchange.setProperty("BridgeEventSinkUri", "kafka:" + events.kafka().topic());
            }
            default -> exchange.setProperty("BridgeEventSinkUri", "jms:queue:" + events.jms().queue());
        }
        in.setBody(row.get("payload"));
    }

    /** The sink took the event. */
    public void sent(Exchange exchange) {
        long id = exchange.getProperty(EVENT_ID, Long.class);
        Map<String, Object> row = jdbc.queryForMap("SELECT order_id, type, reference FROM marketplace_order_event WHERE id = ?", id);
        if (jdbc.update("UPDATE marketplace_order_event SET status = 'SENT', updated_at = ? WHERE id = ? AND status = 'PENDING'",
                now(), id) > 0) {
            timeline.record((String) row.get("order_id"), OrderTimeline.Source.ENGINE, OrderTimeline.Event.MARKETPLACE_EVENT,
                    OrderTimeline.Outcome.DONE, null, null, row.get("type") + " " + row.get("reference")
                            + " relayed to the events sink");
        }
    }

    private String readMarketplaceOrderId(String payload) {
        try {
            return json.readTree(payload).path("marketplaceOrderId").asText();
        } catch (IOException e) {
            throw new IllegalStateException("stored event is not JSON", e);
        }
    }

    private OffsetDateTime now() {
        // milliseconds: what the database keeps of it, so a repeat answers the very same date
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }
}
