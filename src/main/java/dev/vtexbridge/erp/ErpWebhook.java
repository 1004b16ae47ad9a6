package dev.vtexbridge.erp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.vtexbridge.errors.SecretRedactor;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.vtex.VtexErrorException;
import dev.vtexbridge.web.StrictJson;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The ERP webhook {@code POST /erp/events/{catalog|price|stock}}: the ERP sends {@code Authorization: Bearer <token>}
 * ({@code bridge.erp.webhook-token}, env BRIDGE_ERP_WEBHOOK_TOKEN; generated and logged once when empty), checked on
 * the headers by {@link ErpWebhookGuard} before the body is read; the route then reads the events.
 */
@Component("erpWebhook")
public class ErpWebhook {

    static final List<String> KINDS = List.of("catalog", "price", "stock");
    private static final Logger log = LoggerFactory.getLogger(ErpWebhook.class);
    private final byte[] token;
    private final ErpEvents events;

    public ErpWebhook(ErpEvents events, @Value("${bridge.erp.webhook-token:}") String token, SecretRedactor redactor) {
        this.events = events;
        String effective = token;
        if (effective == null || effective.isBlank()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            effective = HexFormat.of().formatHex(random);
            log.warn("BRIDGE_ERP_WEBHOOK_TOKEN is not set; the ERP webhook token for this run is: {}", effective);
            redactor.add(effective);
        }
        this.token = effective.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether an {@code Authorization} header carries the webhook's bearer token (compared in constant time). */
    boolean authorizes(String authorization) {
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        String presented = bearer ? authorization.substring(7).trim() : "";
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the posted events; malformed ones are the caller's fault: answered 400 with every problem, or with what
     * makes the body unreadable (not one JSON document, not UTF-8, a limit of {@code bridge.http.json.*} hit, a field of
     * the wrong type).
     */
    public List<ErpChange> read(Exchange exchange) {
        try {
            return events.read(exchange.getIn().getHeader("kind", String.class), exchange);
        } catch (JsonMappingException e) {
            String field = StrictJson.fieldPath(e);
            throw new VtexErrorException(400, "INVALID_EVENT", field.isEmpty()
                    ? "the body is neither an event nor an array of events"
                    : "field '" + field + "' has the wrong type or value");
        } catch (IllegalArgumentException | IOException e) {
            throw new VtexErrorException(400, "INVALID_EVENT", e.getMessage());
        }
    }
}
