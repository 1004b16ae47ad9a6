package dev.vtexbridge.orders;

/** Where a seller order stands. */
public enum OrderStatus {
    /** Placed by the marketplace; its stock is held until fulfil or until its lockTTL runs out. */
    RESERVED,
    /** Dispatch authorized (fulfil): handed to the ERP leg, stock stays held until the ERP takes it over. */
    READY_FOR_HANDLING,
    /** The lockTTL ran out before fulfil; the stock went back. A late fulfil tries to hold it again. */
    EXPIRED,
    /** Cancelled by the marketplace before invoicing; the stock went back. */
    CANCELED,
    /** Invoiced; a cancellation can no longer be accepted. */
    INVOICED
}
