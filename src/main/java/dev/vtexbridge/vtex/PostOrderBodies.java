package dev.vtexbridge.vtex;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vtexbridge.erp.ErpOrderEvent;

/**
 * The bodies of the post-order calls (vtex-protocol.md §2.3 B4–B7, checked against the External Seller Marketplace
 * spec and the OMS spec), mapped from the canonical ERP events. Amounts are integer cents (JSON numbers, §7 Q12).
 */
public final class PostOrderBodies {

    private PostOrderBodies() {
    }

    /**
     * B4. Courier and tracking are {@code ""} while unknown, as VTEX's examples send them; key and URL are null
     * when the ERP has none.
     */
    public record Invoice(String type, String invoiceNumber, long invoiceValue, String issuanceDate, String invoiceKey,
                          String invoiceUrl, String courier, String trackingNumber, String trackingUrl,
                          List<InvoiceItem> items) {
    }

    /** Unit {@code price} in cents; sent always, so VTEX does not have to divide the value (no rounding). */
    public record InvoiceItem(String id, int quantity, long price,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String description) {
    }

    /** B5. */
    public record Tracking(String courier, String trackingNumber, String trackingUrl, String dispatchedDate) {
    }

    /** B6. {@code deliveredDate} only once delivered. */
    public record TrackingStatus(@JsonProperty("isDelivered") boolean isDelivered,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) String deliveredDate,
                                 List<TrackingEvent> events) {
    }

    public record TrackingEvent(String city, String state, String description, String date) {
    }

    /** B7. */
    public record Cancel(String reason) {
    }

    public static Invoice invoice(ErpOrderEvent.Invoice invoice, Clock clock) {
        List<InvoiceItem> items = invoice.items().stream()
                .map(item -> new InvoiceItem(item.skuId(), item.quantity(), item.price(), item.description())).toList();
        String issued = invoice.issuanceDate() != null ? invoice.issuanceDate()
                : OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).toString();
        return new Invoice(invoice.type(), invoice.number(), invoice.value(), issued, invoice.key(), invoice.url(),
                orEmpty(invoice.courier()), orEmpty(invoice.trackingNumber()), orEmpty(invoice.trackingUrl()), items);
    }

    public static Tracking tracking(ErpOrderEvent.Tracking tracking, Clock clock) {
        String dispatched = tracking.dispatchedDate() != null ? tracking.dispatchedDate()
                : OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).toString();
        return new Tracking(tracking.courier(), tracking.trackingNumber(), orEmpty(tracking.trackingUrl()), dispatched);
    }

    public static TrackingStatus trackingStatus(ErpOrderEvent.TrackingStatus status) {
        List<TrackingEvent> events = status.events() == null ? List.of() : status.events().stream()
                .map(e -> new TrackingEvent(e.city(), e.state(), e.description(), e.date())).toList();
        boolean delivered = Boolean.TRUE.equals(status.delivered());
        return new TrackingStatus(delivered, delivered ? status.deliveredDate() : null, events);
    }

    public static Cancel cancel(ErpOrderEvent.Cancellation cancellation) {
        return new Cancel(cancellation.reason());
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
