package dev.vtexbridge.logistics;

import java.util.List;

/**
 * {@code mappings/logistics.yaml} exactly as written; {@link LogisticsDefinitionReader} checks it and turns it into a
 * {@link LogisticsDefinition}. The format is documented in the file itself.
 */
record LogisticsFile(List<String> shipsTo, Integer defaultItemWeightGrams, List<Sla> slas) {

    record Sla(String id, String name, String deliveryChannel, String shippingEstimate,
               List<DestinationEntry> destinations, Freight freight, PickupPoint pickupPoint) {
    }

    record DestinationEntry(String country, String postalCodeFrom, String postalCodeTo) {
    }

    record Freight(Long perItem, Long perKg, Long freeFromLineValue) {
    }

    record PickupPoint(String friendlyName, PickupStoreInfo.Address address, String additionalInfo) {
    }
}
