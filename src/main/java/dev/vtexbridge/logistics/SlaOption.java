package dev.vtexbridge.logistics;

/**
 * One way to deliver one item line to one destination, as the fulfillment simulation offers it and as order
 * placement checks the SLA an order selected against.
 *
 * @param id              the SLA id VTEX echoes back as {@code selectedSla}
 * @param deliveryChannel {@code delivery} or {@code pickup-in-point}
 * @param price           freight in integer cents for the whole quantity of the line
 * @param shippingEstimate e.g. {@code 5bd} (business days), {@code 2d}, {@code 4h}, {@code 30m}
 * @param pickupStoreInfo the pickup point of a {@code pickup-in-point} SLA; null for {@code delivery}
 */
public record SlaOption(String id, String name, String deliveryChannel, long price, String shippingEstimate,
                        PickupStoreInfo pickupStoreInfo) {
}
