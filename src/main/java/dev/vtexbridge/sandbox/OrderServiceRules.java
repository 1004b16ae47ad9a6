package dev.vtexbridge.sandbox;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.sandbox.SandboxError.Violation;

/**
 * What the marketplace's order services require of the post-order calls (vtex-protocol.md §2.3 B4-B7, the OMS
 * contract). Where the protocol and OMS specs differ, the sandbox takes the more lenient one: tracking needs only
 * courier and trackingNumber (OMS allows null trackingUrl and dispatchedDate).
 */
final class OrderServiceRules {

    private OrderServiceRules() {
    }

    static List<Violation> invoice(JsonNode body) {
        FieldChecks invoice = FieldChecks.of(body);
        invoice.oneOf("type", "Output", "Input");
        invoice.text("invoiceNumber");
        invoice.cents("invoiceValue", 1);
        invoice.isoDate("issuanceDate");
        for (FieldChecks item : invoice.objects("items", 1)) {
            item.text("id");
            item.integer("quantity", 1);
            item.cents("price", 0);
        }
        return invoice.violations();
    }

    static List<Violation> tracking(JsonNode body) {
        FieldChecks tracking = FieldChecks.of(body);
        tracking.text("courier");
        tracking.text("trackingNumber");
        return tracking.violations();
    }

    static List<Violation> trackingStatus(JsonNode body) {
        FieldChecks status = FieldChecks.of(body);
        status.bool("isDelivered");
        if (status.has("events")) {
            status.objects("events", 0);
        }
        return status.violations();
    }

    static List<Violation> cancel(JsonNode body) {
        FieldChecks cancel = FieldChecks.of(body);
        cancel.text("reason");
        return cancel.violations();
    }
}
