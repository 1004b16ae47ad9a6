package dev.vtexbridge.marketplace;

import java.io.IOException;
import java.time.Clock;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.connections.MarketplaceOrders;
import dev.vtexbridge.orders.OrderStatus;
import dev.vtexbridge.orders.OrderTimeline;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Outcome;
import dev.vtexbridge.orders.OrderTimeline.Source;
import dev.vtexbridge.vtex.VtexAnswers;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of the order flow ({@code routes/marketplace/marketplace-orders.camel.yaml}), each decided from the order
 * store, so a redelivery, a deferred retry or a replay always picks up where the order stands:
 * <pre>
 * RECEIVED, never placed      -> simulate on the store (postal code; cheapest SLA where the order names none) -> place
 * RECEIVED, placement started -> look the order up on the store first (GET /api/oms/pvt/orders/{id}): found = placed
 * PLACED and approved         -> authorize dispatch
 * PLACED or dispatch authorized, and canceled by the marketplace -> cancel on the store (OMS)
 * </pre>
 * A connection with {@code orders.placement: order-integration} enqueues the order on the New Order Integration API
 * instead of placing it, waits for the processing result and approves through a status update: those steps are
 * {@link OrderIntegrationPlacement}'s (enqueue, await, result-lookup, approve).
 * Exactly one store order per marketplace order: each placement call is counted (committed) before it is made, so
 * after an answer that was lost the next attempt looks the order up instead of placing it again, and a duplicate
 * answer of the store is confirmed by the same lookup. A refusal (e.g. {@code FMT007}, {@code ORDER027}, no stock)
 * fails the order with the store's reason and tells the marketplace ({@code failed} event).
 */
@Component("marketplaceOrderFlow")
public class MarketplaceOrderFlow {

    /** Exchange properties: the next step, the store's order id, a placement refusal waiting for its confirmation. */
    static final String STEP = "BridgeOrderStep";
    static final String STORE_ORDER_ID = "BridgeVtexOrderId";
    static final String ORDER_ID = "BridgeMarketplaceOrder";
    static final String REFUSAL = "BridgePlacementRefusal";
    static final String LOGISTICS = "BridgePlacementLogistics";
    /** The store's simulation answer (its SLAs' delivery ids), and the placement attempts counted when the step was chosen. */
    static final String SIMULATION = "BridgePlacementSimulation";
    static final String ATTEMPTS_SEEN = "BridgePlacementAttemptsSeen";

    private final Connections connections;
    private final MarketplaceOrderStore store;
    private final OrderTimeline timeline;
    private final MarketplaceOrderEvents events;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final MarketplaceOrderOutcomes outcomes;

    public MarketplaceOrderFlow(Connections connections, MarketplaceOrderStore store, OrderTimeline timeline,
                                MarketplaceOrderEvents events, TransactionTemplate tx, ObjectMapper json, Clock clock,
                                MarketplaceOrderOutcomes outcomes) {
        this.connections = connections;
        this.store = store;
        this.timeline = timeline;
        this.events = events;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.outcomes = outcomes;
    }

    /** First step: which order (the channel message), then what it needs next. */
    public void start(Exchange exchange) throws IOException {
        JsonNode message = json.readTree(exchange.getIn().getBody(String.class));
        String connection = message.path("connection").asText();
        connections.require(connection);
        exchange.getIn().setHeader(Connection.HEADER, connection);
        exchange.setProperty(ORDER_ID, message.path("orderId").asText());
        exchange.removeProperty(REFUSAL);
        next(exchange);
    }

    /**
     * Sets {@value #STEP}: lookup, simulate, place, fulfil, cancel or done; with the order integration enqueue (after
     * simulate), await, result-lookup or approve instead of lookup, place and fulfil.
     */
    void next(Exchange exchange) {
        MarketplaceOrderStore.Order order = order(exchange);
        exchange.setProperty(STORE_ORDER_ID, order.storeOrderId());
        exchange.setProperty(ATTEMPTS_SEEN, order.placementAttempts());
        MarketplaceOrders settings = connection(exchange).ordersOrDefault();
        boolean integration = settings.usesOrderIntegration();
        java.time.Duration timeout = settings.resultTimeoutOrDefault();
        String step = switch (order.status()) {
            case RECEIVED -> integration ? OrderIntegrationPlacement.receivedStep(order, timeout, clock, this::cancelUnplaced)
                    : order.placementAttempts() > 0 ? "lookup"
                    : order.cancelRequestedAt() != null ? cancelUnplaced(order) : "simulate";
            case PLACED -> order.cancelRequestedAt() != null ? "cancel" : order.approvedAt() == null ? "done"
                    : integration ? OrderIntegrationPlacement.approvalStep(order, timeout, clock) : "fulfil";
            case READY_FOR_HANDLING -> order.cancelRequestedAt() != null ? "cancel" : "done";
            case INVOICED, SHIPPED, PARTIALLY_INVOICED, RETURNED -> {
                if (order.cancelRequestedAt() != null
                        && !timeline.has(order.orderId(), Event.MARKETPLACE_CANCEL, Outcome.REFUSED)) {
                    timeline.record(order.orderId(), Source.MARKETPLACE, Event.MARKETPLACE_CANCEL, Outcome.REFUSED,
                            order.status(), order.status(), "the order is invoiced on the store; cancelling it needs a "
                                    + "return invoice there first");
                }
                yield "done";
            }
            default -> "done";
        };
        exchange.setProperty(STEP, step);
    }

    /** A cancellation before anything reached the store: nothing to undo there. */
    private String cancelUnplaced(MarketplaceOrderStore.Order order) {
        tx.executeWithoutResult(s -> {
            store.setStatus(order.orderId(), OrderStatus.CANCELED);
            timeline.record(order.orderId(), Source.MARKETPLACE, Event.MARKETPLACE_CANCEL, Outcome.ACCEPTED, order.status(),
                    OrderStatus.CANCELED, "canceled before it was placed on the store");
            events.record(order.connectionId(), order.orderId(), order.marketplaceOrderId(), null, "canceled", "cancel",
                    json.createObjectNode().put("reason", "canceled by the marketplace before placement"), null);
        });
        return "done";
    }

    // --- lookup: GET {api}/api/oms/pvt/orders/{affiliateId}-{marketplaceOrderId}

    public void lookupRequest(Exchange exchange) {
        request(exchange, "GET", null, null);
    }

    public void lookedUp(Exchange exchange) throws IOException, HttpOperationFailedException {
        MarketplaceOrderStore.Order order = order(exchange);
        int status = VtexAnswers.status(exchange);
        if (status == 200) {
            JsonNode answer = readBody(exchange);
            String vtexOrderId = answer.path("orderId").asText(order.orderId());
            markPlaced(order, vtexOrderId, "found on the store after " + order.placementAttempts()
                    + " placement call(s) (the store's answer was lost or was a duplicate)");
            next(exchange);
            return;
        }
        if (status == 404) {
            String refusal = exchange.getProperty(REFUSAL, String.class);
            if (refusal != null) {
                fail(exchange, order, refusal);
            } else if (order.cancelRequestedAt() != null) {
                exchange.setProperty(STEP, cancelUnplaced(order));
            } else {
                exchange.setProperty(STEP, "simulate");
            }
            return;
        }
        VtexAnswers.requireSuccess(exchange);
    }

    // --- simulate: POST {api}/api/checkout/pub/orderForms/simulation?sc=&affiliateId=

    public void simulationRequest(Exchange exchange) throws IOException {
        Connection connection = connection(exchange);
        JsonNode body = orderBody(exchange);
        ObjectNode simulation = json.createObjectNode();
        ArrayNode items = simulation.putArray("items");
        body.path("items").forEach(item -> items.addObject().put("id", item.path("id").asText())
                .put("quantity", item.path("quantity").asInt()).put("seller", "1"));
        JsonNode address = body.path("shippingData").path("address");
        simulation.put("postalCode", address.path("postalCode").asText());
        simulation.put("country", address.path("country").asText());
        request(exchange, "POST", "sc=" + connection.vtex().salesChannel() + "&affiliateId="
                + connection.vtex().affiliateId(), simulation.toString());
    }

    public void simulated(Exchange exchange) throws IOException, HttpOperationFailedException {
        MarketplaceOrderStore.Order order = order(exchange);
        int status = VtexAnswers.status(exchange);
        if (status >= 400 && status < 500 && status != 429 && status != 408) {
            fail(exchange, order, "simulation refused: " + reason(exchange));
            return;
        }
        VtexAnswers.requireSuccess(exchange);
        JsonNode answer = readBody(exchange);
        JsonNode body = orderBody(exchange);
        ArrayNode logistics = json.createArrayNode();
        JsonNode given = body.path("shippingData").path("logisticsInfo");
        for (int i = 0; i < body.path("items").size(); i++) {
            JsonNode item = body.path("items").get(i);
            JsonNode simulatedItem = simulatedItem(answer, i, item.path("id").asText());
            if (simulatedItem == null || !"available".equalsIgnoreCase(simulatedItem.path("availability").asText("available"))
                    || simulatedItem.path("quantity").asInt(item.path("quantity").asInt()) < item.path("quantity").asInt()) {
                fail(exchange, order, "ORDER027: SKU " + item.path("id").asText() + " is not available on the store"
                        + (simulatedItem == null ? "" : " (availability " + simulatedItem.path("availability").asText()
                        + ", quantity " + simulatedItem.path("quantity").asText() + ")"));
                return;
            }
            JsonNode chosen = givenLogistics(given, i);
            if (chosen != null && chosen.path("selectedSla").isTextual()) {
                ObjectNode entry = logistics.addObject().put("itemIndex", i).put("selectedSla", chosen.path("selectedSla").asText())
                        .put("price", chosen.path("price").asLong());
                copy(chosen, entry, "lockTTL", "shippingEstimate", "deliveryWindow");
                continue;
            }
            JsonNode cheapest = null;
            for (JsonNode info : answer.path("logisticsInfo")) {
                if (info.path("itemIndex").asInt(-1) != i) {
                    continue;
                }
                for (JsonNode sla : info.path("slas")) {
                    if (cheapest == null || sla.path("price").asLong() < cheapest.path("price").asLong()) {
                        cheapest = sla;
                    }
                }
            }
            if (cheapest == null) {
                fail(exchange, order, "ORDER027: no delivery option for SKU " + item.path("id").asText() + " to postal code "
                        + body.path("shippingData").path("address").path("postalCode").asText());
                return;
            }
            ObjectNode entry = logistics.addObject().put("itemIndex", i).put("selectedSla", cheapest.path("id").asText())
                    .put("price", cheapest.path("price").asLong());
            copy(cheapest, entry, "lockTTL", "shippingEstimate");
        }
        exchange.setProperty(LOGISTICS, logistics);
        exchange.setProperty(SIMULATION, answer);
        exchange.setProperty(STEP, connection(exchange).ordersOrDefault().usesOrderIntegration() ? "enqueue" : "place");
    }

    // --- place: POST {api}/api/fulfillment/pvt/orders?sc=&affiliateId= (array form)

    public void placeRequest(Exchange exchange) throws IOException {
        MarketplaceOrderStore.Order order = order(exchange);
        Connection connection = connection(exchange);
        JsonNode body = orderBody(exchange);
        ObjectNode placement = json.createObjectNode();
        placement.put("marketplaceOrderId", order.marketplaceOrderId());
        placement.put("marketplaceServicesEndpoint", servicesEndpoint(connection));
        placement.put("marketplacePaymentValue", body.path("marketplacePaymentValue").asLong());
        placement.put("isCreatedAsync", false);
        ArrayNode items = placement.putArray("items");
        body.path("items").forEach(item -> {
            ObjectNode out = items.addObject().put("id", item.path("id").asText()).put("quantity", item.path("quantity").asInt())
                    .put("seller", "1").put("price", item.path("price").asLong());
            copy(item, out, "commission", "freightCommission", "priceTags", "measurementUnit", "unitMultiplier", "isGift");
        });
        placement.set("clientProfileData", body.path("clientProfileData").deepCopy());
        ObjectNode shipping = placement.putObject("shippingData");
        shipping.set("address", body.path("shippingData").path("address").deepCopy());
        shipping.set("logisticsInfo", exchange.getProperty(LOGISTICS, JsonNode.class));
        if (connection.ordersOrDefault().withPayment() && body.has("paymentData")) {
            placement.set("paymentData", body.get("paymentData").deepCopy());
        } else {
            placement.putNull("paymentData");
        }
        copy(body, placement, "marketingData", "openTextField");
        store.placementStarted(order.orderId()); // committed before the call: a lost answer leads to a lookup, not a twin
        request(exchange, "POST", "sc=" + connection.vtex().salesChannel() + "&affiliateId="
                + connection.vtex().affiliateId(), json.createArrayNode().add(placement).toString());
    }

    public void placed(Exchange exchange) throws IOException, HttpOperationFailedException {
        MarketplaceOrderStore.Order order = order(exchange);
        int status = VtexAnswers.status(exchange);
        if (status >= 200 && status < 300) {
            JsonNode answer = readBody(exchange);
            JsonNode first = answer.isArray() ? answer.path(0) : answer;
            String vtexOrderId = first.path("orderId").isTextual() && !first.path("orderId").asText().isBlank()
                    ? first.path("orderId").asText() : order.orderId();
            markPlaced(order, vtexOrderId, "placed on the store as " + vtexOrderId);
            next(exchange);
            return;
        }
        if (status >= 400 && status < 500 && status != 429 && status != 408) {
            String reason = reason(exchange);
            if (isDuplicate(status, reason) || order.placementAttempts() > 1) {
                // the store may hold the order from an earlier attempt: look it up before calling it refused
                exchange.setProperty(REFUSAL, reason);
                exchange.setProperty(STEP, "lookup");
                return;
            }
            fail(exchange, order, reason);
            return;
        }
        VtexAnswers.requireSuccess(exchange);
    }

    // --- fulfil: POST {api}/api/fulfillment/pvt/orders/{affiliateId}-{marketplaceOrderId}/fulfill?sc=&affiliateId=

    public void fulfilRequest(Exchange exchange) {
        MarketplaceOrderStore.Order order = order(exchange);
        Connection connection = connection(exchange);
        exchange.setProperty(STORE_ORDER_ID, order.orderId()); // the spec's path: <affiliateId>-<marketplaceOrderId>
        request(exchange, "POST", "sc=" + connection.vtex().salesChannel() + "&affiliateId="
                + connection.vtex().affiliateId(), json.createObjectNode().put("marketplaceOrderId",
                order.marketplaceOrderId()).toString());
    }

    public void dispatched(Exchange exchange) throws HttpOperationFailedException {
        VtexAnswers.requireSuccess(exchange);
        outcomes.markDispatched(order(exchange), Source.ENGINE, "dispatch authorized on the store");
        next(exchange);
    }

    // --- cancel: POST {api}/api/oms/pvt/orders/{orderId}/cancel

    public void cancelRequest(Exchange exchange) {
        request(exchange, "POST", null, json.createObjectNode().put("reason", "canceled by the marketplace").toString());
    }

    public void canceled(Exchange exchange) throws IOException, HttpOperationFailedException {
        VtexAnswers.requireSuccess(exchange);
        JsonNode answer = readBody(exchange);
        MarketplaceOrderStore.Order order = order(exchange);
        tx.executeWithoutResult(s -> {
            MarketplaceOrderStore.Order locked = store.lock(order.connectionId(), order.orderId()).orElseThrow();
            if (locked.status() == OrderStatus.CANCELED) {
                return;
            }
            store.setStatus(order.orderId(), OrderStatus.CANCELED);
            timeline.record(order.orderId(), Source.ENGINE, Event.MARKETPLACE_CANCEL, Outcome.ACCEPTED, locked.status(),
                    OrderStatus.CANCELED, "canceled on the store, receipt " + answer.path("receipt").asText(null));
            ObjectNode fields = json.createObjectNode().put("reason", "canceled by the marketplace");
            copy(answer, fields, "receipt", "date");
            events.record(order.connectionId(), order.orderId(), order.marketplaceOrderId(), order.storeOrderId(),
                    "canceled", "cancel", fields, null);
        });
        exchange.setProperty(STEP, "done");
    }

    // --- shared

    private void markPlaced(MarketplaceOrderStore.Order order, String vtexOrderId, String detail) {
        outcomes.markPlaced(order, vtexOrderId, detail, false);
    }

    void fail(Exchange exchange, MarketplaceOrderStore.Order order, String reason) {
        outcomes.markFailed(order, reason, null);
        exchange.setProperty(STEP, "done");
    }

    /** The services endpoint the store calls back: {@code <public-url>/marketplace/<id>/mse/<endpoint.token>}. */
    static String servicesEndpoint(Connection connection) {
        String base = connection.publicUrl().replaceAll("/+$", "");
        return base + "/marketplace/" + connection.id() + "/mse/"
                + java.net.URLEncoder.encode(connection.endpoint().token(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A store answer that says the marketplace order is placed already. */
    static boolean isDuplicate(int status, String reason) {
        String text = reason.toLowerCase(Locale.ROOT);
        return status == 409 || text.contains("fmt009") || text.contains("duplicat") || text.contains("already exist")
                || text.contains("already been") || text.contains("já existe");
    }

    /** The store's reason for a refusal: its error code and message (body or x-vtex-error-* headers). */
    String reason(Exchange exchange) {
        Message in = exchange.getIn();
        String code = in.getHeader("x-vtex-error-code", String.class);
        String message = in.getHeader("x-vtex-error-message", String.class);
        String body = in.getBody(String.class);
        if (body != null && !body.isBlank()) {
            try {
                JsonNode error = json.readTree(body);
                JsonNode inner = error.has("error") ? error.get("error") : error;
                if (inner.isObject()) {
                    code = code != null ? code : text(inner, "code", "Code");
                    message = message != null ? message : text(inner, "message", "Message");
                } else if (inner.isTextual()) {
                    message = message != null ? message : inner.asText();
                }
            } catch (IOException notJson) {
                message = message != null ? message : body.length() > 500 ? body.substring(0, 500) : body;
            }
        }
        String status = "HTTP " + VtexAnswers.status(exchange);
        return (code == null ? "" : code + ": ") + (message == null ? status : message + " (" + status + ")");
    }

    private static String text(JsonNode node, String... names) {
        for (String name : names) {
            if (node.hasNonNull(name)) {
                return node.get(name).asText();
            }
        }
        return null;
    }

    private static JsonNode simulatedItem(JsonNode answer, int index, String sku) {
        for (JsonNode item : answer.path("items")) {
            if (item.has("requestIndex") ? item.path("requestIndex").asInt(-1) == index : sku.equals(item.path("id").asText())) {
                return item;
            }
        }
        return null;
    }

    private static JsonNode givenLogistics(JsonNode given, int index) {
        for (JsonNode entry : given) {
            if (entry.path("itemIndex").asInt(-1) == index) {
                return entry;
            }
        }
        return null;
    }

    static void copy(JsonNode from, ObjectNode to, String... fields) {
        for (String field : fields) {
            if (from.has(field) && !from.get(field).isNull()) {
                to.set(field, from.get(field).deepCopy());
            }
        }
    }

    /** Leaves only the connection on the message (no header of an earlier answer goes out again), then the request. */
    static void request(Exchange exchange, String method, String query, String body) {
        Message in = exchange.getIn();
        in.removeHeaders("*", Connection.HEADER);
        in.setHeader(Exchange.HTTP_METHOD, method);
        if (query != null) {
            in.setHeader(Exchange.HTTP_QUERY, query);
        }
        in.setBody(body);
    }

    JsonNode orderBody(Exchange exchange) throws IOException {
        return json.readTree(order(exchange).orderJson());
    }

    JsonNode readBody(Exchange exchange) throws IOException {
        String body = exchange.getIn().getBody(String.class);
        return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
    }

    MarketplaceOrderStore.Order order(Exchange exchange) {
        String connection = exchange.getIn().getHeader(Connection.HEADER, String.class);
        String orderId = exchange.getProperty(ORDER_ID, String.class);
        return store.find(connection, orderId).orElseThrow(() -> new IllegalStateException("no order " + orderId
                + " of connection " + connection));
    }

    Connection connection(Exchange exchange) {
        return connections.require(exchange.getIn().getHeader(Connection.HEADER, String.class));
    }

}
