package dev.vtexbridge.logistics;

import java.util.List;

import dev.vtexbridge.sync.OfferState;

/** One SLA of the logistics definition, ready to match destinations and price item lines. */
record ShippingRule(String id, String name, String deliveryChannel, String shippingEstimate,
                    List<Destination> destinations, FreightRule freight, PickupStoreInfo pickupStoreInfo) {

    /** @param postalCode already normalized */
    boolean serves(String country, String postalCode) {
        for (Destination destination : destinations) {
            if (destination.matches(country, postalCode)) {
                return true;
            }
        }
        return false;
    }

    SlaOption option(OfferState offer, int quantity, int defaultWeightGrams) {
        return new SlaOption(id, name, deliveryChannel, freight.price(offer, quantity, defaultWeightGrams),
                shippingEstimate, pickupStoreInfo);
    }
}
