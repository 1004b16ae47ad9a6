package dev.vtexbridge.sandbox;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The invoices the sandbox marketplace received, per marketplace order id, in memory. It lets the sandbox refuse
 * what VTEX refuses: tracking for an invoice it never got, a tracking status before a tracking number, and the
 * cancellation of an invoiced order that has no return invoice.
 */
@Component
@ConditionalOnSandbox
public class InvoiceLedger {

    public static final String SALE = "Output";
    public static final String RETURN = "Input";

    /** One invoice of an order; {@code trackingNumber} is null until tracking is known. */
    public record Invoice(String type, String number, String trackingNumber) {

        Invoice withTracking(String trackingNumber) {
            return new Invoice(type, number, trackingNumber);
        }

        public boolean hasTracking() {
            return trackingNumber != null && !trackingNumber.isBlank();
        }
    }

    private final Map<String, Map<String, Invoice>> invoicesByOrder = new ConcurrentHashMap<>();

    /** Records an invoice; posting the same number again replaces it, as VTEX only issues a new receipt. */
    public void save(String orderId, Invoice invoice) {
        invoicesByOrder.computeIfAbsent(orderId, id -> new ConcurrentHashMap<>()).put(invoice.number(), invoice);
    }

    public Optional<Invoice> find(String orderId, String invoiceNumber) {
        return Optional.ofNullable(invoicesByOrder.getOrDefault(orderId, Map.of()).get(invoiceNumber));
    }

    /** Adds tracking to a known invoice; false when the order has no invoice with that number. */
    public boolean addTracking(String orderId, String invoiceNumber, String trackingNumber) {
        Map<String, Invoice> invoices = invoicesByOrder.get(orderId);
        return invoices != null
                && invoices.computeIfPresent(invoiceNumber, (number, invoice) -> invoice.withTracking(trackingNumber)) != null;
    }

    /** Invoiced for a sale and not (yet) returned: VTEX then refuses a cancellation. */
    public boolean isInvoiced(String orderId) {
        var invoices = invoicesByOrder.getOrDefault(orderId, Map.of()).values();
        return invoices.stream().anyMatch(i -> SALE.equals(i.type())) && invoices.stream().noneMatch(i -> RETURN.equals(i.type()));
    }
}
