package dev.vtexbridge.vtex;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The calls a seller makes to the marketplace's services endpoint after an order (vtex-protocol.md §2.3 B4–B7), with
 * their paths relative to it and their HTTP methods in the protocol (S2) and on a VTEX OMS (S7), which differ (§7 Q6).
 */
public enum PostOrderCall {
    /** B4: a sale (Output) or return (Input) invoice. */
    INVOICE("POST", "POST"),
    /** B5: tracking of an invoice. */
    TRACKING("POST", "PATCH"),
    /** B6: carrier events and delivery of an invoice. */
    TRACKING_STATUS("POST", "PUT"),
    /** B7: the seller cancels. */
    CANCEL("POST", "POST");

    private final String protocolMethod;
    private final String omsMethod;

    PostOrderCall(String protocolMethod, String omsMethod) {
        this.protocolMethod = protocolMethod;
        this.omsMethod = omsMethod;
    }

    public String protocolMethod() {
        return protocolMethod;
    }

    public String omsMethod() {
        return omsMethod;
    }

    /** The path after the services endpoint; always the marketplace's order id, never ours. */
    public String path(String marketplaceOrderId, String invoiceNumber) {
        String order = "/pvt/orders/" + segment(marketplaceOrderId);
        return switch (this) {
            case INVOICE -> order + "/invoice";
            case TRACKING -> order + "/invoice/" + segment(invoiceNumber);
            case TRACKING_STATUS -> order + "/invoice/" + segment(invoiceNumber) + "/tracking";
            case CANCEL -> order + "/cancel";
        };
    }

    /** The property key of this call's method (bridge.orders.marketplace-methods.*). */
    public String configKey() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
