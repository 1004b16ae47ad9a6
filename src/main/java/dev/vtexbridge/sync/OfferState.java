package dev.vtexbridge.sync;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * What the engine knows of one seller SKU: selling and list price in integer cents, price validity, activity,
 * dimensions, stock per warehouse (as the ERP reported it) and the units held by open orders.
 */
public record OfferState(
        String skuId,
        Long price,
        Long listPrice,
        OffsetDateTime priceValidUntil,
        boolean active,
        String measurementUnit,
        int unitMultiplier,
        Integer weightGrams,
        BigDecimal heightCm,
        BigDecimal widthCm,
        BigDecimal lengthCm,
        Map<String, Integer> stockByWarehouse,
        int held) {

    public OfferState {
        stockByWarehouse = Map.copyOf(stockByWarehouse);
    }

    /** Units in every warehouse together (summed in 64 bits, capped at {@link Integer#MAX_VALUE}). */
    public int stock() {
        return (int) Math.min(Integer.MAX_VALUE, stockByWarehouse.values().stream().mapToLong(Integer::longValue).sum());
    }

    /** Units that can still be sold: stock minus what open orders hold, never below zero. */
    public int available() {
        return Math.max(0, stock() - held);
    }

    /** Whether it can be sold at all: active and priced. */
    public boolean sellable() {
        return active && price != null && price > 0;
    }
}
