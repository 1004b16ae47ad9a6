package dev.vtexbridge.orders;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.errors.SecretRedactor;

/**
 * The payment data a marketplace with VTEX's "share payment data" feature sends on {@code /fulfill}
 * (vtex-protocol.md §2.2 A3, §2.4 variant 3): {@code paymentData.payments[]} and {@code paymentData.connectorResponses},
 * and the marker {@code transactionId = "PAYMENT-FROM-AFFILIATE"} of a payment the marketplace took.
 *
 * <p>Only the fields the protocol lists are kept: per payment {@code paymentSystem, paymentSystemName, value,
 * installments, referenceValue, group}; of the connector's answer {@code tid, authId, nsu, acquirer, authorizationId,
 * status, paymentId, code, message, Message, ReturnCode, delayToAutoSettle, delayToAutoSettleAfterAntifraud}; and
 * {@code transactionId} (in {@code paymentData}, else at the top of the body). Everything else (a card number, holder,
 * expiry, CVV, a token) is dropped, and a card-like number (13 to 19 digits passing the Luhn check) in a free-text
 * field is replaced by {@value SecretRedactor#REDACTED}. {@link #withoutCardData} gives the whole request body without
 * card fields (and, inside {@code paymentData}, without card-like numbers), so nothing downstream (error text, failed-message store, logs) ever holds them.
 */
public final class FulfilPayment {

    /** {@code transactionId} of a payment the marketplace (the affiliate) took and shares. */
    public static final String FROM_AFFILIATE = "PAYMENT-FROM-AFFILIATE";

    private static final List<String> PAYMENT_FIELDS = List.of("paymentSystem", "paymentSystemName", "value",
            "installments", "referenceValue", "group");
    private static final List<String> CONNECTOR_FIELDS = List.of("tid", "authId", "nsu", "acquirer", "authorizationId",
            "status", "paymentId", "code", "message", "Message", "ReturnCode", "delayToAutoSettle",
            "delayToAutoSettleAfterAntifraud");
    /** Free text, where a card number might have been pasted; identifiers (tid, nsu, ids) are kept as sent. */
    private static final List<String> FREE_TEXT = List.of("paymentSystemName", "acquirer", "status", "code", "message",
            "Message", "ReturnCode");
    /** Field names that carry card data, wherever they are in the body. */
    private static final Pattern CARD_FIELD = Pattern.compile(
            "(?i)(.*(card.?number|card.?holder|cvv|cvc|security.?code|expir).*|pan)");
    private static final Pattern DIGIT_RUN = Pattern.compile("(?<!\\d)\\d(?:[ -]?\\d){12,18}(?!\\d)");

    private FulfilPayment() {
    }

    /**
     * The payment data of a {@code /fulfill} body, with only the listed fields; null when the body has no
     * {@code paymentData} object (the marketplace processed the payment and shares nothing).
     */
    public static ObjectNode of(JsonNode body) {
        JsonNode paymentData = body == null ? null : body.get("paymentData");
        if (paymentData == null || !paymentData.isObject()) {
            return null;
        }
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        JsonNode transactionId = paymentData.has("transactionId") ? paymentData.get("transactionId") : body.get("transactionId");
        kept.put("transactionId", transactionId == null || !transactionId.isValueNode() ? null : transactionId.asText());
        kept.put("fromAffiliate", FROM_AFFILIATE.equals(kept.path("transactionId").asText(null)));
        var payments = kept.putArray("payments");
        for (JsonNode payment : paymentData.path("payments")) {
            if (payment.isObject()) {
                payments.add(pick(payment, PAYMENT_FIELDS));
            }
        }
        JsonNode connector = paymentData.get("connectorResponses");
        if (connector != null && connector.isObject()) {
            kept.set("connectorResponses", pick(connector, CONNECTOR_FIELDS));
        } else {
            kept.putNull("connectorResponses");
        }
        return kept;
    }

    /** The request body with every card field removed (at any depth), for anything that may store or show it. */
    public static JsonNode withoutCardData(JsonNode body) {
        if (body == null) {
            return null;
        }
        JsonNode copy = body.deepCopy();
        strip(copy, false);
        return copy;
    }

    /** Removes card fields; inside {@code paymentData} also card-like numbers in any text (order ids elsewhere may look like one). */
    private static void strip(JsonNode node, boolean inPayment) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            List<String> names = object.properties().stream().map(Map.Entry::getKey).toList();
            for (String name : names) {
                JsonNode value = object.get(name);
                if (CARD_FIELD.matcher(name).matches()) {
                    object.remove(name);
                } else if (inPayment && value.isTextual() && looksLikeCard(value.asText())) {
                    object.put(name, redactCards(value.asText()));
                } else {
                    strip(value, inPayment || "paymentData".equals(name));
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode value = node.get(i);
                if (inPayment && value.isTextual() && looksLikeCard(value.asText())) {
                    ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, redactCards(value.asText()));
                } else {
                    strip(value, inPayment);
                }
            }
        }
    }

    private static ObjectNode pick(JsonNode from, List<String> fields) {
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        for (String field : fields) {
            JsonNode value = from.get(field);
            if (value == null || !value.isValueNode()) {
                continue;
            }
            if (value.isTextual() && FREE_TEXT.contains(field)) {
                kept.put(field, redactCards(value.asText()));
            } else {
                kept.set(field, value);
            }
        }
        return kept;
    }

    static boolean looksLikeCard(String text) {
        return !redactCards(text).equals(text);
    }

    /** Replaces every run of 13–19 digits (spaces or dashes between them allowed) that passes the Luhn check. */
    static String redactCards(String text) {
        Matcher m = DIGIT_RUN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, luhn(m.group().replaceAll("[ -]", "")) ? SecretRedactor.REDACTED : m.group());
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
