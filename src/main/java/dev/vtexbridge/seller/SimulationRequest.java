package dev.vtexbridge.seller;

import java.util.List;

import dev.vtexbridge.vtex.VtexErrorException;

/**
 * A fulfillment simulation request ({@code requestFulfillmentSimulation}). Only what the answer needs is read;
 * {@code sc}, {@code geoCoordinates}, {@code isCheckedIn}, {@code clientProfileData} and the like are ignored.
 * {@code postalCode} and {@code country} are null in storefront and indexing simulations.
 */
record SimulationRequest(List<Item> items, String postalCode, String country) {

    record Item(String id, Integer quantity, String seller) {
    }

    /**
     * Refuses what cannot be answered item by item; each message names the field. A SKU asked for in more units
     * than the {@link QuantityLimit}, on one line or over all its lines, is refused with FMT002.
     */
    SimulationRequest validate(int maxItems, QuantityLimit quantities) {
        if (items == null) {
            throw VtexErrorException.badRequest("Field 'items' is required");
        }
        if (items.isEmpty()) {
            throw VtexErrorException.badRequest("Field 'items' must hold at least one item");
        }
        if (items.size() > maxItems) {
            throw VtexErrorException.badRequest("Field 'items' holds " + items.size() + " items; at most " + maxItems
                    + " are accepted");
        }
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item == null) {
                throw VtexErrorException.badRequest("Field 'items[" + i + "]' must be an object");
            }
            if (item.id() == null || item.id().isBlank()) {
                throw VtexErrorException.badRequest("Field 'items[" + i + "].id' is required");
            }
            if (item.quantity() == null) {
                throw VtexErrorException.badRequest("Field 'items[" + i + "].quantity' is required");
            }
            if (item.quantity() <= 0) {
                throw VtexErrorException.badRequest("Field 'items[" + i + "].quantity' must be at least 1");
            }
            quantities.checkLine(i, item.id(), item.quantity());
        }
        quantities.checkPerSku("simulation", items, Item::id, Item::quantity);
        return this;
    }
}
