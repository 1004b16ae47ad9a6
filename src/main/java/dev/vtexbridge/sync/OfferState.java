package dev.vtexbridge.sync;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * What the engine knows of one seller SKU: selling and list price in integer cents (connection {@code default}'s),
 * price validity, activity, dimensions, the stock per warehouse connection {@code default}'s rules expose, the units
 * held by open orders (all connections together, and per connection), and the ERP's own figures the other connections'
 * rules apply to: the pool (ERP units per warehouse; empty when not known), ERP price, list price and category (null
 * when not known). {@link ConnectionOffers} gives a connection's view of it.
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
        int held,
        Map<String, Integer> heldByConnection,
        Map<String, Integer> poolByWarehouse,
        Long erpPrice,
        Long erpListPrice,
        String categoryId) {

    public OfferState {
        stockByWarehouse = Map.copyOf(stockByWarehouse);
        heldByConnection = Map.copyOf(heldByConnection);
        poolByWarehouse = Map.copyOf(poolByWarehouse);
    }

    /** An offer set directly, without the ERP's own figures: every hold is connection {@code default}'s. */
    public OfferState(String skuId, Long price, Long listPrice, OffsetDateTime priceValidUntil, boolean active,
                      String measurementUnit, int unitMultiplier, Integer weightGrams, BigDecimal heightCm,
                      BigDecimal widthCm, BigDecimal lengthCm, Map<String, Integer> stockByWarehouse, int held) {
        this(skuId, price, listPrice, priceValidUntil, active, measurementUnit, unitMultiplier, weightGrams, heightCm,
                widthCm, lengthCm, stockByWarehouse, held, held > 0 ? Map.of("default", held) : Map.of(), Map.of(),
                null, null, null);
    }

    /** The same offer at another connection's prices. */
    public OfferState withPrices(Long price, Long listPrice) {
        return new OfferState(skuId, price, listPrice, priceValidUntil, active, measurementUnit, unitMultiplier,
                weightGrams, heightCm, widthCm, lengthCm, stockByWarehouse, held, heldByConnection, poolByWarehouse,
                erpPrice, erpListPrice, categoryId);
    }

    /** Units the open orders of one connection hold. */
    public int heldBy(String connection) {
        return heldByConnection.getOrDefault(connection, 0);
    }

    /** Units in every warehouse together (summed in 64 bits, capped at {@link Integer#MAX_VALUE}). */
    public int stock() {
        return (int) Math.min(Integer.MAX_VALUE, stockByWarehouse.values().stream().mapToLong(Integer::longValue).sum());
    }

    /**
     * Exposed stock minus what every open order holds, never below zero: what connection {@code default} may sell
     * while it is the only one holding units (then exactly {@link StockAllocation}'s figure, a lower bound otherwise).
     */
    public int available() {
        return Math.max(0, stock() - held);
    }

    /** Whether it can be sold at all: active and priced. */
    public boolean sellable() {
        return active && price != null && price > 0;
    }
}
