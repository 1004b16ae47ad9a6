package dev.vtexbridge.erp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import dev.vtexbridge.seller.VtexErrorException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Guards {@code POST /erp/events/{catalog|price|stock}}: the ERP sends {@code Authorization: Bearer <token>}
 * ({@code bridge.erp.webhook-token}, env BRIDGE_ERP_WEBHOOK_TOKEN; generated and logged once when empty).
 */
@Component("erpWebhook")
public class ErpWebhook {

    private static final Logger log = LoggerFactory.getLogger(ErpWebhook.class);
    private final byte[] token;
    private final ErpEvents events;

    public ErpWebhook(ErpEvents events, @Value("${bridge.erp.webhook-token:}") String token) {
        this.events = events;
        String effective = token;
        if (effective == null || effective.isBlank()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            effective = HexFormat.of().formatHex(random);
            log.warn("BRIDGE_ERP_WEBHOOK_TOKEN is not set; the ERP webhook token for this run is: {}", effective);
        }
        this.token = effective.getBytes(StandardCharsets.UTF_8);
    }

    public void authenticate(Exchange exchange) {
        String header = exchange.getIn().getHeader("Authorization", String.class);
        exchange.getIn().removeHeader("Authorization");
        String presented = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
        if (!MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            throw new VtexErrorException(401, "UNAUTHORIZED", "a valid Bearer token is required");
        }
        String kind = exchange.getIn().getHeader("kind", String.class);
        if (!java.util.List.of("catalog", "price", "stock").contains(kind)) {
            throw new VtexErrorException(404, "NOT_FOUND", "no such event kind: " + kind + " (catalog, price or stock)");
        }
    }

    /** Reads the posted events; malformed ones are the caller's fault: answered 400 with every problem. */
    public java.util.List<dev.vtexbridge.model.ErpChange> read(Exchange exchange) {
        try {
            return events.read(exchange.getIn().getHeader("kind", String.class), exchange);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new VtexErrorException(400, "INVALID_EVENT", e.getMessage());
        }
    }
}
