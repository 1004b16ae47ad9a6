package dev.vtexbridge.seller;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.orders.FulfilPayment;
import dev.vtexbridge.orders.PlacementOrder;
import dev.vtexbridge.orders.SellerOrders;
import dev.vtexbridge.vtex.VtexErrorException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The HTTP side of order placement, fulfil and cancel (protocol A2–A4): reads VTEX's bodies, calls
 * {@link SellerOrders}, and writes the answers. Refusals are thrown as {@link VtexErrorException} and answered by
 * the {@code bridge-http-error-policy}. Every call acts for the connection it came in on (header
 * {@value Connection#HEADER}): a placement is stored under it, fulfil and cancel only find its orders.
 */
@Component("orderEndpoints")
public class OrderEndpointsHandler {

    private final SellerOrders orders;
    private final VtexJsonReader reader;
    private final ObjectMapper json = new ObjectMapper();

    public OrderEndpointsHandler(SellerOrders orders, VtexJsonReader reader) {
        this.orders = orders;
        this.reader = reader;
    }

    /** A2: one order object or an array of them (older marketplaces); the answer has the shape received. */
    public void place(Exchange exchange) throws JsonProcessingException {
        JsonNode body = reader.readTree(exchange.getIn().getBody(byte[].class));
        String connection = connectionOf(exchange);
        if (body.isObject()) {
            answer(exchange, 200, placeOne(connection, (ObjectNode) body, ""));
        } else if (body.isArray() && !body.isEmpty()) {
            ArrayNode answers = json.createArrayNode();
            for (int i = 0; i < body.size(); i++) {
                if (!body.get(i).isObject()) {
                    throw VtexErrorException.badRequest("Element [" + i + "] of the order array is not an object");
                }
                answers.add(placeOne(connection, (ObjectNode) body.get(i), "[" + i + "]"));
            }
            answer(exchange, 200, answers);
        } else {
            throw VtexErrorException.badRequest("Request body must be an order object or a non-empty array of orders");
        }
    }

    private ObjectNode placeOne(String connection, ObjectNode received, String path) {
        return orders.place(connection, received, reader.convert(received, PlacementOrder.class, path));
    }

    /** The body of fulfil and cancel: only {@code marketplaceOrderId} is required (protocol §7 Q4). */
    public record OrderReference(String marketplaceOrderId, String reason) {
    }

    /**
     * A3: dispatch authorized. The body may carry the payment data the marketplace shares ({@link FulfilPayment}): its
     * listed fields are stored with the order and go to the ERP; card data is dropped before anything else runs, so
     * no error text, failed message or log line can hold it.
     */
    public void fulfil(Exchange exchange) throws JsonProcessingException {
        JsonNode body = reader.readTree(exchange.getIn().getBody(byte[].class));
        exchange.getIn().setBody(json.writeValueAsBytes(FulfilPayment.withoutCardData(body)));
        OrderReference reference = reference(exchange);
        answer(exchange, 200, orders.fulfil(connectionOf(exchange),
                exchange.getIn().getHeader("sellerOrderId", String.class), reference.marketplaceOrderId(),
                FulfilPayment.of(body)));
    }

    /** A4: cancellation; an invoiced order is answered with an empty 200, not accepted. */
    public void cancel(Exchange exchange) throws JsonProcessingException {
        OrderReference reference = reference(exchange);
        Optional<SellerOrders.Receipt> accepted = orders.cancel(connectionOf(exchange),
                exchange.getIn().getHeader("orderId", String.class), reference.marketplaceOrderId(), reference.reason());
        if (accepted.isPresent()) {
            answer(exchange, 200, accepted.get());
        } else {
            Message out = exchange.getMessage();
            out.removeHeaders("*");
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            out.setBody("");
        }
    }

    /**
     * The connection of the call: the route's {@value Connection#HEADER}, else (a route file from before connections)
     * the request header SellerRequestGuard set, which no caller can set itself.
     */
    static String connectionOf(Exchange exchange) {
        Message in = exchange.getIn();
        String id = in.getHeader(Connection.HEADER, String.class);
        if (id == null || id.isBlank()) {
            id = in.getHeader(Connection.HTTP_HEADER, String.class);
        }
        return id == null || id.isBlank() ? Connection.DEFAULT : id;
    }

    private OrderReference reference(Exchange exchange) {
        OrderReference reference = reader.read(exchange.getIn().getBody(byte[].class), OrderReference.class);
        if (reference.marketplaceOrderId() == null || reference.marketplaceOrderId().isBlank()) {
            throw VtexErrorException.badRequest("Field 'marketplaceOrderId' is required");
        }
        return reference;
    }

    private void answer(Exchange exchange, int status, Object body) throws JsonProcessingException {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(json.writeValueAsBytes(body));
    }
}
