package dev.vtexbridge.errors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.util.URISupport;

/**
 * What is needed to send a message back into its route later: the route, the endpoint it entered by, its body and
 * its headers (secrets redacted; redacted and transport headers are not sent again).
 */
public record CapturedMessage(String routeId, String entryEndpoint, String body, Map<String, Object> headers) {

    /** Header that links a resent message to its failed-message row, so a new failure updates that row. */
    public static final String FAILED_MESSAGE_ID = "BridgeFailedMessageId";

    /**
     * Exchange property: what to store instead of a body too large to keep (a dropped file over its limit), so that
     * storing the failure does not load what the flow refused to load.
     */
    public static final String BODY_NOT_KEPT = "BridgeBodyNotKept";

    public static CapturedMessage of(Exchange exchange, SecretRedactor redactor) {
        CapturedMessage raw = raw(exchange);
        return new CapturedMessage(raw.routeId(), raw.entryEndpoint(), storable(redactor.redact(raw.body())),
                redacted(raw.headers(), redactor));
    }

    /**
     * The message as it was read, nothing redacted (text, number and boolean headers): what a parked message keeps
     * on its way to the store, which redacts it then.
     */
    public static CapturedMessage raw(Exchange exchange) {
        Message in = exchange.getIn();
        Map<String, Object> headers = new LinkedHashMap<>();
        in.getHeaders().forEach((name, value) -> {
            if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
                headers.put(name, value);
            }
        });
        String entry = exchange.getFromEndpoint() != null ? exchange.getFromEndpoint().getEndpointUri() : "unknown";
        String routeId = exchange.getFromRouteId() != null ? exchange.getFromRouteId() : "unknown";
        String note = exchange.getProperty(BODY_NOT_KEPT, String.class);
        return new CapturedMessage(routeId, URISupport.sanitizeUri(entry), note != null ? note : body(in), headers);
    }

    /** Headers as the store keeps them: a secret-named header's value replaced, secrets in the others redacted. */
    public static Map<String, Object> redacted(Map<String, Object> headers, SecretRedactor redactor) {
        Map<String, Object> kept = new LinkedHashMap<>();
        headers.forEach((name, value) -> kept.put(name, redactor.isSecretName(name) ? SecretRedactor.REDACTED
                : storable(redactor.redact(value.toString()))));
        return kept;
    }

    /**
     * Text as a database can keep it: PostgreSQL refuses the NUL character in text, and a message its store refused
     * would come back forever, so NUL becomes U+FFFD (a message that holds one is not valid JSON anyway).
     */
    public static String storable(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }

    /**
     * The body as text. A batching consumer's delivery (a list of its records' exchanges) becomes a JSON array of the
     * records' bodies, so that it can be replayed as one message: the batching flows accept an array of events.
     */
    private static String body(Message in) {
        if (in.getBody() instanceof List<?> batch && !batch.isEmpty() && batch.get(0) instanceof Exchange) {
            return batch.stream().map(record -> ((Exchange) record).getIn().getBody(String.class))
                    .collect(Collectors.joining(",", "[", "]"));
        }
        return in.getBody(String.class);
    }

    /** The headers to put on the message when it is sent again. */
    public Map<String, Object> headersToResend() {
        Map<String, Object> resend = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (!SecretRedactor.REDACTED.equals(value) && !isTransportHeader(name)) {
                resend.put(name, value);
            }
        });
        return resend;
    }

    private static boolean isTransportHeader(String name) {
        return name.startsWith("Camel") || name.startsWith("JMS") || name.startsWith("kafka.")
                || name.startsWith("_AMQ") || name.equalsIgnoreCase("breadcrumbId");
    }
}
