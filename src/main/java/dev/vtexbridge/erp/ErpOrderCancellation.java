package dev.vtexbridge.erp;

/**
 * The canonical message telling the ERP that an order it received was cancelled by the marketplace (README "ERP order
 * event"): the body of the Kafka and JMS sinks, the input of the REST cancel template, an update of {@code erp_order}.
 */
public record ErpOrderCancellation(String type, String marketplaceOrderId, String sellerOrderId, String erpOrderId,
                                   String reason) {

    /** {@code type} of a cancellation. */
    public static final String CANCELLED = "order.cancelled";

    public ErpOrderCancellation(String marketplaceOrderId, String sellerOrderId, String erpOrderId, String reason) {
        this(CANCELLED, marketplaceOrderId, sellerOrderId, erpOrderId, reason);
    }
}
