package dev.vtexbridge.logistics;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A pickup point in the protocol's {@code pickupStoreInfo} shape (serialized as is in the simulation answer). */
public record PickupStoreInfo(
        // Named explicitly: Jackson would otherwise treat isPickupStore() as the getter of "pickupStore".
        @JsonProperty("isPickupStore") boolean isPickupStore,
        String friendlyName,
        Address address,
        String additionalInfo) {

    /** The pickup point's address; {@code addressType} is always {@code pickup}. */
    public record Address(
            String addressType,
            String receiverName,
            String addressId,
            String postalCode,
            String city,
            String state,
            String country,
            String street,
            String number,
            String neighborhood,
            String complement,
            String reference,
            /* [longitude, latitude], the order VTEX addresses use */
            List<Double> geoCoordinates) {

        public Address {
            geoCoordinates = geoCoordinates == null ? List.of() : List.copyOf(geoCoordinates);
        }
    }
}
