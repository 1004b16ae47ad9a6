package dev.vtexbridge.marketplace;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the checkout simulation ({@code POST /api/checkout/pub/orderForms/simulation}, Checkout API) says of one SKU:
 * its selling price ({@code priceDefinition.calculatedSellingPrice}, else {@code sellingPrice}, else {@code price};
 * integer cents), its list price, and the units available. The checkout simulation tells whether the unit asked for
 * is available, not how many there are: the stock is {@code logisticsInfo[].stockBalance} where the answer carries it,
 * else the quantity answered for an {@code availability: "available"} item, else 0. An item missing from the answer
 * has stock 0 and no price (vtex-protocol.md §3.4).
 */
record SimulatedOffer(Long price, Long listPrice, int stock) {

    static SimulatedOffer of(JsonNode answer, String skuId) {
        JsonNode items = VtexSku.field(answer, "items");
        for (int index = 0; index < items.size(); index++) {
            JsonNode item = items.get(index);
            if (!skuId.equals(VtexSku.text(item, "id"))) {
                continue;
            }
            Long price = cents(VtexSku.field(VtexSku.field(item, "priceDefinition"), "calculatedSellingPrice"));
            if (price == null) {
                price = cents(VtexSku.field(item, "sellingPrice"));
            }
            if (price == null) {
                price = cents(VtexSku.field(item, "price"));
            }
            Long listPrice = cents(VtexSku.field(item, "listPrice"));
            String availability = VtexSku.text(item, "availability");
            boolean available = availability == null || "available".equalsIgnoreCase(availability);
            int stock = available ? Math.max(0, VtexSku.field(item, "quantity").asInt(0)) : 0;
            for (JsonNode logistics : VtexSku.field(answer, "logisticsInfo")) {
                if (VtexSku.field(logistics, "itemIndex").asInt(-1) == index
                        && VtexSku.field(logistics, "stockBalance").isNumber()) {
                    stock = available ? Math.max(0, VtexSku.field(logistics, "stockBalance").asInt()) : 0;
                }
            }
            return new SimulatedOffer(price, listPrice, stock);
        }
        return new SimulatedOffer(null, null, 0);
    }

    private static Long cents(JsonNode value) {
        return value.isNumber() && value.asLong() > 0 ? value.asLong() : null;
    }
}
