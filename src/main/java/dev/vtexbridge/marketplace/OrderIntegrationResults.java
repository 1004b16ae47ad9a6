package dev.vtexbridge.marketplace;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.orders.OrderTimeline;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Outcome;
import dev.vtexbridge.orders.OrderTimeline.Source;
import dev.vtexbridge.vtex.VtexErrorException;
import dev.vtexbridge.web.StrictJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The processing results the store's New Order Integration posts to
 * {@code <connectorEndpoint>/order-integration/notification/processing-result?an=<account>} (the services endpoint,
 * token-guarded like its other paths), as the envelope {@link OrderIntegrationRequests.Envelope}:
 * <pre>
 * PlaceOrder, success (SOI001) -> PLACED with fields.mainOrderId as the VTEX order id, event "placed"
 * PlaceOrder, failure          -> FAILED with the store's code, message and errors, event "failed"
 * ApproveOrder, SOI002         -> READY_FOR_HANDLING (dispatch authorized), event "dispatch-authorized"
 * ApproveOrder, failure        -> on the timeline; EOI008/EOI011 make the approval due again
 * </pre>
 * Each is applied once (a repeat is a timeline line, no second event) and answered 200. A placed order the marketplace
 * approved or cancelled meanwhile gets a message of the order flow for its next step.
 */
@Component
public class OrderIntegrationResults {

    private static final Logger log = LoggerFactory.getLogger(OrderIntegrationResults.class);

    private final MarketplaceOrderOutcomes outcomes;
    private final MarketplaceOrderStore store;
    private final OrderTimeline timeline;
    private final MarketplaceOrderWork work;
    private final StrictJson strict;
    private final ObjectReader tree;
    private final ObjectMapper json;

    public OrderIntegrationResults(MarketplaceOrderOutcomes outcomes, MarketplaceOrderStore store, OrderTimeline timeline,
                                   MarketplaceOrderWork work, StrictJson strict, ObjectMapper json) {
        this.outcomes = outcomes;
        this.store = store;
        this.timeline = timeline;
        this.work = work;
        this.strict = strict;
        this.tree = strict.mapperBuilder().build().readerFor(JsonNode.class);
        this.json = json;
    }

    /** Applies one processing result of the connection's store; the answer's body. */
    String receive(Connection connection, byte[] body) {
        OrderIntegrationRequests.Envelope result = OrderIntegrationRequests.Envelope.of(read(body));
        if (result.marketplaceOrderId() == null) {
            throw invalid("field 'marketplaceOrderId' is required (text)");
        }
        MarketplaceOrderStore.Order order = store.find(connection.id(),
                connection.vtex().affiliateId() + "-" + result.marketplaceOrderId()).orElseThrow(() ->
                new VtexErrorException(404, "ORD_NOT_FOUND", "No order " + result.marketplaceOrderId() + " of connection "
                        + connection.id()));
        String what = result.code() + (result.operationId() == null ? "" : ", operation " + result.operationId());
        if ("ApproveOrder".equalsIgnoreCase(result.flow())) {
            approval(order, result, what);
        } else if ("PlaceOrder".equalsIgnoreCase(result.flow())) {
            placement(connection, order, result, what);
        } else {
            timeline.record(order.orderId(), Source.VTEX, Event.PLACEMENT, Outcome.SKIPPED, order.status(), order.status(),
                    "processing result of flow " + result.flow() + " (" + result.reason() + ") not acted on");
        }
        return json.createObjectNode().put("marketplaceOrderId", result.marketplaceOrderId()).put("received", true).toString();
    }

    private void placement(Connection connection, MarketplaceOrderStore.Order order,
                           OrderIntegrationRequests.Envelope result, String what) {
        boolean changed;
        if (result.success() && (result.code() == null || result.is(OrderIntegrationRequests.INTEGRATED))) {
            String vtexOrderId = result.mainOrderId() != null ? result.mainOrderId() : order.orderId();
            changed = outcomes.markPlaced(order, vtexOrderId, "integrated by the store's order integration as " + vtexOrderId
                    + " (" + what + ")", order.integrationEnqueuedAt() != null);
            if (changed) {
                MarketplaceOrderStore.Order placed = store.find(order.connectionId(), order.orderId()).orElseThrow();
                if (placed.approvedAt() != null || placed.cancelRequestedAt() != null) {
                    work.due(connection, order.orderId()); // its approval or cancellation is due now
                }
            }
        } else {
            ObjectNode fields = json.createObjectNode();
            if (result.errorsNode() != null) {
                fields.set("errors", result.errorsNode().deepCopy());
            }
            changed = outcomes.markFailed(order, result.reason(), fields);
        }
        if (!changed) {
            timeline.record(order.orderId(), Source.VTEX, Event.PLACEMENT, Outcome.REPEATED, order.status(), order.status(),
                    "processing result repeated or late (" + what + ")");
        }
    }

    private void approval(MarketplaceOrderStore.Order order, OrderIntegrationRequests.Envelope result, String what) {
        if (result.success() && (result.code() == null || result.is(OrderIntegrationRequests.APPROVED))) {
            if (!outcomes.markDispatched(order, Source.VTEX, "approved on the store's order integration (" + what + ")")) {
                timeline.record(order.orderId(), Source.VTEX, Event.FULFIL, Outcome.REPEATED, order.status(),
                        order.status(), "approval result repeated (" + what + ")");
            }
            return;
        }
        boolean again = result.is(OrderIntegrationRequests.APPROVE_BEFORE_INTEGRATE)
                || result.is(OrderIntegrationRequests.AWAITING_AUTHORIZATION);
        if (again) {
            store.releaseApproval(order.orderId()); // requested again by the order's next message
        }
        timeline.record(order.orderId(), Source.VTEX, Event.FULFIL, again ? Outcome.SKIPPED : Outcome.REFUSED,
                order.status(), order.status(), result.reason() + (again ? "; approving again later" : ""));
        log.info("Approval of marketplace order {} of connection {} not done: {}", order.marketplaceOrderId(),
                order.connectionId(), result.reason());
    }

    private JsonNode read(byte[] body) {
        JsonNode node;
        try {
            node = strict.read(tree, body == null ? new byte[0] : body);
        } catch (IllegalArgumentException | IOException e) {
            throw invalid(e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw invalid("the body must be a JSON object (the processing result)");
        }
        return node;
    }

    private static VtexErrorException invalid(String message) {
        return new VtexErrorException(400, "INVALID_CALLBACK", message);
    }
}
