package dev.vtexbridge.marketplace;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;

/**
 * The bodies of the New Order Integration API (VTEX's External Marketplace Orders spec, vtex-protocol.md §3.5.b) and
 * its answer envelope: {@code EnqueueNewOrderRequest} for {@code POST /api/order-integration/orders},
 * {@code UpdateOrderStatusRequest} for {@code PUT /api/order-integration/orders/status}, and
 * {@code {marketplaceOrderId, accountName, code, flow, success, operationId, errors[], fields{mainOrderId}, message}}
 * as both answer and processing result. Prices are integer cents, as the marketplace gave them.
 */
final class OrderIntegrationRequests {

    /** The status codes of the envelope this flow acts on. */
    static final String INTEGRATED = "SOI001";
    static final String APPROVED = "SOI002";
    static final String ENQUEUED = "SOI003";
    static final String DUPLICATE = "EOI007";
    static final String APPROVE_BEFORE_INTEGRATE = "EOI008";
    static final String AWAITING_AUTHORIZATION = "EOI011";
    /** VTEX internal error and timeout: worth another try. */
    static final List<String> TRANSIENT = List.of("EOI006", "EOI010");

    private static final List<String> PROFILE = List.of("email", "firstName", "lastName", "phone", "document");
    private static final List<String> CORPORATE = List.of("corporateDocument", "corporatePhone", "corporateName",
            "tradeName", "stateInscription");
    private static final List<String> ADDRESS = List.of("receiverName", "postalCode", "country", "city", "state", "street",
            "number", "neighborhood", "complement");

    private OrderIntegrationRequests() {
    }

    /** The connector's name as the store sees it: {@code vtex-bridge-<connection id>}. */
    static String connectorName(Connection connection) {
        return "vtex-bridge-" + connection.id();
    }

    /** Where the store posts the processing results: the services endpoint, without query string. */
    static String connectorEndpoint(Connection connection) {
        return MarketplaceOrderFlow.servicesEndpoint(connection);
    }

    /**
     * The new order: the marketplace's order ({@code body}), with one {@code logisticsInfo} entry per item from the
     * SLA chosen after the simulation ({@code logistics}: itemIndex, selectedSla, price, lockTTL, shippingEstimate) and
     * that SLA's delivery channel and warehouses as the simulation answered them.
     */
    static ObjectNode newOrder(ObjectMapper json, Connection connection, String marketplaceOrderId, JsonNode body,
                               JsonNode logistics, JsonNode simulation) {
        ObjectNode order = json.createObjectNode();
        order.put("marketplaceOrderId", marketplaceOrderId);
        order.put("connectorName", connectorName(connection));
        order.put("connectorEndpoint", connectorEndpoint(connection));
        // approval always follows as a status update once the order is integrated, whatever the marketplace said first
        order.put("marketplaceOrderStatus", IncomingOrder.NEW);
        order.put("marketplacePaymentValue", body.path("marketplacePaymentValue").asLong());
        if (body.path("marketplaceInterestValue").isIntegralNumber()) {
            order.put("marketplaceInterestValue", body.path("marketplaceInterestValue").asLong());
        }
        order.put("allowFranchises", false);
        ArrayNode items = order.putArray("items");
        body.path("items").forEach(item -> items.addObject().put("id", item.path("id").asText())
                .put("price", item.path("price").asLong()).put("quantity", item.path("quantity").asInt()));
        order.set("clientProfileData", clientProfile(json, body.path("clientProfileData")));
        ObjectNode shipping = order.putObject("shippingData");
        ArrayNode logisticsInfo = shipping.putArray("logisticsInfo");
        for (int i = 0; i < body.path("items").size(); i++) {
            logisticsInfo.add(logisticsEntry(json, entryOf(logistics, i), simulatedSla(simulation, i, entryOf(logistics, i))));
        }
        shipping.putArray("selectedAddresses").add(address(json, body.path("shippingData").path("address"), marketplaceOrderId));
        shipping.put("isFob", false);
        shipping.put("isMarketplaceFulfillment", false);
        JsonNode invoiceData = body.path("invoiceData");
        if (invoiceData.path("userPaymentInfo").path("paymentMethods").isArray()) {
            order.set("invoiceData", invoiceData.deepCopy());
        } else {
            order.putObject("invoiceData").putObject("userPaymentInfo").putArray("paymentMethods");
        }
        if (body.path("openTextField").isTextual()) {
            order.put("openTextField", body.path("openTextField").asText());
        }
        return order;
    }

    /** The approval of an integrated order. */
    static ObjectNode approval(ObjectMapper json, Connection connection, String marketplaceOrderId) {
        return json.createObjectNode().put("marketplaceOrderId", marketplaceOrderId)
                .put("marketplaceOrderStatus", IncomingOrder.APPROVED).put("connectorName", connectorName(connection))
                .put("connectorEndpoint", connectorEndpoint(connection));
    }

    private static ObjectNode clientProfile(ObjectMapper json, JsonNode given) {
        ObjectNode profile = json.createObjectNode();
        PROFILE.forEach(field -> profile.put(field, given.path(field).asText("")));
        CORPORATE.forEach(field -> {
            if (given.path(field).isTextual() && !given.path(field).asText().isBlank()) {
                profile.put(field, given.path(field).asText());
            } else {
                profile.putNull(field); // required by the spec, null for a person
            }
        });
        return profile;
    }

    private static ObjectNode logisticsEntry(ObjectMapper json, JsonNode chosen, JsonNode sla) {
        ObjectNode entry = json.createObjectNode();
        entry.put("price", chosen.path("price").asLong());
        entry.put("selectedDeliveryChannel", text(chosen, "selectedDeliveryChannel",
                text(sla, "deliveryChannel", "delivery")));
        entry.put("selectedSla", chosen.path("selectedSla").asText());
        entry.put("lockTTL", text(chosen, "lockTTL", text(sla, "lockTTL", null)));
        entry.put("shippingEstimate", text(chosen, "shippingEstimate", text(sla, "shippingEstimate", null)));
        ArrayNode deliveryIds = entry.putArray("deliveryIds");
        sla.path("deliveryIds").forEach(id -> {
            if (id.path("warehouseId").isTextual()) {
                deliveryIds.addObject().put("warehouseId", id.path("warehouseId").asText());
            }
        });
        return entry;
    }

    private static ObjectNode address(ObjectMapper json, JsonNode given, String marketplaceOrderId) {
        ObjectNode address = json.createObjectNode();
        address.put("addressType", text(given, "addressType", "residential"));
        address.put("addressId", text(given, "addressId", marketplaceOrderId));
        ADDRESS.forEach(field -> {
            if (given.path(field).isTextual()) {
                address.put(field, given.path(field).asText());
            }
        });
        if (given.path("geoCoordinates").isObject()) {
            address.set("geoCoordinates", given.path("geoCoordinates").deepCopy());
        }
        return address;
    }

    private static JsonNode entryOf(JsonNode logistics, int index) {
        for (JsonNode entry : logistics) {
            if (entry.path("itemIndex").asInt(-1) == index) {
                return entry;
            }
        }
        throw new IllegalStateException("no SLA chosen for item " + index);
    }

    /** The simulation's SLA of that item with the chosen id, or an empty node. */
    private static JsonNode simulatedSla(JsonNode simulation, int index, JsonNode chosen) {
        String id = chosen.path("selectedSla").asText();
        for (JsonNode info : simulation == null ? List.<JsonNode>of() : simulation.path("logisticsInfo")) {
            if (info.path("itemIndex").asInt(-1) == index) {
                for (JsonNode sla : info.path("slas")) {
                    if (id.equals(sla.path("id").asText())) {
                        return sla;
                    }
                }
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String text(JsonNode node, String field, String otherwise) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : otherwise;
    }

    /** The envelope of an answer or a processing result. */
    record Envelope(String marketplaceOrderId, String code, String flow, boolean success, String operationId,
                    String mainOrderId, String message, List<String> errors, JsonNode errorsNode) {

        static Envelope of(JsonNode node) {
            List<String> errors = new ArrayList<>();
            node.path("errors").forEach(error -> errors.add(String.join(" ", List.of(error.path("source").asText(""),
                    error.path("code").asText(""), error.path("description").asText("")).stream()
                    .filter(part -> !part.isBlank()).toList())));
            return new Envelope(text(node, "marketplaceOrderId", null), text(node, "code", null), text(node, "flow", null),
                    node.path("success").asBoolean(false), text(node, "operationId", null),
                    text(node.path("fields"), "mainOrderId", null), text(node, "message", null), errors,
                    node.path("errors").isArray() ? node.path("errors") : null);
        }

        boolean is(String expected) {
            return expected.equals(code);
        }

        /** The store's reason, for the timeline and the {@code failed} event: code, message and each error. */
        String reason() {
            StringBuilder reason = new StringBuilder(code == null ? "" : code + ": ");
            reason.append(message == null ? "refused by the store's order integration" : message);
            if (!errors.isEmpty()) {
                reason.append(" (").append(String.join("; ", errors)).append(")");
            }
            return reason.toString();
        }
    }
}
