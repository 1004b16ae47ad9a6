package dev.vtexbridge.sync;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A complete new state of one offer, as the sync flows (or the ops API) report it. Prices are integer cents.
 * Units held by open orders are not part of it: the engine keeps those itself.
 */
public record OfferUpdate(
        String skuId,
        Long price,
        Long listPrice,
        OffsetDateTime priceValidUntil,
        boolean active,
        String measurementUnit,
        Integer unitMultiplier,
        Integer weightGrams,
        BigDecimal heightCm,
        BigDecimal widthCm,
        BigDecimal lengthCm,
        Map<String, Integer> stockByWarehouse) {
}
