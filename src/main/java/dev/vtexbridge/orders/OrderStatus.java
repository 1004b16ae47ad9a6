package dev.vtexbridge.orders;

/**
 * Where an order stands; {@link OrderLifecycle} says which event may move a seller-role order where. An order of the
 * External Marketplace role (an external marketplace's order injected into a VTEX store) goes
 * {@code RECEIVED -> PLACED -> READY_FOR_HANDLING (dispatch authorized) -> INVOICED -> SHIPPED}, or to
 * {@code CANCELED} or {@code FAILED}.
 */
public enum OrderStatus {
    /** Placed by the marketplace; its stock is held until fulfil or until its lockTTL runs out. */
    RESERVED,
    /** Dispatch authorized (fulfil): handed to the ERP leg, stock stays held until the ERP takes it over. */
    READY_FOR_HANDLING,
    /** The lockTTL ran out before fulfil; the stock went back. A late fulfil tries to hold it again. */
    EXPIRED,
    /** Cancelled by the marketplace before invoicing, or by the seller; the stock went back. */
    CANCELED,
    /** Some packages invoiced, not yet the order value; a cancellation can no longer be accepted. */
    PARTIALLY_INVOICED,
    /** Invoiced for the order value; a cancellation needs a return (Input) invoice first. */
    INVOICED,
    /** Invoiced and handed to a carrier (tracking sent). */
    SHIPPED,
    /** The carrier reported the delivery. */
    DELIVERED,
    /** A return (Input) invoice was sent; the seller may now cancel the order. */
    RETURNED,
    /** Marketplace role: taken from the external marketplace, not yet placed on the VTEX store. */
    RECEIVED,
    /** Marketplace role: the VTEX store accepted the order; dispatch waits for the marketplace's approval. */
    PLACED,
    /** Marketplace role: the VTEX store refused the order (its reason is on the timeline and in the failed event). */
    FAILED;

    /**
     * Nothing more happens to the order: cancelled, delivered or (marketplace role) refused by the store. An expired order is not final (a late fulfil may
     * hold its stock again), nor is a returned one (the seller may still cancel it).
     */
    public boolean isFinal() {
        return this == CANCELED || this == DELIVERED || this == FAILED;
    }
}
