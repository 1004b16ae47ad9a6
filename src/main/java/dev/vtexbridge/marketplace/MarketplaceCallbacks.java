package dev.vtexbridge.marketplace;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.orders.OrderStatus;
import dev.vtexbridge.orders.OrderTimeline;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Outcome;
import dev.vtexbridge.orders.OrderTimeline.Source;
import dev.vtexbridge.vtex.VtexErrorException;
import dev.vtexbridge.web.StrictJson;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the VTEX store posts to an order's {@code marketplaceServicesEndpoint}
 * ({@code <public-url>/marketplace/<id>/mse/<endpoint.token>}, vtex-protocol.md §3.6): {@code …/pub/orders/{id}/invoice}
 * and {@code …/pvt/orders/{id}/invoice} (an invoice; its tracking too when {@code trackingNumber} is set),
 * {@code …/pvt/orders/{id}/invoice/{n}} (invoice {@code n}), {@code …/pvt/orders/{id}/invoice/{n}/tracking} (its
 * tracking) and {@code …/pvt/orders/{id}/cancel} ({@code pub} accepted everywhere). {@code {id}} is the marketplace
 * order id or the VTEX one. Each is recorded once on the order ({@link MarketplaceOrderEvents}) and answered 200
 * {@code {date, orderId, receipt}}; a repeat gets the same answer and is not relayed again. With
 * {@code orders.placement: order-integration}, {@code …/order-integration/notification/processing-result} takes the
 * store's processing results ({@link OrderIntegrationResults}).
 */
@Component("marketplaceCallbacks")
public class MarketplaceCallbacks {

    private static final Pattern PATH = Pattern.compile(
            "^.*/mse/[^/]+/(pub|pvt)/orders/([^/]+)/(invoice(?:/([^/]+)(/tracking)?)?|cancel)/?$");
    /** Where the New Order Integration posts its processing results ({@code connectorEndpoint} is the services endpoint). */
    private static final Pattern PROCESSING_RESULT = Pattern.compile(
            "^.*/mse/[^/]+/order-integration/notification/processing-result/?$");

    private final Connections connections;
    private final MarketplaceOrderStore store;
    private final MarketplaceOrderEvents events;
    private final OrderTimeline timeline;
    private final TransactionTemplate tx;
    private final StrictJson strict;
    private final ObjectReader tree;
    private final ObjectMapper json;
    private final OrderIntegrationResults results;

    public MarketplaceCallbacks(Connections connections, MarketplaceOrderStore store, MarketplaceOrderEvents events,
                                OrderTimeline timeline, TransactionTemplate tx, StrictJson strict, ObjectMapper json,
                                OrderIntegrationResults results) {
        this.connections = connections;
        this.store = store;
        this.events = events;
        this.timeline = timeline;
        this.tx = tx;
        this.strict = strict;
        this.tree = strict.mapperBuilder().build().readerFor(JsonNode.class);
        this.json = json;
        this.results = results;
    }

    /** Route step: the callback becomes its answer. */
    public String receive(Exchange exchange) throws IOException {
        Connection connection = connections.require(exchange.getIn().getHeader("connection", String.class));
        String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        String local = uri == null ? "" : uri.replaceAll("\\?.*$", "");
        if (PROCESSING_RESULT.matcher(local).matches()) {
            String answer = results.receive(connection, exchange.getIn().getBody(byte[].class));
            answered(exchange);
            return answer;
        }
        Matcher path = PATH.matcher(local);
        if (!path.matches()) {
            throw new VtexErrorException(404, "NOT_FOUND", "Not a services endpoint path: …/pub|pvt/orders/{id}/invoice, "
                    + "…/invoice/{n}, …/invoice/{n}/tracking or …/cancel");
        }
        String id = java.net.URLDecoder.decode(path.group(2), java.nio.charset.StandardCharsets.UTF_8);
        boolean cancel = "cancel".equals(path.group(3));
        String pathInvoice = path.group(4) == null ? null
                : java.net.URLDecoder.decode(path.group(4), java.nio.charset.StandardCharsets.UTF_8);
        boolean trackingPath = path.group(5) != null;
        JsonNode body = body(exchange.getIn().getBody(byte[].class), cancel);
        ObjectNode answer = tx.execute(s -> {
            MarketplaceOrderStore.Order order = store.lock(connection.id(), id).orElseThrow(() ->
                    new VtexErrorException(404, "ORD_NOT_FOUND", "No order " + id + " of connection " + connection.id()));
            MarketplaceOrderEvents.Recorded recorded = cancel ? cancel(order, body)
                    : invoice(order, body, pathInvoice, trackingPath);
            return json.createObjectNode().put("date", recorded.at().toString()).put("orderId", order.storeOrderId())
                    .put("receipt", recorded.receipt());
        });
        answered(exchange);
        return answer.toString();
    }

    private static void answered(Exchange exchange) {
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    private MarketplaceOrderEvents.Recorded cancel(MarketplaceOrderStore.Order order, JsonNode body) {
        java.util.Optional<MarketplaceOrderEvents.Recorded> earlier = events.find(order.orderId(), "canceled", "cancel");
        if (earlier.isPresent() && earlier.get().receipt() != null) {
            timeline.record(order.orderId(), Source.VTEX, Event.SELLER_CANCEL, Outcome.REPEATED, order.status(),
                    order.status(), "cancellation notice repeated");
            return earlier.get();
        }
        String receipt = MarketplaceOrderEvents.newReceipt();
        if (earlier.isPresent()) {
            // the engine cancelled it on the store itself and told the marketplace already: the notice gets a receipt
            events.setReceipt(earlier.get().id(), receipt);
            timeline.record(order.orderId(), Source.VTEX, Event.SELLER_CANCEL, Outcome.REPEATED, order.status(),
                    order.status(), "the store confirms the cancellation, receipt " + receipt);
            return new MarketplaceOrderEvents.Recorded(earlier.get().id(), receipt, earlier.get().at(), false);
        }
        store.setStatus(order.orderId(), OrderStatus.CANCELED);
        timeline.record(order.orderId(), Source.VTEX, Event.SELLER_CANCEL, Outcome.ACCEPTED, order.status(),
                OrderStatus.CANCELED, "canceled on the store, receipt " + receipt);
        return events.record(order.connectionId(), order.orderId(), order.marketplaceOrderId(), order.storeOrderId(),
                "canceled", "cancel", body, receipt);
    }

    private MarketplaceOrderEvents.Recorded invoice(MarketplaceOrderStore.Order order, JsonNode body, String pathInvoice,
                                                    boolean trackingPath) {
        String invoiceNumber = pathInvoice != null ? pathInvoice : text(body, "invoiceNumber");
        if (invoiceNumber == null) {
            throw invalid("field 'invoiceNumber' is required (text)");
        }
        String trackingNumber = text(body, "trackingNumber");
        if (trackingPath && trackingNumber == null) {
            throw invalid("field 'trackingNumber' is required (text)");
        }
        ObjectNode fields = ((ObjectNode) body).deepCopy();
        fields.put("invoiceNumber", invoiceNumber);
        MarketplaceOrderEvents.Recorded result = null;
        String receipt = MarketplaceOrderEvents.newReceipt();
        if (!trackingPath) {
            boolean isReturn = "input".equals(String.valueOf(text(body, "type")).toLowerCase(Locale.ROOT));
            MarketplaceOrderEvents.Recorded invoice = events.record(order.connectionId(), order.orderId(),
                    order.marketplaceOrderId(), order.storeOrderId(), "invoiced", invoiceNumber, fields, receipt);
            if (invoice.created()) {
                OrderStatus after = isReturn ? OrderStatus.RETURNED : order.status() == OrderStatus.CANCELED
                        ? OrderStatus.CANCELED : OrderStatus.INVOICED;
                store.setStatus(order.orderId(), after);
                timeline.record(order.orderId(), Source.VTEX, isReturn ? Event.RETURN_INVOICE : Event.INVOICE,
                        Outcome.ACCEPTED, order.status(), after, "invoice " + invoiceNumber + ", receipt " + receipt);
            } else if (trackingNumber == null) {
                timeline.record(order.orderId(), Source.VTEX, Event.INVOICE, Outcome.REPEATED, order.status(),
                        order.status(), "invoice " + invoiceNumber + " repeated");
            }
            result = invoice;
        }
        if (trackingNumber != null) {
            MarketplaceOrderEvents.Recorded tracking = events.record(order.connectionId(), order.orderId(),
                    order.marketplaceOrderId(), order.storeOrderId(), "tracking", invoiceNumber + "/" + trackingNumber,
                    fields, receipt);
            OrderStatus current = store.find(order.connectionId(), order.orderId()).orElseThrow().status();
            if (tracking.created() && (current == OrderStatus.INVOICED || current == OrderStatus.READY_FOR_HANDLING
                    || current == OrderStatus.PLACED)) {
                store.setStatus(order.orderId(), OrderStatus.SHIPPED);
            }
            timeline.record(order.orderId(), Source.VTEX, Event.TRACKING, tracking.created() ? Outcome.ACCEPTED
                    : Outcome.REPEATED, current, tracking.created() && current != OrderStatus.CANCELED
                    && current != OrderStatus.RETURNED ? OrderStatus.SHIPPED : current,
                    "invoice " + invoiceNumber + ", tracking " + trackingNumber);
            result = tracking;
        }
        return result;
    }

    private JsonNode body(byte[] bytes, boolean cancel) throws IOException {
        if (bytes == null || bytes.length == 0) {
            if (cancel) {
                return json.createObjectNode();
            }
            throw invalid("the body is empty: send the invoice as JSON");
        }
        JsonNode body;
        try {
            body = strict.read(tree, bytes);
        } catch (IllegalArgumentException | IOException e) {
            throw invalid(e.getMessage());
        }
        if (!body.isObject()) {
            throw invalid("the body must be a JSON object");
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value.isTextual() || value.isIntegralNumber()) || value.asText().isBlank()) {
            if (value.isTextual()) {
                return null; // VTEX sends "" for an invoice without tracking
            }
            throw invalid("field '" + field + "' must be text");
        }
        return value.asText().trim();
    }

    private static VtexErrorException invalid(String message) {
        return new VtexErrorException(400, "INVALID_CALLBACK", message);
    }
}
