package dev.vtexbridge.sandbox;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.sandbox.InvoiceLedger.Invoice;
import dev.vtexbridge.sandbox.SandboxError.Violation;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sandbox marketplace's services endpoint (MSE) for post-order calls (vtex-protocol.md §2.3 B4-B7), at the
 * paths of a VTEX marketplace's OMS ({@code {MSE}} = {@code /api/oms}). Tracking and tracking status accept both
 * the OMS methods (PATCH, PUT) and the protocol's POST (§7 Q6). Each valid call answers {@code {date, orderId, receipt}}.
 * <p>
 * Tracking needs an earlier invoice: the sandbox keeps the invoices per order ({@link InvoiceLedger}) and answers
 * 400 to tracking for an invoice number it never received, and to a tracking status before a tracking number.
 */
@RestController
@RequestMapping(SandboxConfiguration.VTEX_BASE + "/api/oms/pvt/orders/{orderId}")
@ConditionalOnSandbox
class MarketplaceServicesController {

    /** The OMS answer to every post-order call; {@code receipt} changes with every call. */
    record Receipt(OffsetDateTime date, String orderId, String receipt) {
    }

    private final InvoiceLedger invoices;
    private final Clock clock;

    MarketplaceServicesController(InvoiceLedger invoices, Clock clock) {
        this.invoices = invoices;
        this.clock = clock;
    }

    /** B4: a sale (Output) or return (Input) invoice. */
    @PostMapping("/invoice")
    ResponseEntity<?> invoice(@PathVariable String orderId, @RequestBody JsonNode body) {
        List<Violation> violations = OrderServiceRules.invoice(body);
        if (!violations.isEmpty()) {
            return SandboxError.invalid(violations);
        }
        invoices.save(orderId, new Invoice(body.get("type").asText(), body.get("invoiceNumber").asText(),
                body.path("trackingNumber").asText(null)));
        return receipt(orderId);
    }

    /** B5: tracking of an invoice already sent. */
    @RequestMapping(path = "/invoice/{invoiceNumber}", method = {RequestMethod.PATCH, RequestMethod.POST})
    ResponseEntity<?> tracking(@PathVariable String orderId, @PathVariable String invoiceNumber,
                               @RequestBody JsonNode body) {
        List<Violation> violations = OrderServiceRules.tracking(body);
        if (!violations.isEmpty()) {
            return SandboxError.invalid(violations);
        }
        if (!invoices.addTracking(orderId, invoiceNumber, body.get("trackingNumber").asText())) {
            return unknownInvoice(orderId, invoiceNumber);
        }
        return receipt(orderId);
    }

    /** B6: tracking events and delivery; only once the invoice has a tracking number. */
    @RequestMapping(path = "/invoice/{invoiceNumber}/tracking", method = {RequestMethod.PUT, RequestMethod.POST})
    ResponseEntity<?> trackingStatus(@PathVariable String orderId, @PathVariable String invoiceNumber,
                                     @RequestBody JsonNode body) {
        List<Violation> violations = OrderServiceRules.trackingStatus(body);
        if (!violations.isEmpty()) {
            return SandboxError.invalid(violations);
        }
        var invoice = invoices.find(orderId, invoiceNumber);
        if (invoice.isEmpty()) {
            return unknownInvoice(orderId, invoiceNumber);
        }
        if (!invoice.get().hasTracking()) {
            return SandboxError.invalid("invoiceNumber",
                    "invoice " + invoiceNumber + " has no tracking number yet; send its tracking first");
        }
        return receipt(orderId);
    }

    /** B7: the seller cancels; an invoiced order needs a return (Input) invoice first. */
    @PostMapping("/cancel")
    ResponseEntity<?> cancel(@PathVariable String orderId, @RequestBody JsonNode body) {
        List<Violation> violations = OrderServiceRules.cancel(body);
        if (!violations.isEmpty()) {
            return SandboxError.invalid(violations);
        }
        if (invoices.isInvoiced(orderId)) {
            return SandboxError.invalid("orderId",
                    "order " + orderId + " is invoiced; send a return (Input) invoice before cancelling it");
        }
        return receipt(orderId);
    }

    private ResponseEntity<?> receipt(String orderId) {
        String receipt = UUID.randomUUID().toString().replace("-", "");
        return ResponseEntity.ok(new Receipt(OffsetDateTime.now(clock), orderId, receipt));
    }

    private static ResponseEntity<?> unknownInvoice(String orderId, String invoiceNumber) {
        return SandboxError.invalid("invoiceNumber",
                "order " + orderId + " has no invoice " + invoiceNumber + "; send the invoice first");
    }
}
