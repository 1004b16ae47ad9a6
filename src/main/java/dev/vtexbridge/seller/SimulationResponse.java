package dev.vtexbridge.seller;

import java.util.List;

import dev.vtexbridge.logistics.PickupStoreInfo;
import dev.vtexbridge.logistics.SlaOption;

/**
 * The fulfillment simulation answer ({@code responseFulfillmentSimulation}), field for field. Prices are integer
 * cents; fields the protocol marks required are always written, null or {@code []} when there is nothing to say.
 */
record SimulationResponse(String country, String postalCode, boolean allowMultipleDeliveries, List<Item> items,
                          List<LogisticsInfo> logisticsInfo) {

    record Item(String id, int requestIndex, int quantity, String seller, long price, long listPrice,
                String priceValidUntil, List<String> priceTags, String measurementUnit, int unitMultiplier,
                String merchantName, List<Offering> offerings) {
    }

    /** A service sold with the item (warranty, assembly); the engine offers none yet, the list is always empty. */
    record Offering(String type, String id, String name, long price) {
    }

    record LogisticsInfo(int itemIndex, int quantity, List<String> shipsTo, int stockBalance,
                         List<DeliveryChannel> deliveryChannels, List<Sla> slas) {
    }

    record DeliveryChannel(String id, int stockBalance) {
    }

    record Sla(String id, String name, String deliveryChannel, long price, String shippingEstimate,
               List<DeliveryWindow> availableDeliveryWindows, PickupStoreInfo pickupStoreInfo) {

        static Sla of(SlaOption option) {
            return new Sla(option.id(), option.name(), option.deliveryChannel(), option.price(),
                    option.shippingEstimate(), List.of(), option.pickupStoreInfo());
        }
    }

    /** A scheduled-delivery window; the logistics definition has none yet, so the list is always empty. */
    record DeliveryWindow(String startDateUtc, String endDateUtc, long price) {
    }
}
