package dev.vtexbridge.marketplace;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.errors.RetryLaterException;
import dev.vtexbridge.orders.OrderStatus;
import dev.vtexbridge.orders.OrderTimeline;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Outcome;
import dev.vtexbridge.orders.OrderTimeline.Source;
import dev.vtexbridge.vtex.VtexAnswers;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The order flow's steps for a connection with {@code orders.placement: order-integration} (vtex-protocol.md §3.5.b):
 * <pre>
 * RECEIVED, not enqueued           -> simulate (SLA, price, warehouses), then enqueue POST /api/order-integration/orders
 * RECEIVED, enqueued               -> await the processing result ({@link OrderIntegrationResults}), at most
 *                                     orders.result-timeout; then result-lookup GET /api/oms/pvt/orders/{id}
 * PLACED and approved              -> approve PUT /api/order-integration/orders/status, then await its result the same way
 * </pre>
 * Each enqueue is counted before the call, under the attempt count the step was chosen with, so twins of one order
 * make one call. An enqueue whose answer was lost is sent again: the store answers a marketplace order id it already has
 * with {@code EOI007}, which counts as enqueued. A lost processing result is covered by the lookup after the timeout:
 * found, the order is placed; not found, it fails with that reason (a result arriving later still places it).
 */
@Component("orderIntegrationPlacement")
public class OrderIntegrationPlacement {

    /** OMS statuses of an order whose approval went through (payment approved or later). */
    static final Set<String> APPROVED_ON_STORE = Set.of("payment-approved", "window-to-cancel", "ready-for-handling",
            "start-handling", "handling", "invoice", "invoiced");

    private final MarketplaceOrderFlow flow;
    private final MarketplaceOrderOutcomes outcomes;
    private final MarketplaceOrderStore store;
    private final OrderTimeline timeline;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration retryLater;

    public OrderIntegrationPlacement(MarketplaceOrderFlow flow, MarketplaceOrderOutcomes outcomes,
                                     MarketplaceOrderStore store, OrderTimeline timeline,
                                     ObjectMapper json, Clock clock,
                                     @Value("${bridge.errors.default-retry-after}") long retryLaterSeconds) {
        this.flow = flow;
        this.outcomes = outcomes;
        this.store = store;
        this.timeline = timeline;
        this.json = json;
        this.clock = clock;
        this.retryLater = Duration.ofSeconds(retryLaterSeconds);
    }

    /** The next step of an order not placed yet. */
    static String receivedStep(MarketplaceOrderStore.Order order, Duration timeout, Clock clock,
                               Function<MarketplaceOrderStore.Order, String> cancelUnplaced) {
        if (order.integrationEnqueuedAt() == null) {
            // a cancellation before any enqueue leaves nothing on the store; after one, the order is placed, then cancelled
            return order.placementAttempts() == 0 && order.cancelRequestedAt() != null ? cancelUnplaced.apply(order)
                    : "simulate";
        }
        return waitedOut(order.integrationEnqueuedAt(), timeout, clock) ? "result-lookup" : "await";
    }

    /** The next step of a placed order the marketplace approved. */
    static String approvalStep(MarketplaceOrderStore.Order order, Duration timeout, Clock clock) {
        if (order.approvalRequestedAt() == null) {
            return "approve";
        }
        return waitedOut(order.approvalRequestedAt(), timeout, clock) ? "result-lookup" : "await";
    }

    private static boolean waitedOut(OffsetDateTime since, Duration timeout, Clock clock) {
        return !since.plus(timeout).toInstant().isAfter(clock.instant());
    }

    // --- enqueue: POST {api}/api/order-integration/orders?affiliateId=&an=

    public void enqueueRequest(Exchange exchange) throws IOException {
        MarketplaceOrderStore.Order order = flow.order(exchange);
        Connection connection = flow.connection(exchange);
        String body = OrderIntegrationRequests.newOrder(json, connection, order.marketplaceOrderId(), flow.orderBody(exchange),
                exchange.getProperty(MarketplaceOrderFlow.LOGISTICS, JsonNode.class),
                exchange.getProperty(MarketplaceOrderFlow.SIMULATION, JsonNode.class)).toString();
        int seen = exchange.getProperty(MarketplaceOrderFlow.ATTEMPTS_SEEN, order.placementAttempts(), Integer.class);
        // committed before the call, and only from the count this step was chosen with: a concurrent twin stops here
        if (!store.claimPlacement(order.orderId(), seen)) {
            exchange.setProperty(MarketplaceOrderFlow.STEP, "done");
            return;
        }
        MarketplaceOrderFlow.request(exchange, "POST", "affiliateId=" + connection.vtex().affiliateId() + "&an="
                + connection.vtex().account(), body);
    }

    public void enqueued(Exchange exchange) throws IOException, HttpOperationFailedException {
        MarketplaceOrderStore.Order order = flow.order(exchange);
        int status = VtexAnswers.status(exchange);
        OrderIntegrationRequests.Envelope answer = OrderIntegrationRequests.Envelope.of(flow.readBody(exchange));
        if (answer.is(OrderIntegrationRequests.ENQUEUED) || answer.is(OrderIntegrationRequests.DUPLICATE)) {
            boolean duplicate = answer.is(OrderIntegrationRequests.DUPLICATE);
            store.integrationEnqueued(order.orderId());
            timeline.record(order.orderId(), Source.VTEX, Event.PLACEMENT, duplicate ? Outcome.REPEATED : Outcome.ACCEPTED,
                    order.status(), order.status(), (duplicate ? "the store's order integration has this order already ("
                    : "enqueued on the store's order integration (") + answer.code() + "); waiting for its processing result");
            flow.next(exchange);
            return;
        }
        if (status == 429 || status == 408 || status >= 500 || answer.code() != null
                && OrderIntegrationRequests.TRANSIENT.contains(answer.code())) {
            if (status < 500 && status != 429 && status != 408) {
                throw new IOException("the store's order integration answered " + answer.reason() + ": retry later");
            }
            VtexAnswers.requireSuccess(exchange); // 429 deferred, 5xx redelivered: the next attempt enqueues again
        }
        if (answer.code() != null || status >= 400) {
            flow.fail(exchange, order, answer.code() != null ? answer.reason() : flow.reason(exchange));
            return;
        }
        throw new IllegalStateException("unexpected answer of the store's order integration (HTTP " + status + "): "
                + exchange.getIn().getBody(String.class));
    }

    // --- await: the processing result comes to the services endpoint; this message comes back at the timeout

    public void await(Exchange exchange) {
        MarketplaceOrderStore.Order order = flow.order(exchange);
        OffsetDateTime since = order.status() == OrderStatus.RECEIVED ? order.integrationEnqueuedAt()
                : order.approvalRequestedAt();
        Duration left = Duration.between(clock.instant(),
                since.plus(flow.connection(exchange).ordersOrDefault().resultTimeoutOrDefault()).toInstant());
        throw new RetryLaterException("waiting for the processing result of order " + order.orderId()
                + " from the store's order integration", left.isNegative() ? Duration.ZERO : left);
    }

    // --- result-lookup: GET {api}/api/oms/pvt/orders/{orderId}, once no result came within orders.result-timeout

    public void lookupRequest(Exchange exchange) {
        MarketplaceOrderFlow.request(exchange, "GET", null, null);
    }

    public void lookedUp(Exchange exchange) throws IOException, HttpOperationFailedException {
        MarketplaceOrderStore.Order order = flow.order(exchange);
        String timeout = flow.connection(exchange).ordersOrDefault().resultTimeoutOrDefault().toString();
        int status = VtexAnswers.status(exchange);
        if (status != 200 && status != 404) {
            VtexAnswers.requireSuccess(exchange);
        }
        JsonNode found = status == 200 ? flow.readBody(exchange) : null;
        if (order.status() == OrderStatus.RECEIVED) {
            if (found != null) {
                outcomes.markPlaced(order, found.path("orderId").asText(order.orderId()), "no processing result within "
                        + timeout + "; found on the store by lookup (status " + found.path("status").asText("?") + ")", false);
                flow.next(exchange);
            } else {
                flow.fail(exchange, order, "no processing result from the store's order integration within " + timeout
                        + ", and the store has no order " + order.storeOrderId());
            }
            return;
        }
        String storeStatus = found == null ? "not found" : found.path("status").asText("?");
        if (APPROVED_ON_STORE.contains(storeStatus)) {
            outcomes.markDispatched(order, Source.VTEX, "no approval result within " + timeout + "; the store shows the order "
                    + storeStatus);
        } else {
            store.releaseApproval(order.orderId()); // the approval did not go through: it is requested again
            timeline.record(order.orderId(), Source.ENGINE, Event.FULFIL, Outcome.FAILED, order.status(), order.status(),
                    "no approval result within " + timeout + " and the store shows the order " + storeStatus
                            + "; approving again");
        }
        flow.next(exchange);
    }

    // --- approve: PUT {api}/api/order-integration/orders/status?an=

    public void approveRequest(Exchange exchange) {
        MarketplaceOrderStore.Order order = flow.order(exchange);
        Connection connection = flow.connection(exchange);
        if (!store.claimApproval(order.orderId())) {
            exchange.setProperty(MarketplaceOrderFlow.STEP, "done"); // a twin of this message requests it
            return;
        }
        MarketplaceOrderFlow.request(exchange, "PUT", "an=" + connection.vtex().account(),
                OrderIntegrationRequests.approval(json, connection, order.marketplaceOrderId()).toString());
    }

    public void approvalAnswered(Exchange exchange) throws IOException, HttpOperationFailedException {
        MarketplaceOrderStore.Order order = flow.order(exchange);
        int status = VtexAnswers.status(exchange);
        OrderIntegrationRequests.Envelope answer = OrderIntegrationRequests.Envelope.of(flow.readBody(exchange));
        if (answer.is(OrderIntegrationRequests.APPROVED)) {
            outcomes.markDispatched(order, Source.VTEX, "approved on the store's order integration (SOI002)");
            flow.next(exchange);
            return;
        }
        if (answer.is(OrderIntegrationRequests.ENQUEUED)) {
            timeline.record(order.orderId(), Source.VTEX, Event.FULFIL, Outcome.ACCEPTED, order.status(), order.status(),
                    "approval enqueued on the store's order integration (SOI003); waiting for its result");
            flow.next(exchange);
            return;
        }
        store.releaseApproval(order.orderId()); // not taken: the next attempt requests it again
        if (answer.is(OrderIntegrationRequests.APPROVE_BEFORE_INTEGRATE)
                || answer.is(OrderIntegrationRequests.AWAITING_AUTHORIZATION)) {
            timeline.record(order.orderId(), Source.VTEX, Event.FULFIL, Outcome.SKIPPED, order.status(), order.status(),
                    answer.reason() + "; approving again later");
            throw new RetryLaterException("the store's order integration cannot approve order " + order.orderId()
                    + " yet: " + answer.reason(), retryLater);
        }
        if (answer.code() != null && OrderIntegrationRequests.TRANSIENT.contains(answer.code()) && status < 500) {
            throw new IOException("the store's order integration answered " + answer.reason() + ": retry later");
        }
        if (answer.code() != null && status < 400) {
            timeline.record(order.orderId(), Source.VTEX, Event.FULFIL, Outcome.REFUSED, order.status(), order.status(),
                    answer.reason());
            throw new IllegalStateException("the store's order integration refused the approval of order "
                    + order.orderId() + ": " + answer.reason());
        }
        VtexAnswers.requireSuccess(exchange);
        throw new IllegalStateException("unexpected answer of the store's order integration (HTTP " + status + "): "
                + exchange.getIn().getBody(String.class));
    }
}
