package dev.vtexbridge.orders;

import dev.vtexbridge.orders.OrderLifecycle.Move;
import dev.vtexbridge.orders.OrderLifecycle.Refuse;
import dev.vtexbridge.orders.OrderLifecycle.Repeat;
import org.junit.jupiter.api.Test;

import static dev.vtexbridge.orders.OrderStatus.CANCELED;
import static dev.vtexbridge.orders.OrderStatus.DELIVERED;
import static dev.vtexbridge.orders.OrderStatus.EXPIRED;
import static dev.vtexbridge.orders.OrderStatus.INVOICED;
import static dev.vtexbridge.orders.OrderStatus.PARTIALLY_INVOICED;
import static dev.vtexbridge.orders.OrderStatus.READY_FOR_HANDLING;
import static dev.vtexbridge.orders.OrderStatus.RESERVED;
import static dev.vtexbridge.orders.OrderStatus.RETURNED;
import static dev.vtexbridge.orders.OrderStatus.SHIPPED;
import static org.assertj.core.api.Assertions.assertThat;

/** The order state machine, rule by rule. */
class OrderLifecycleTest {

    @Test
    void theHappyPathRunsFromPlacementToDelivery() {
        assertThat(OrderLifecycle.fulfil(RESERVED)).isEqualTo(new Move(READY_FOR_HANDLING));
        assertThat(OrderLifecycle.saleInvoice(READY_FOR_HANDLING, true)).isEqualTo(new Move(INVOICED));
        assertThat(OrderLifecycle.tracking(INVOICED, true)).isEqualTo(new Move(SHIPPED));
        assertThat(OrderLifecycle.trackingStatus(SHIPPED, true, false)).isEqualTo(new Move(SHIPPED));
        assertThat(OrderLifecycle.trackingStatus(SHIPPED, true, true)).isEqualTo(new Move(DELIVERED));
    }

    @Test
    void partialInvoicesInvoiceTheOrderOnceTheyCoverItsValue() {
        assertThat(OrderLifecycle.saleInvoice(READY_FOR_HANDLING, false)).isEqualTo(new Move(PARTIALLY_INVOICED));
        assertThat(OrderLifecycle.tracking(PARTIALLY_INVOICED, true)).isEqualTo(new Move(PARTIALLY_INVOICED));
        assertThat(OrderLifecycle.saleInvoice(PARTIALLY_INVOICED, true)).isEqualTo(new Move(INVOICED));
        assertThat(OrderLifecycle.sellerCancel(PARTIALLY_INVOICED)).isInstanceOf(Refuse.class);
        assertThat(OrderLifecycle.returnInvoice(PARTIALLY_INVOICED)).isInstanceOf(Refuse.class);
    }

    @Test
    void theMarketplaceCancelsUntilInvoicedAndTheInvoiceIsTheRefusal() {
        assertThat(OrderLifecycle.marketplaceCancel(RESERVED)).isEqualTo(new Move(CANCELED));
        assertThat(OrderLifecycle.marketplaceCancel(READY_FOR_HANDLING)).isEqualTo(new Move(CANCELED));
        assertThat(OrderLifecycle.marketplaceCancel(CANCELED)).isInstanceOf(Repeat.class);
        assertThat(OrderLifecycle.marketplaceCancel(INVOICED)).isInstanceOf(Refuse.class);
        assertThat(OrderLifecycle.fulfil(CANCELED)).isInstanceOf(Refuse.class);
        assertThat(OrderLifecycle.fulfil(EXPIRED)).isEqualTo(new Move(READY_FOR_HANDLING));
        assertThat(OrderLifecycle.fulfil(SHIPPED)).isInstanceOf(Repeat.class);
    }

    @Test
    void theSellerCancelsAnInvoicedOrderOnlyAfterAReturnInvoice() {
        assertThat(OrderLifecycle.sellerCancel(READY_FOR_HANDLING)).isEqualTo(new Move(CANCELED));
        for (OrderStatus invoiced : new OrderStatus[] {INVOICED, SHIPPED, DELIVERED}) {
            assertThat(OrderLifecycle.sellerCancel(invoiced)).as(invoiced.name())
                    .isEqualTo(new Refuse("the order is invoiced; cancelling it needs a return (Input) invoice first"));
            assertThat(OrderLifecycle.returnInvoice(invoiced)).isEqualTo(new Move(RETURNED));
        }
        assertThat(OrderLifecycle.sellerCancel(RETURNED)).isEqualTo(new Move(CANCELED));
    }

    @Test
    void trackingNeedsItsInvoiceAndStatusNeedsItsTracking() {
        assertThat(OrderLifecycle.tracking(INVOICED, false)).isInstanceOf(Refuse.class);
        assertThat(OrderLifecycle.trackingStatus(SHIPPED, false, true)).isInstanceOf(Refuse.class);
        assertThat(OrderLifecycle.saleInvoice(RESERVED, true)).isInstanceOf(Refuse.class);
        assertThat(OrderLifecycle.saleInvoice(INVOICED, true)).isInstanceOf(Refuse.class);
        assertThat(OrderLifecycle.saleInvoice(CANCELED, true)).isInstanceOf(Refuse.class);
    }
}
