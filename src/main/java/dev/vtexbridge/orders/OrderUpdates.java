package dev.vtexbridge.orders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.erp.ErpOrder;
import dev.vtexbridge.erp.ErpOrderEvent;
import dev.vtexbridge.orders.OrderLifecycle.Decision;
import dev.vtexbridge.orders.OrderLinks.OrderLink;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Source;
import dev.vtexbridge.vtex.PostOrderBodies;
import dev.vtexbridge.vtex.PostOrderCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies what the ERP did with an order ({@link ErpOrderEvent}) to the order, per {@link OrderLifecycle}: in one
 * transaction it locks the order, drops a duplicate (the call it would queue exists already: same order, call and
 * invoice number or event), decides, records the decision on the timeline (refusals with their reason), moves the
 * order and queues the call to the marketplace ({@link MarketplaceCalls}), the marketplace of the order's connection.
 */
@Component("orderUpdates")
public class OrderUpdates {

    private static final Logger log = LoggerFactory.getLogger(OrderUpdates.class);

    private final OrderLinks links;
    private final OrderTimeline timeline;
    private final MarketplaceCalls calls;
    private final SellerOrders orders;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final Connections connections;

    public OrderUpdates(OrderLinks links, OrderTimeline timeline, MarketplaceCalls calls, SellerOrders orders,
                        TransactionTemplate tx, ObjectMapper json, Clock clock, Connections connections) {
        this.links = links;
        this.timeline = timeline;
        this.calls = calls;
        this.orders = orders;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.connections = connections;
    }

    /**
     * One event as JSON (the channel message). Incomplete events, events naming a connection the configuration does not
     * have, and unknown orders fail (failed-message store).
     */
    public void apply(String eventJson) throws JsonProcessingException {
        ErpOrderEvent event = json.readValue(eventJson, ErpOrderEvent.class);
        if (!event.problems().isEmpty()) {
            throw new IllegalArgumentException("ERP order event " + eventJson + ": " + String.join("; ", event.problems()));
        }
        if (event.namesConnection() && connections.find(event.connection()).isEmpty()) {
            throw new IllegalArgumentException("ERP order event names connection '" + event.connection() + "', which is not "
                    + "configured (configured: " + String.join(", ", connections.all().stream().map(Connection::id).toList())
                    + "): " + eventJson);
        }
        tx.executeWithoutResult(status -> {
            OrderLink order = lock(event).orElseThrow(() -> new IllegalStateException("no order "
                    + String.join(" / ", event.orderIds()) + (event.namesConnection()
                    ? " on connection " + event.connection()
                    : event.marketplaceOrderId() != null ? " (without a connection, a marketplace order id names an order "
                    + "of connection default)" : "") + " for ERP event " + eventJson));
            if (event.erpOrderId() != null && order.erpOrderId() == null) {
                links.learnErpOrderId(order.orderId(), event.erpOrderId());
            }
            switch (event.type()) {
                case INVOICE -> invoice(order, event.invoice());
                case TRACKING -> tracking(order, event.tracking());
                case TRACKING_STATUS -> trackingStatus(order, event.trackingStatus());
                case CANCELLATION -> cancellation(order, event.cancellation());
            }
        });
    }

    /**
     * Locks the event's order. With a connection named, only that connection's orders count. Without, our and the
     * ERP's id (unique in the engine) find their order whatever its connection, and a marketplace order id (unique only
     * within a connection) names connection default's.
     */
    private Optional<OrderLink> lock(ErpOrderEvent event) {
        List<String> unique = event.uniqueOrderIds();
        String marketplaceOrderId = event.marketplaceOrderId();
        if (event.namesConnection()) {
            List<String> ids = new ArrayList<>(unique);
            if (marketplaceOrderId != null && !marketplaceOrderId.isBlank()) {
                ids.add(marketplaceOrderId);
            }
            return links.lockFirst(event.connection(), ids);
        }
        Optional<OrderLink> byUniqueId = links.lockFirst(unique);
        if (byUniqueId.isPresent() || marketplaceOrderId == null || marketplaceOrderId.isBlank()) {
            return byUniqueId;
        }
        return links.lock(Connection.DEFAULT, marketplaceOrderId);
    }

    private void invoice(OrderLink order, ErpOrderEvent.Invoice invoice) {
        if (isDuplicate(order, PostOrderCall.INVOICE, invoice.number())) {
            return;
        }
        String detail = invoice.type() + " invoice " + invoice.number() + ", " + invoice.value() + " cents";
        if (invoice.isReturn()) {
            decide(order, Event.RETURN_INVOICE, OrderLifecycle.returnInvoice(order.status()), detail, PostOrderCall.INVOICE,
                    invoice.number(), PostOrderBodies.invoice(invoice, clock));
            return;
        }
        long orderValue = orderValue(order);
        boolean covers = order.invoicedValue() + invoice.value() >= orderValue;
        Decision decision = OrderLifecycle.saleInvoice(order.status(), covers);
        if (decision instanceof OrderLifecycle.Move) {
            links.addInvoicedValue(order.orderId(), invoice.value());
            detail += " (" + (order.invoicedValue() + invoice.value()) + " of " + orderValue + " invoiced)";
        }
        decide(order, Event.INVOICE, decision, detail, PostOrderCall.INVOICE, invoice.number(),
                PostOrderBodies.invoice(invoice, clock));
    }

    private void tracking(OrderLink order, ErpOrderEvent.Tracking tracking) {
        String reference = tracking.invoiceNumber() + "/" + tracking.trackingNumber();
        if (isDuplicate(order, PostOrderCall.TRACKING, reference)) {
            return;
        }
        boolean invoiceSent = calls.payload(order.orderId(), PostOrderCall.INVOICE, tracking.invoiceNumber())
                .filter(invoice -> ErpOrderEvent.Invoice.SALE.equals(invoice.path("type").asText())).isPresent();
        decide(order, Event.TRACKING, OrderLifecycle.tracking(order.status(), invoiceSent),
                "invoice " + tracking.invoiceNumber() + ", " + tracking.courier() + " " + tracking.trackingNumber(),
                PostOrderCall.TRACKING, reference, PostOrderBodies.tracking(tracking, clock));
    }

    private void trackingStatus(OrderLink order, ErpOrderEvent.TrackingStatus status) {
        PostOrderBodies.TrackingStatus body = PostOrderBodies.trackingStatus(status);
        String reference = status.invoiceNumber() + "/" + fingerprint(body);
        if (isDuplicate(order, PostOrderCall.TRACKING_STATUS, reference)) {
            return;
        }
        decide(order, Event.TRACKING_STATUS, OrderLifecycle.trackingStatus(order.status(),
                        isTracked(order, status.invoiceNumber()), body.isDelivered()),
                "invoice " + status.invoiceNumber() + (body.isDelivered() ? ", delivered" : ", in transit"),
                PostOrderCall.TRACKING_STATUS, reference, body);
    }

    private void cancellation(OrderLink order, ErpOrderEvent.Cancellation cancellation) {
        if (isDuplicate(order, PostOrderCall.CANCEL, "cancel")) {
            return;
        }
        Decision decision = OrderLifecycle.sellerCancel(order.status());
        if (decision instanceof OrderLifecycle.Move) {
            orders.releaseHolds(order.orderId());
        }
        decide(order, Event.SELLER_CANCEL, decision, "reason: " + cancellation.reason(), PostOrderCall.CANCEL, "cancel",
                PostOrderBodies.cancel(cancellation));
    }

    /** Records the decision; when accepted, moves the order and queues the marketplace call. */
    private void decide(OrderLink order, Event event, Decision decision, String detail, PostOrderCall call,
                        String reference, Object body) {
        timeline.record(order.orderId(), Source.ERP, event, order.status(), decision, detail);
        if (decision instanceof OrderLifecycle.Move move) {
            if (move.to() != order.status()) {
                links.setStatus(order.orderId(), move.to());
            }
            calls.enqueue(order, call, reference, body);
        }
    }

    private boolean isDuplicate(OrderLink order, PostOrderCall call, String reference) {
        if (calls.exists(order.orderId(), call, reference)) {
            log.info("Order {}: {} {} already taken into account; duplicate dropped", order.orderId(), call, reference);
            return true;
        }
        return false;
    }

    /** Tracking was sent for the invoice, or the invoice itself carried a tracking number. */
    private boolean isTracked(OrderLink order, String invoiceNumber) {
        return calls.references(order.orderId(), PostOrderCall.TRACKING).stream()
                .anyMatch(reference -> reference.startsWith(invoiceNumber + "/"))
                || calls.payload(order.orderId(), PostOrderCall.INVOICE, invoiceNumber)
                .map(invoice -> !invoice.path("trackingNumber").asText("").isBlank()).orElse(false);
    }

    private long orderValue(OrderLink order) {
        try {
            return ErpOrder.fromPlacement(json.readTree(order.orderJson()), order.orderId(), order.connectionId(), null)
                    .totalValue();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored order " + order.orderId() + " is not JSON", e);
        }
    }

    /** A short, stable key of a tracking status, so the same carrier report twice is one call. */
    private String fingerprint(Object body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsString(body)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
