package dev.vtexbridge.erp;

import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vtexbridge.connections.Connection;

/**
 * What the ERP did with an order, in canonical form (README "ERP order events"): an invoice (sale {@code Output},
 * possibly one per package, or return {@code Input}), the tracking of an invoice, a carrier status, or a seller
 * cancellation. The SQL trigger builds them from the ERP tables; a Kafka topic or the webhook sends them as JSON.
 * The order is named by any of its ids. Amounts are integer cents; dates ISO-8601 strings as the ERP gave them.
 * <p>
 * {@code connection} is the connection the order was placed on (the {@code connection} of the order message the ERP
 * received). A marketplace order id is unique only within its connection, so it names an order of that connection,
 * of {@value Connection#DEFAULT} when the event names none. Our and the ERP's ids are unique in the engine: without a
 * connection they name their order whichever connection it is on; with one, only an order of that connection.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErpOrderEvent(
        Type type,
        String connection,
        String marketplaceOrderId,
        String erpOrderId,
        String sellerOrderId,
        Invoice invoice,
        Tracking tracking,
        TrackingStatus trackingStatus,
        Cancellation cancellation) {

    public enum Type {
        @JsonProperty("invoice") INVOICE,
        @JsonProperty("tracking") TRACKING,
        @JsonProperty("tracking-status") TRACKING_STATUS,
        @JsonProperty("cancellation") CANCELLATION
    }

    /** {@code type} is {@code Output} (sale) or {@code Input} (return); {@code value} is this invoice's part. */
    public record Invoice(String type, String number, Long value, String issuanceDate, String key, String url,
                          String courier, String trackingNumber, String trackingUrl, List<Item> items) {

        public static final String SALE = "Output";
        public static final String RETURN = "Input";

        public boolean isReturn() {
            return RETURN.equals(type);
        }

        public boolean hasTracking() {
            return trackingNumber != null && !trackingNumber.isBlank();
        }
    }

    /** One invoiced line: unit {@code price} in cents. */
    public record Item(String skuId, Integer quantity, Long price, String description) {
    }

    public record Tracking(String invoiceNumber, String courier, String trackingNumber, String trackingUrl,
                           String dispatchedDate) {
    }

    public record TrackingStatus(String invoiceNumber, Boolean delivered, String deliveredDate, List<CarrierEvent> events) {
    }

    public record CarrierEvent(String city, String state, String description, String date) {
    }

    public record Cancellation(String reason) {
    }

    /** The ids the event names its order by, most specific first. */
    public List<String> orderIds() {
        return Stream.of(marketplaceOrderId, erpOrderId, sellerOrderId).filter(id -> id != null && !id.isBlank()).toList();
    }

    /** Ours and the ERP's id, those the event names, in the order the order is looked up by: unique in the engine. */
    public List<String> uniqueOrderIds() {
        return Stream.of(sellerOrderId, erpOrderId).filter(id -> id != null && !id.isBlank()).toList();
    }

    /** Whether the event names its connection; when it does not, its marketplace order id is connection default's. */
    public boolean namesConnection() {
        return !blank(connection);
    }

    /** The connection the event's marketplace order id belongs to: the one it names, else {@value Connection#DEFAULT}. */
    public String connectionOrDefault() {
        return namesConnection() ? connection : Connection.DEFAULT;
    }

    /** What is missing for this event to be applied; empty when it is complete. */
    public List<String> problems() {
        Stream.Builder<String> problems = Stream.builder();
        if (type == null) {
            problems.add("type must be invoice, tracking, tracking-status or cancellation");
        }
        if (orderIds().isEmpty()) {
            problems.add("one of marketplaceOrderId, erpOrderId, sellerOrderId is required");
        }
        if (type == Type.INVOICE && (invoice == null || blank(invoice.number()) || invoice.value() == null
                || invoice.value() <= 0 || invoice.items() == null || invoice.items().isEmpty()
                || !(Invoice.SALE.equals(invoice.type()) || invoice.isReturn()))) {
            problems.add("invoice needs type Output or Input, number, value > 0 (cents) and items");
        }
        if (type == Type.TRACKING && (tracking == null || blank(tracking.invoiceNumber()) || blank(tracking.trackingNumber())
                || blank(tracking.courier()))) {
            problems.add("tracking needs invoiceNumber, courier and trackingNumber");
        }
        if (type == Type.TRACKING_STATUS && (trackingStatus == null || blank(trackingStatus.invoiceNumber())
                || trackingStatus.delivered() == null)) {
            problems.add("trackingStatus needs invoiceNumber and delivered");
        }
        if (type == Type.CANCELLATION && (cancellation == null || blank(cancellation.reason()))) {
            problems.add("cancellation needs a reason");
        }
        return problems.build().toList();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
