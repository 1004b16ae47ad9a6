package dev.vtexbridge.erp;

/**
 * The canonical message telling the ERP that an order it received was cancelled by the marketplace (README "ERP order
 * event"): the body of the Kafka and JMS sinks, the input of the REST cancel template, an update of {@code erp_order}.
 * {@code connection} and {@code marketplaceAccount} say which marketplace, as in {@link ErpOrder}.
 */
public record ErpOrderCancellation(String type, String connection, String marketplaceAccount, String marketplaceOrderId,
                                   String sellerOrderId, String erpOrderId, String reason) {

    /** {@code type} of a cancellation. */
    public static final String CANCELLED = "order.cancelled";

    public ErpOrderCancellation(String connection, String marketplaceAccount, String marketplaceOrderId,
                                String sellerOrderId, String erpOrderId, String reason) {
        this(CANCELLED, connection, marketplaceAccount, marketplaceOrderId, sellerOrderId, erpOrderId, reason);
    }
}
