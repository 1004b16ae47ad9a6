package dev.vtexbridge.connections;

import java.util.Locale;
import java.util.Map;

import dev.vtexbridge.vtex.VtexProperties;

/**
 * One counterparty in one role (DESIGN point 10): a VTEX marketplace we sell on as External Seller, or (role
 * marketplace) a VTEX store whose products we sell on an external marketplace. It has its own VTEX account, the
 * credentials the counterparty presents on our endpoints, and its own rate limits; a marketplace-role connection also
 * has its public URL, its offer sink ({@code offers}; null in the seller role), its events sink and how its orders
 * come in ({@code events}, {@code orders}; may be null). Connection
 * {@value #DEFAULT} is the single-account configuration ({@code bridge.vtex.*}, {@code bridge.seller.*}).
 * {@link #toString()} never shows a secret.
 */
public record Connection(
        String id,
        Role role,
        boolean enabled,
        VtexAccount vtex,
        EndpointCredentials endpoint,
        Map<String, VtexProperties.RateLimit> rateLimits,
        String publicUrl,
        MarketplaceOffers offers,
        MarketplaceEvents events,
        MarketplaceOrders orders) {

    /** The connection of the single-account settings, served on {@code /seller/pvt/…}. */
    public static final String DEFAULT = "default";
    /** Exchange header naming the connection a message belongs to; channels carry it across the broker. */
    public static final String HEADER = "BridgeConnection";
    /** Request header the seller endpoints' guard sets (any incoming one is replaced) for the routes to read. */
    public static final String HTTP_HEADER = "X-Bridge-Connection";

    /** What a connection is to us. */
    public enum Role {
        /** We sell on a VTEX marketplace (External Seller protocol). */
        SELLER,
        /** We sell a VTEX store's products on an external marketplace (External Marketplace protocol). */
        MARKETPLACE;

        /** The name used in configuration and in the ops API. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Connection {
        rateLimits = rateLimits == null ? Map.of() : Map.copyOf(rateLimits);
    }

    /** A seller-role connection. */
    public Connection(String id, Role role, boolean enabled, VtexAccount vtex, EndpointCredentials endpoint,
                      Map<String, VtexProperties.RateLimit> rateLimits) {
        this(id, role, enabled, vtex, endpoint, rateLimits, null, null);
    }

    /** A connection without order settings (its orders come by webhook, no events sink). */
    public Connection(String id, Role role, boolean enabled, VtexAccount vtex, EndpointCredentials endpoint,
                      Map<String, VtexProperties.RateLimit> rateLimits, String publicUrl, MarketplaceOffers offers) {
        this(id, role, enabled, vtex, endpoint, rateLimits, publicUrl, offers, null, null);
    }

    /** How this marketplace-role connection's orders come in; never null (default: webhook, no payment). */
    public MarketplaceOrders ordersOrDefault() {
        return orders != null ? orders : new MarketplaceOrders(null, null, null, null, null, null, null);
    }

    public boolean isDefault() {
        return DEFAULT.equals(id);
    }

    /** An enabled connection in the seller role: its seller endpoints answer. */
    public boolean servesSellerEndpoints() {
        return enabled && role == Role.SELLER;
    }

    /** An enabled connection in the marketplace role: its VTEX store's notifications are taken. */
    public boolean servesMarketplaceEndpoints() {
        return enabled && role == Role.MARKETPLACE;
    }

    /** Where the marketplace of this connection calls us: {@code /seller/pvt} for the default, else {@code /seller/<id>/pvt}. */
    public String sellerEndpointPath(String basePath) {
        return isDefault() ? basePath + "/pvt" : basePath + "/" + id + "/pvt";
    }

    /** The token bucket of one VTEX API family: this connection's own, else its {@code default} family. */
    public VtexProperties.RateLimit rateLimit(String family) {
        VtexProperties.RateLimit limit = rateLimits.get(family);
        return limit != null ? limit : rateLimits.getOrDefault("default", new VtexProperties.RateLimit(20, 40));
    }

    @Override
    public String toString() {
        return "Connection[id=" + id + ", role=" + role.configName() + ", enabled=" + enabled + ", vtex=" + vtex
                + ", endpoint=" + endpoint + (offers == null ? "" : ", publicUrl=" + publicUrl + ", offers=" + offers)
                + (events == null ? "" : ", events=" + events.sinkName())
                + (orders == null ? "" : ", orders=" + orders.sourceName()) + "]";
    }
}
