package dev.vtexbridge.orders;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.erp.ErpOrder;
import dev.vtexbridge.erp.ErpOrderCancellation;
import dev.vtexbridge.erp.ErpSinkHeaders;
import dev.vtexbridge.errors.RetryLaterException;
import dev.vtexbridge.orders.OrderLinks.OrderLink;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Outcome;
import dev.vtexbridge.orders.OrderTimeline.Source;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The order leg towards the ERP ({@code routes/seller/order-to-erp.camel.yaml}): decides whether a released or
 * cancelled order still has to be written, gives the sink the canonical message, and records the ERP's
 * acknowledgement on the order link only after the sink committed. An order already in the ERP is not written again.
 * The units the order holds stay held after the hand-over until the ERP's stock shows the order ({@link HandoverHolds}).
 * The message names the order's connection (field {@code connection}, header {@value Connection#HEADER}) and that
 * connection's VTEX account.
 */
@Component("erpHandover")
public class ErpHandover {

    /** Header: {@code send} when the sink has to write the message, {@code none} when there is nothing to write. */
    public static final String ACTION = "BridgeErpAction";
    /** Exchange property: when this attempt to write the order began (no ERP stock before it can show the order). */
    static final String WRITE_BEGAN = "BridgeErpWriteBegan";

    private static final Logger log = LoggerFactory.getLogger(ErpHandover.class);

    private final OrderLinks links;
    private final OrderTimeline timeline;
    private final HandoverHolds holds;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Connections connections;
    private final Clock clock;
    private final Duration waitForRelease;

    public ErpHandover(OrderLinks links, OrderTimeline timeline, HandoverHolds holds, TransactionTemplate tx,
                       ObjectMapper json, Connections connections, Clock clock,
                       @Value("${bridge.orders.wait-for-earlier-step}") Duration waitForRelease) {
        this.links = links;
        this.timeline = timeline;
        this.holds = holds;
        this.tx = tx;
        this.json = json;
        this.connections = connections;
        this.clock = clock;
        this.waitForRelease = waitForRelease;
    }

    /** An order released for dispatch: the canonical order to write, unless it is in the ERP or was cancelled. */
    public void prepareRelease(Exchange exchange) throws JsonProcessingException {
        OrderLink order = order(exchange);
        Message message = exchange.getIn();
        if (order.inErp()) {
            timeline.record(order.orderId(), Source.ENGINE, Event.ERP_WRITE, Outcome.REPEATED, order.status(),
                    order.status(), "released again; already in the ERP (" + order.erpReference() + ")");
            message.setHeader(ACTION, "none");
        } else if (order.status() == OrderStatus.CANCELED) {
            links.erpSkipped(order.orderId(), "not sent: cancelled before it reached the ERP");
            timeline.record(order.orderId(), Source.ENGINE, Event.ERP_WRITE, Outcome.SKIPPED, order.status(),
                    order.status(), "cancelled before it reached the ERP");
            message.setHeader(ACTION, "none");
        } else {
            message.setBody(releaseMessage(order));
            message.setHeader(ErpSinkHeaders.EVENT_TYPE, ErpOrder.RELEASED);
            message.setHeader(Connection.HEADER, order.connectionId());
            message.setHeader(ACTION, "send");
            // taken again on every attempt: a retried write can only be shown by ERP stock from after its own start
            exchange.setProperty(WRITE_BEGAN, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
        }
    }

    /** The canonical released order of an order link, with the payment data shared on {@code /fulfill} (if any). */
    public String releaseMessage(OrderLink order) throws JsonProcessingException {
        String payment = links.fulfilPayment(order.orderId());
        return json.writeValueAsString(ErpOrder.fromPlacement(json.readTree(order.orderJson()), order.orderId(),
                order.connectionId(), accountOf(order), payment == null ? null : json.readTree(payment)));
    }

    /**
     * The sink committed: the ERP's id goes on the order link, and the stock the order held stays held until the ERP's
     * stock shows the order ({@link HandoverHolds#handedOver}).
     */
    public void released(Exchange exchange) {
        String erpOrderId = exchange.getIn().getHeader(ErpSinkHeaders.ERP_ORDER_ID, String.class);
        String reference = exchange.getIn().getHeader(ErpSinkHeaders.ERP_REFERENCE, String.class);
        OffsetDateTime writeBegan = exchange.getProperty(WRITE_BEGAN, OffsetDateTime.class);
        tx.executeWithoutResult(status -> {
            OrderLink order = links.lock(orderId(exchange)).orElseThrow();
            if (order.inErp()) {
                return; // a concurrent twin got there first
            }
            links.erpAcknowledged(order.orderId(), erpOrderId, reference);
            HandoverHolds.Handover handover = holds.handedOver(order, writeBegan != null ? writeBegan
                    : OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
            String stock = handover.describe(holds.maximum());
            timeline.record(order.orderId(), Source.ENGINE, Event.ERP_WRITE, Outcome.DONE, order.status(), order.status(),
                    (erpOrderId == null ? "handed over" : "ERP order " + erpOrderId) + " (" + reference + ")"
                            + (stock.isEmpty() ? "" : "; " + stock));
            log.info("Order {} (marketplace order {}) is in the ERP: {}", order.orderId(), order.marketplaceOrderId(),
                    erpOrderId == null ? reference : erpOrderId);
        });
    }

    /**
     * An order cancelled by the marketplace after dispatch was authorized: the cancellation to write once the order
     * is in the ERP. While its release is still on the way, the message waits (error policy: retry later).
     */
    public void prepareCancel(Exchange exchange) throws JsonProcessingException {
        OrderLink order = order(exchange);
        Message message = exchange.getIn();
        if (order.inErp()) {
            message.setBody(json.writeValueAsString(new ErpOrderCancellation(order.connectionId(), accountOf(order),
                    order.marketplaceOrderId(), order.orderId(), order.erpOrderId(),
                    message.getHeader(SellerOrders.CANCELLATION_REASON, String.class))));
            message.setHeader(ErpSinkHeaders.EVENT_TYPE, ErpOrderCancellation.CANCELLED);
            message.setHeader(Connection.HEADER, order.connectionId());
            message.setHeader(ACTION, "send");
        } else if (order.erpReference() != null) {
            message.setHeader(ACTION, "none"); // never reached the ERP: nothing to stop there
        } else {
            throw new RetryLaterException("order " + order.orderId() + " has not reached the ERP yet", waitForRelease);
        }
    }

    public void cancelled(Exchange exchange) {
        OrderLink order = order(exchange);
        timeline.record(order.orderId(), Source.ENGINE, Event.ERP_CANCEL, Outcome.DONE, order.status(), order.status(),
                "cancellation written to the ERP");
    }

    /** The VTEX account of the order's connection; null once the configuration no longer has that connection. */
    private String accountOf(OrderLink order) {
        return connections.find(order.connectionId()).map(connection -> connection.vtex().account()).orElse(null);
    }

    private OrderLink order(Exchange exchange) {
        String orderId = orderId(exchange);
        return links.find(orderId).orElseThrow(() -> new IllegalStateException("no order " + orderId));
    }

    private static String orderId(Exchange exchange) {
        return exchange.getIn().getHeader("orderId", String.class);
    }
}
