package dev.vtexbridge.marketplace;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.vtex.VtexErrorException;
import dev.vtexbridge.web.StrictJson;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Reads the affiliate notifications a VTEX store posts to {@code /marketplace/<id>/api/notification}
 * (vtex-protocol.md §3.2): one object or an array of them, PascalCase field names read case-insensitively
 * ({@code IdSku}, {@code idSku} and {@code IDSKU} are one field), every field but {@code IdSku} optional, fields VTEX
 * may add later ignored. A malformed body is refused as a whole, 400 naming the field; nothing is taken then.
 */
@Component("affiliateNotifications")
public class AffiliateNotifications {

    /** Most notifications one call may carry; the body limit bounds it too. */
    static final int MAX_ITEMS = 10_000;
    private static final Pattern SKU_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final List<String> FLAGS = List.of("IsActive", "StockModified", "PriceModified",
            "HasStockKeepingUnitModified", "HasStockKeepingUnitRemovedFromAffiliate");

    private final Connections connections;
    private final StrictJson strict;
    private final ObjectReader tree;
    private final ObjectMapper json;

    public AffiliateNotifications(Connections connections, StrictJson strict, ObjectMapper json) {
        this.connections = connections;
        this.strict = strict;
        this.tree = strict.mapperBuilder().build().readerFor(JsonNode.class);
        this.json = json;
    }

    /**
     * Route step: the posted body becomes the notifications (JSON text each, ready for the channel), for the
     * connection of the path (header {@code connection}, which the guard checked).
     */
    public List<String> read(Exchange exchange) throws IOException {
        Connection connection = connections.require(exchange.getIn().getHeader("connection", String.class));
        JsonNode body;
        try {
            body = strict.read(tree, exchange.getIn().getBody(byte[].class));
        } catch (IllegalArgumentException | IOException e) {
            throw invalid(e.getMessage());
        }
        List<JsonNode> items = new ArrayList<>();
        if (body.isArray()) {
            if (body.isEmpty()) {
                throw invalid("the body is an empty array: send one notification or an array of them");
            }
            if (body.size() > MAX_ITEMS) {
                throw invalid("at most " + MAX_ITEMS + " notifications per call, got " + body.size());
            }
            body.forEach(items::add);
        } else {
            items.add(body);
        }
        List<String> notifications = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = body.isArray() ? "[" + i + "]." : "";
            notifications.add(json.writeValueAsString(notification(connection, items.get(i), at)));
        }
        return notifications;
    }

    /** The SKU of one notification as {@link #read} wrote it: the channel's message key. */
    public String skuOf(String notification) throws IOException {
        return json.readValue(notification, AffiliateNotification.class).skuId();
    }

    private static AffiliateNotification notification(Connection connection, JsonNode item, String at) {
        if (!item.isObject()) {
            throw invalid(at.isEmpty() ? "the body is neither a notification object nor an array of them"
                    : "item " + at.substring(0, at.length() - 1) + " is not an object");
        }
        Map<String, JsonNode> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (fields.putIfAbsent(field.getKey(), field.getValue()) != null) {
                throw invalid("field '" + at + field.getKey() + "' is given twice (field names are case-insensitive)");
            }
        }
        String skuId = id(fields, "IdSku", at);
        if (skuId == null) {
            throw invalid("field '" + at + "IdSku' is required (the VTEX SKU id)");
        }
        String affiliateId = text(fields, "IdAffiliate", at);
        if (affiliateId != null && !affiliateId.equalsIgnoreCase(connection.vtex().affiliateId())) {
            throw invalid("field '" + at + "IdAffiliate': '" + affiliateId + "' is not this connection's affiliate ("
                    + connection.vtex().affiliateId() + ")");
        }
        Map<String, Boolean> flags = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String flag : FLAGS) {
            JsonNode value = fields.get(flag);
            if (value != null && !value.isNull() && !value.isBoolean()) {
                throw invalid("field '" + at + flag + "' must be true or false");
            }
            flags.put(flag, value == null || value.isNull() ? null : value.booleanValue());
        }
        return new AffiliateNotification(connection.id(), skuId, id(fields, "ProductId", at), text(fields, "An", at),
                affiliateId, date(fields, at), flags.get("IsActive"), Boolean.TRUE.equals(flags.get("StockModified")),
                Boolean.TRUE.equals(flags.get("PriceModified")),
                Boolean.TRUE.equals(flags.get("HasStockKeepingUnitModified")),
                Boolean.TRUE.equals(flags.get("HasStockKeepingUnitRemovedFromAffiliate")));
    }

    /** An id given as text or as an integer; null when absent. */
    private static String id(Map<String, JsonNode> fields, String name, String at) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        String id = value.isIntegralNumber() ? value.asText() : value.isTextual() ? value.textValue().trim() : null;
        if (id == null || !SKU_ID.matcher(id).matches()) {
            throw invalid("field '" + at + name + "' must be an id (text or integer: letters, digits, '.', '_', '-', "
                    + "at most 64)");
        }
        return id;
    }

    private static String text(Map<String, JsonNode> fields, String name, String at) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.textValue().length() > 100) {
            throw invalid("field '" + at + name + "' must be text (at most 100 characters)");
        }
        return value.textValue().trim();
    }

    /** {@code DateModified}: ISO date-time, with an offset or without one (then UTC, as VTEX writes it). */
    private static OffsetDateTime date(Map<String, JsonNode> fields, String at) {
        String text = text(fields, "DateModified", at);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw invalid("field '" + at + "DateModified' must be an ISO date-time such as 2024-03-05T15:11:28Z");
            }
        }
    }

    private static VtexErrorException invalid(String message) {
        return new VtexErrorException(400, "INVALID_NOTIFICATION", message);
    }
}
