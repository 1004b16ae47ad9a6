package dev.vtexbridge.marketplace;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.vtex.VtexErrorException;

/**
 * An order as the external marketplace sends it (after its connection's {@code order-in.jslt}, when there is one):
 * {@code marketplaceOrderId}, {@code marketplaceOrderStatus} ({@code new}, {@code approved}, {@code canceled}; default
 * {@code new}) and, for an order the engine does not know yet, the order itself: {@code items[]} {@code {id, quantity,
 * price}}, {@code clientProfileData}, {@code shippingData.address}, optional {@code shippingData.logisticsInfo},
 * {@code marketplacePaymentValue} and (with {@code orders.payment: true}) {@code paymentData}. Each check names the
 * field it refuses (400 {@code INVALID_ORDER}).
 */
record IncomingOrder(String marketplaceOrderId, String status, ObjectNode body) {

    static final String NEW = "new";
    static final String APPROVED = "approved";
    static final String CANCELED = "canceled";
    /** The VTEX order id {@code <affiliate>-<id>} must fit the order store's id (50). */
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9._-]{1,46}");
    private static final Pattern SKU_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final int MAX_ITEMS = 500;
    private static final List<String> PROFILE = List.of("email", "firstName", "lastName", "documentType", "document");
    private static final List<String> ADDRESS = List.of("addressType", "receiverName", "postalCode", "city", "state",
            "country", "street", "number");

    /** Reads the id and the status; the rest is checked by {@link #requireComplete()} when the order is new. */
    static IncomingOrder of(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw invalid("the body must be a JSON object (one order)");
        }
        String id = id(node.get("marketplaceOrderId"), "marketplaceOrderId", ORDER_ID, 46);
        if (id == null) {
            throw invalid("field 'marketplaceOrderId' is required (the marketplace's order id)");
        }
        JsonNode statusNode = node.get("marketplaceOrderStatus");
        String status = NEW;
        if (statusNode != null && !statusNode.isNull()) {
            status = statusNode.isTextual() ? statusNode.textValue().trim().toLowerCase(Locale.ROOT) : "";
            if (!List.of(NEW, APPROVED, CANCELED).contains(status)) {
                throw invalid("field 'marketplaceOrderStatus' must be new, approved or canceled");
            }
        }
        return new IncomingOrder(id, status, (ObjectNode) node);
    }

    /** What a new order must carry before it can be placed on the store. */
    IncomingOrder requireComplete() {
        JsonNode items = body.get("items");
        if (items == null || items.isNull()) {
            throw invalid("field 'items' is required for an order the engine does not know yet (only an order already "
                    + "sent may be approved or canceled by its id and status alone)");
        }
        if (!items.isArray() || items.isEmpty()) {
            throw invalid("field 'items' must be a non-empty array");
        }
        if (items.size() > MAX_ITEMS) {
            throw invalid("field 'items' has " + items.size() + " items; at most " + MAX_ITEMS);
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = "items[" + i + "]";
            if (!item.isObject()) {
                throw invalid("field '" + at + "' must be an object");
            }
            if (id(item.get("id"), at + ".id", SKU_ID, 64) == null) {
                throw invalid("field '" + at + ".id' is required (the store's SKU id)");
            }
            integer(item, "quantity", at, 1, 100_000, true);
            integer(item, "price", at, 0, Long.MAX_VALUE, true);
        }
        JsonNode profile = object(body, "clientProfileData", "");
        for (String field : PROFILE) {
            text(profile, field, "clientProfileData");
        }
        JsonNode shipping = object(body, "shippingData", "");
        JsonNode address = object(shipping, "address", "shippingData.");
        for (String field : ADDRESS) {
            text(address, field, "shippingData.address");
        }
        JsonNode logistics = shipping.get("logisticsInfo");
        if (logistics != null && !logistics.isNull()) {
            if (!logistics.isArray()) {
                throw invalid("field 'shippingData.logisticsInfo' must be an array");
            }
            for (int i = 0; i < logistics.size(); i++) {
                JsonNode entry = logistics.get(i);
                String at = "shippingData.logisticsInfo[" + i + "]";
                if (!entry.isObject()) {
                    throw invalid("field '" + at + "' must be an object");
                }
                integer(entry, "itemIndex", at, 0, items.size() - 1, true);
                JsonNode sla = entry.get("selectedSla");
                if (sla != null && !sla.isNull() && !sla.isTextual()) {
                    throw invalid("field '" + at + ".selectedSla' must be text or null");
                }
                integer(entry, "price", at, 0, Long.MAX_VALUE, sla != null && sla.isTextual());
            }
        }
        integer(body, "marketplacePaymentValue", "", 0, Long.MAX_VALUE, true);
        return this;
    }

    private static String id(JsonNode value, String field, Pattern pattern, int max) {
        if (value == null || value.isNull()) {
            return null;
        }
        String id = value.isIntegralNumber() ? value.asText() : value.isTextual() ? value.textValue().trim() : null;
        if (id == null || !pattern.matcher(id).matches()) {
            throw invalid("field '" + field + "' must be an id (text or integer: letters, digits, '.', '_', '-', at most "
                    + max + ")");
        }
        return id;
    }

    private static JsonNode object(JsonNode parent, String field, String at) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            throw invalid("field '" + at + field + "' is required");
        }
        if (!value.isObject()) {
            throw invalid("field '" + at + field + "' must be an object");
        }
        return value;
    }

    private static void text(JsonNode parent, String field, String at) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull() || !value.isTextual() || value.textValue().isBlank()) {
            throw invalid("field '" + at + "." + field + "' is required (text)");
        }
    }

    private static void integer(JsonNode parent, String field, String at, long min, long max, boolean required) {
        JsonNode value = parent.get(field);
        String name = at.isEmpty() ? field : at + "." + field;
        if (value == null || value.isNull()) {
            if (required) {
                throw invalid("field '" + name + "' is required (an integer" + (field.contains("rice") || field.contains("Value")
                        ? ", cents)" : ")"));
            }
            return;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            throw invalid("field '" + name + "' must be an integer from " + min
                    + (max == Long.MAX_VALUE ? "" : " to " + max) + (field.contains("rice") || field.contains("Value")
                    ? " (cents)" : ""));
        }
    }

    static VtexErrorException invalid(String message) {
        return new VtexErrorException(400, "INVALID_ORDER", message);
    }
}
