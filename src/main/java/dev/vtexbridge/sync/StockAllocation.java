package dev.vtexbridge.sync;

import java.util.Map;

import dev.vtexbridge.connections.Connection;

/**
 * One connection's share of the one stock pool, by its stock rules on its sales channel. For connection c:
 * <pre>
 * available_c = min(exposed_c − held_c, sellable_c − held_all), never below 0
 * </pre>
 * where exposed_c is c's rules applied to the pool (for {@code default}: the stock the stock flow exposed, as the
 * marketplace was notified of it), sellable_c the pool's counted units minus c's safety buffer, held_c what c's open
 * orders hold and held_all what every order holds. The first term keeps c within its allocation, the second keeps
 * every connection together within the pool: no order anywhere can take a unit another connection already holds.
 * With one connection (held_c = held_all, exposed_c ≤ sellable_c) it is exposed − held, as before connections.
 *
 * <p>Where the ERP's figures are not known (stock set directly through the ops API, or before this version), the
 * exposed stock stands for the pool, its rules already applied.
 */
public record StockAllocation(String connection, StockRules rules, String salesChannel) {

    public int available(OfferState offer) {
        boolean poolKnown = !offer.poolByWarehouse().isEmpty();
        long exposed = exposed(offer);
        long sellable = poolKnown ? rules.sellable(salesChannel, pool(offer)) : offer.stock();
        long available = Math.min(exposed - offer.heldBy(connection), sellable - offer.held());
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, available));
    }

    /** The units the connection's stock rules expose of the pool, holds not counted (what its notifications tell). */
    public int exposed(OfferState offer) {
        return Connection.DEFAULT.equals(connection) ? offer.stock() : rules.exposedTotal(salesChannel, pool(offer));
    }

    /** The ERP's units per warehouse; where they are not known, the exposed stock stands in. */
    private static Map<String, Integer> pool(OfferState offer) {
        return offer.poolByWarehouse().isEmpty() ? offer.stockByWarehouse() : offer.poolByWarehouse();
    }
}
