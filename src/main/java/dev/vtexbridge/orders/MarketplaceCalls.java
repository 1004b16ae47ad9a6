package dev.vtexbridge.orders;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.errors.DeferredDeliveries;
import dev.vtexbridge.errors.RetryLaterException;
import dev.vtexbridge.orders.OrderLinks.OrderLink;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Outcome;
import dev.vtexbridge.orders.OrderTimeline.Source;
import dev.vtexbridge.vtex.MarketplaceServices;
import dev.vtexbridge.vtex.PostOrderCall;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * The calls to the marketplace's services endpoint an order owes (invoice, tracking, tracking status, cancel): one
 * {@code order_outbound} row each, unique per (order, call, invoice number or event), queued through the outbox in
 * the transaction that accepted the ERP event, and sent by {@code routes/seller/marketplace-calls.camel.yaml}.
 * A call is made once: a row already sent is skipped, and a call waits while an earlier call of the same order is
 * still pending or failed, so VTEX sees an invoice before its tracking.
 */
@Component("marketplaceCalls")
public class MarketplaceCalls {

    /** Header of the queued call: its {@code order_outbound} id. */
    public static final String CALL_ID = "BridgeCallId";
    static final String ROUTE = "marketplace-calls";

    public enum Status { PENDING, SENT, FAILED, DISCARDED }

    /** A call, as the timeline shows what is still pending. */
    public record Call(long id, PostOrderCall kind, String reference, Status status, OffsetDateTime since) {
    }

    private final JdbcTemplate jdbc;
    private final OrderLinks links;
    private final OrderTimeline timeline;
    private final DeferredDeliveries outbox;
    private final MarketplaceServices services;
    private final ObjectMapper json;
    private final Clock clock;
    private final String channel;
    private final Duration waitForEarlierCall;

    public MarketplaceCalls(JdbcTemplate jdbc, OrderLinks links, OrderTimeline timeline, DeferredDeliveries outbox,
                            MarketplaceServices services, ObjectMapper json, Clock clock,
                            @Value("${bridge.channels.marketplace-calls}") String channel,
                            @Value("${bridge.orders.wait-for-earlier-step}") Duration waitForEarlierCall) {
        this.jdbc = jdbc;
        this.links = links;
        this.timeline = timeline;
        this.outbox = outbox;
        this.services = services;
        this.json = json;
        this.clock = clock;
        this.channel = channel;
        this.waitForEarlierCall = waitForEarlierCall;
    }

    public boolean exists(String orderId, PostOrderCall kind, String reference) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM order_outbound WHERE order_id = ? AND kind = ? AND reference = ?",
                Integer.class, orderId, kind.name(), reference) > 0;
    }

    /** The references of an order's calls of one kind. */
    List<String> references(String orderId, PostOrderCall kind) {
        return jdbc.queryForList("SELECT reference FROM order_outbound WHERE order_id = ? AND kind = ?", String.class,
                orderId, kind.name());
    }

    Optional<JsonNode> payload(String orderId, PostOrderCall kind, String reference) {
        return jdbc.queryForList("SELECT payload FROM order_outbound WHERE order_id = ? AND kind = ? AND reference = ?",
                String.class, orderId, kind.name(), reference).stream().findFirst().map(this::readTree);
    }

    /** Queues a call in the caller's transaction; the caller checked {@link #exists} under the order's lock. */
    void enqueue(OrderLink order, PostOrderCall kind, String reference, Object body) {
        try {
            String payload = json.writeValueAsString(body);
            OffsetDateTime now = now();
            GeneratedKeyHolder key = new GeneratedKeyHolder();
            jdbc.update(con -> {
                var ps = con.prepareStatement("INSERT INTO order_outbound (order_id, kind, reference, payload, status, "
                        + "created_at, updated_at) VALUES (?, ?, ?, ?, 'PENDING', ?, ?)", new String[] {"id"});
                ps.setString(1, order.orderId());
                ps.setString(2, kind.name());
                ps.setString(3, reference);
                ps.setString(4, payload);
                ps.setObject(5, now);
                ps.setObject(6, now);
                return ps;
            }, key);
            outbox.enqueue(ROUTE, channel, payload, Map.of("BridgeMessageKey", order.orderId(), "orderId", order.orderId(),
                    "marketplaceOrderId", order.marketplaceOrderId(), Connection.HEADER, order.connectionId(),
                    CALL_ID, key.getKey().longValue()), kind + " " + reference);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot queue the " + kind + " call of order " + order.orderId(), e);
        }
    }

    /**
     * Before the HTTP call: skips a call already made, waits (retry later) behind an earlier call of the order, and
     * else leaves only the call's method and the order's connection on the message, its URL in {@code BridgeCallUrl}
     * and {@code BridgeCallDue=true}.
     */
    public void prepare(Exchange exchange) {
        long id = exchange.getIn().getHeader(CALL_ID, Long.class);
        Row row = row(id);
        exchange.setProperty(CALL_ID, id);
        if (row.status() == Status.SENT || row.status() == Status.DISCARDED) {
            exchange.setProperty("BridgeCallDue", false);
            return;
        }
        jdbc.query("SELECT id, kind, reference, status FROM order_outbound WHERE order_id = ? AND id < ? "
                        + "AND status IN ('PENDING', 'FAILED') ORDER BY id FETCH FIRST 1 ROWS ONLY",
                (rs, n) -> rs.getString("kind") + " call " + rs.getString("reference") + " (#" + rs.getLong("id") + ", "
                        + rs.getString("status") + ")", row.orderId(), id).stream().findFirst().ifPresent(earlier -> {
                            throw new RetryLaterException("order " + row.orderId() + ": waiting for its " + earlier,
                                    waitForEarlierCall);
                        });
        OrderLink order = links.find(row.orderId()).orElseThrow();
        if (order.servicesEndpoint() == null || order.servicesEndpoint().isBlank()) {
            throw new IllegalStateException("order " + order.orderId() + " has no marketplaceServicesEndpoint");
        }
        String invoiceNumber = row.kind() == PostOrderCall.TRACKING || row.kind() == PostOrderCall.TRACKING_STATUS
                ? row.reference().substring(0, row.reference().indexOf('/')) : null;
        Message message = exchange.getIn();
        message.removeHeaders("*");
        // the order's own connection, as stored: its VTEX credentials and rate limits go with the call (vtexApi)
        message.setHeader(Connection.HEADER, order.connectionId());
        message.setHeader(Exchange.HTTP_METHOD, services.method(row.kind(), order.servicesEndpoint()));
        exchange.setProperty("BridgeCallUrl", services.url(order.servicesEndpoint(), row.kind(),
                order.marketplaceOrderId(), invoiceNumber));
        exchange.setProperty("BridgeCallDue", true);
    }

    /** After a 2xx: the call is made; the marketplace's receipt goes on the row and the timeline. */
    public void sent(Exchange exchange) {
        long id = exchange.getProperty(CALL_ID, Long.class);
        Row row = row(id);
        String receipt = receiptOf(exchange.getIn().getBody(String.class));
        jdbc.update("UPDATE order_outbound SET status = 'SENT', receipt = ?, updated_at = ? WHERE id = ?", receipt, now(), id);
        OrderLink order = links.find(row.orderId()).orElseThrow();
        timeline.record(order.orderId(), Source.ENGINE, Event.MARKETPLACE_CALL, Outcome.DONE, order.status(), order.status(),
                row.kind() + " " + row.reference() + ": " + exchange.getIn().getHeader(Exchange.HTTP_METHOD, "", String.class)
                        + " " + exchange.getProperty("BridgeCallUrl") + " answered "
                        + exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE) + ", receipt " + receipt);
    }

    /** The error policy gave up on a call, ops replayed it, or discarded it. A sent call stays sent. */
    void mark(long id, Status status) {
        jdbc.update("UPDATE order_outbound SET status = ?, updated_at = ? WHERE id = ? AND status <> 'SENT'",
                status.name(), now(), id);
    }

    /** The calls of an order not made yet. */
    public List<Call> pending(String orderId) {
        return jdbc.query("SELECT id, kind, reference, status, updated_at FROM order_outbound WHERE order_id = ? "
                        + "AND status <> 'SENT' ORDER BY id",
                (rs, n) -> new Call(rs.getLong("id"), PostOrderCall.valueOf(rs.getString("kind")), rs.getString("reference"),
                        Status.valueOf(rs.getString("status")), rs.getObject("updated_at", OffsetDateTime.class)), orderId);
    }

    private record Row(String orderId, PostOrderCall kind, String reference, Status status) {
    }

    private Row row(long id) {
        try {
            return jdbc.queryForObject("SELECT order_id, kind, reference, status FROM order_outbound WHERE id = ?",
                    (rs, n) -> new Row(rs.getString(1), PostOrderCall.valueOf(rs.getString(2)), rs.getString(3),
                            Status.valueOf(rs.getString(4))), id);
        } catch (EmptyResultDataAccessException e) {
            throw new IllegalStateException("no marketplace call #" + id, e);
        }
    }

    private String receiptOf(String answer) {
        try {
            JsonNode receipt = answer == null || answer.isBlank() ? null : json.readTree(answer).get("receipt");
            return receipt == null || receipt.isNull() ? null : receipt.asText();
        } catch (IOException notJson) {
            return null;
        }
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored call payload is not JSON", e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
