package dev.vtexbridge.sync;

import java.util.Optional;

import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.mapping.MappingRegistry;
import dev.vtexbridge.mapping.Mappings;
import org.springframework.stereotype.Component;

/**
 * The projection as one connection sells it: its price rules on its sales channel, and its share of the one stock
 * pool ({@link StockAllocation}). Connection {@code default} sees the projection's own prices and exposed stock (what
 * the price and stock flows wrote for it); another connection's rules apply to the ERP's figures, or where those are
 * not known (an offer set directly through the ops API) to the projection's. Read from memory, never from the database.
 */
@Component
public class ConnectionOffers {

    private final OfferProjection projection;
    private final MappingRegistry mappings;
    private final Connections connections;

    public ConnectionOffers(OfferProjection projection, MappingRegistry mappings, Connections connections) {
        this.projection = projection;
        this.mappings = mappings;
        this.connections = connections;
    }

    /** One offer as a connection sells it: the offer at that connection's prices, and the units it may sell. */
    public record ConnectionOffer(OfferState offer, int available) {
    }

    public Optional<ConnectionOffer> find(String connection, String skuId) {
        StockAllocation allocation = allocation(connection);
        return projection.find(skuId).map(offer -> {
            OfferState priced = atPricesOf(connection, offer);
            return new ConnectionOffer(priced, allocation.available(priced));
        });
    }

    /** The connection's stock rules and sales channel, for placement's hold ({@link OfferProjection#hold}). */
    public StockAllocation allocation(String connection) {
        return new StockAllocation(connection, mappings.forConnection(connection).stock(), salesChannel(connection));
    }

    private OfferState atPricesOf(String connection, OfferState offer) {
        if (Connection.DEFAULT.equals(connection) || offer.price() == null) {
            return offer;
        }
        Mappings rules = mappings.forConnection(connection);
        long erpPrice = offer.erpPrice() != null ? offer.erpPrice() : offer.price();
        Long erpListPrice = offer.erpPrice() != null ? offer.erpListPrice() : offer.listPrice();
        long selling = rules.prices().sellingPrice(salesChannel(connection), offer.categoryId(), erpPrice);
        return offer.withPrices(selling, PriceRules.listPrice(selling, erpListPrice));
    }

    private String salesChannel(String connection) {
        return connections.require(connection).vtex().salesChannel();
    }
}
