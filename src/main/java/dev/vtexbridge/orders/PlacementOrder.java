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

    public record Item(String id, Integer quantity, String seller, Long price) {
    }

    public record ShippingData(Address address, List<LogisticsInfo> logisticsInfo, String updateStatus) {
    }

    public record Address(String postalCode, String country) {
    }

    public record LogisticsInfo(Integer itemIndex, String selectedSla, Long price, String lockTTL) {
    }
}
