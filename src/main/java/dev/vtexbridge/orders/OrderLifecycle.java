package dev.vtexbridge.orders;

import static dev.vtexbridge.orders.OrderStatus.CANCELED;
import static dev.vtexbridge.orders.OrderStatus.DELIVERED;
import static dev.vtexbridge.orders.OrderStatus.EXPIRED;
import static dev.vtexbridge.orders.OrderStatus.INVOICED;
import static dev.vtexbridge.orders.OrderStatus.PARTIALLY_INVOICED;
import static dev.vtexbridge.orders.OrderStatus.READY_FOR_HANDLING;
import static dev.vtexbridge.orders.OrderStatus.RETURNED;
import static dev.vtexbridge.orders.OrderStatus.SHIPPED;

/**
 * The order state machine of the External Seller protocol (vtex-protocol.md §2.1–§2.3):
 * <pre>
 * RESERVED --fulfil--> READY_FOR_HANDLING --sale invoice--> PARTIALLY_INVOICED --sale invoice--> INVOICED
 *   (lockTTL runs out: EXPIRED, a late fulfil still works)    (when the invoices reach the order value, straight on)
 * INVOICED --tracking--> SHIPPED --tracking status, delivered--> DELIVERED
 * INVOICED, SHIPPED or DELIVERED --return (Input) invoice--> RETURNED
 * RESERVED, EXPIRED, READY_FOR_HANDLING or RETURNED --cancel (marketplace or seller)--> CANCELED
 * </pre>
 * Each rule answers a {@link Decision}: move (possibly to the same status), a harmless repeat, or a refusal whose
 * reason is recorded on the order's timeline.
 */
public final class OrderLifecycle {

    /** The statuses of the marketplace role's orders, which the seller role's events never apply to. */
    private static final Refuse MARKETPLACE_ROLE = new Refuse("not an order of the seller role");

    private OrderLifecycle() {
    }

    public sealed interface Decision permits Move, Repeat, Refuse {
    }

    /** Accepted; the order is now {@code to} (which may be where it was, e.g. a second package's tracking). */
    public record Move(OrderStatus to) implements Decision {
    }

    /** Nothing to do: the event already took effect. */
    public record Repeat(String why) implements Decision {
    }

    /** Not allowed from where the order stands. */
    public record Refuse(String reason) implements Decision {
    }

    /** A3: the marketplace authorizes dispatch. */
    public static Decision fulfil(OrderStatus status) {
        return switch (status) {
            case RESERVED, EXPIRED -> new Move(READY_FOR_HANDLING);
            case CANCELED -> new Refuse("the order was cancelled and cannot be fulfilled");
            default -> new Repeat("dispatch was already authorized");
        };
    }

    /** The lockTTL of a placed order ran out before fulfil. */
    public static Decision expire(OrderStatus status) {
        return status == OrderStatus.RESERVED ? new Move(EXPIRED) : new Repeat("no longer waiting for fulfil");
    }

    /** A4: the marketplace cancels. An invoiced order is not cancelled: its invoice is the seller's refusal. */
    public static Decision marketplaceCancel(OrderStatus status) {
        return switch (status) {
            case RESERVED, EXPIRED, READY_FOR_HANDLING, RETURNED -> new Move(CANCELED);
            case CANCELED -> new Repeat("already cancelled");
            case PARTIALLY_INVOICED, INVOICED, SHIPPED, DELIVERED ->
                    new Refuse("the order is invoiced; the invoice stands as the seller's refusal of the cancellation");
            case RECEIVED, PLACED, FAILED -> MARKETPLACE_ROLE;
        };
    }

    /** B7: the seller cancels. Invoiced orders need a return (Input) invoice first; partially invoiced ones cannot. */
    public static Decision sellerCancel(OrderStatus status) {
        return switch (status) {
            case RESERVED, EXPIRED, READY_FOR_HANDLING, RETURNED -> new Move(CANCELED);
            case CANCELED -> new Repeat("already cancelled");
            case PARTIALLY_INVOICED -> new Refuse("a partially invoiced order cannot be cancelled");
            case INVOICED, SHIPPED, DELIVERED ->
                    new Refuse("the order is invoiced; cancelling it needs a return (Input) invoice first");
            case RECEIVED, PLACED, FAILED -> MARKETPLACE_ROLE;
        };
    }

    /** B4 Output: a sale invoice, possibly for one package; the order is invoiced once the invoices cover its value. */
    public static Decision saleInvoice(OrderStatus status, boolean coversOrderValue) {
        return switch (status) {
            case READY_FOR_HANDLING, PARTIALLY_INVOICED -> new Move(coversOrderValue ? INVOICED : PARTIALLY_INVOICED);
            case RESERVED, EXPIRED -> new Refuse("dispatch was not authorized yet (no fulfil from the marketplace)");
            case CANCELED -> new Refuse("the order is cancelled");
            case INVOICED, SHIPPED, DELIVERED -> new Refuse("the order is already invoiced for its whole value");
            case RETURNED -> new Refuse("the order was returned");
            case RECEIVED, PLACED, FAILED -> MARKETPLACE_ROLE;
        };
    }

    /** B4 Input: a return invoice, only once the whole order was invoiced. */
    public static Decision returnInvoice(OrderStatus status) {
        return switch (status) {
            case INVOICED, SHIPPED, DELIVERED, RETURNED -> new Move(RETURNED);
            case PARTIALLY_INVOICED -> new Refuse("a return invoice needs the whole order invoiced first");
            default -> new Refuse("the order was never invoiced");
        };
    }

    /** B5: tracking of an invoice already sent. */
    public static Decision tracking(OrderStatus status, boolean invoiceSent) {
        if (!invoiceSent) {
            return new Refuse("no sale invoice with that number was sent for this order");
        }
        return switch (status) {
            case PARTIALLY_INVOICED -> new Move(PARTIALLY_INVOICED);
            case INVOICED, SHIPPED -> new Move(SHIPPED);
            default -> new Refuse("tracking cannot be added to a " + status + " order");
        };
    }

    /** B6: carrier events and delivery; only for an invoice that has a tracking number. */
    public static Decision trackingStatus(OrderStatus status, boolean invoiceTracked, boolean delivered) {
        if (!invoiceTracked) {
            return new Refuse("the invoice has no tracking number yet; its tracking must come first");
        }
        return switch (status) {
            case PARTIALLY_INVOICED -> new Move(PARTIALLY_INVOICED);
            case INVOICED, SHIPPED -> new Move(delivered ? DELIVERED : SHIPPED);
            case DELIVERED -> new Refuse("the order was already delivered");
            default -> new Refuse("tracking status cannot be added to a " + status + " order");
        };
    }
}
