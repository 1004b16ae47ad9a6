package dev.vtexbridge.orders;

import java.util.List;

/**
 * The parts of a VTEX order placement (protocol A2) the seller acts on. The full order is kept as received; this is
 * the typed view used to validate it and hold its stock. Prices are integer cents.
 */
public record PlacementOrder(
        String marketplaceOrderId,
        String marketplaceOrderGroup,
        String marketplaceServicesEndpoint,
        Long marketplacePaymentValue,
        List<Item> items,
        ShippingData shippingData) {

    /** {@code price} is per unit; {@code priceTags} modify it (discounts are negative, for the whole line). */
    public record Item(String id, Integer quantity, String seller, Long price, List<PriceTag> priceTags) {
    }

    /** A price modifier of a line: {@code value} in integer cents, negative for a discount. */
    public record PriceTag(String name, Long value, Boolean isPercentual, String identifier) {
    }

    public record ShippingData(Address address, List<LogisticsInfo> logisticsInfo, String updateStatus) {
    }

    public record Address(String postalCode, String country) {
    }

    public record LogisticsInfo(Integer itemIndex, String selectedSla, Long price, String lockTTL) {
    }
}
