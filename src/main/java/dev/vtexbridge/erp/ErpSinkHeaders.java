package dev.vtexbridge.erp;

/** The headers between the order leg and its ERP sinks ({@code routes/seller/order-to-erp.camel.yaml}). */
public final class ErpSinkHeaders {

    /** In: {@value ErpOrder#RELEASED} or {@value ErpOrderCancellation#CANCELLED}; the body is the matching record as JSON. */
    public static final String EVENT_TYPE = "erpEventType";
    /** Out: the ERP's own order id, when the sink gets one (SQL, REST). */
    public static final String ERP_ORDER_ID = "BridgeErpOrderId";
    /** Out: where the message went (ERP row, Kafka partition and offset, JMS message id, REST URL). */
    public static final String ERP_REFERENCE = "BridgeErpReference";

    private ErpSinkHeaders() {
    }
}
