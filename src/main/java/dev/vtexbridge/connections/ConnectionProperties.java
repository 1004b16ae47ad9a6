package dev.vtexbridge.connections;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import dev.vtexbridge.vtex.VtexProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * One connection as configured under {@code bridge.connections.<id>}, before any default is applied: every value may
 * be missing, and a blank value counts as missing. Bound with Spring's relaxed binding, so each value can come from
 * the environment, e.g. {@code BRIDGE_CONNECTIONS_OUTLET_VTEX_APP_TOKEN}. {@code publicUrl} and {@code offers} belong
 * to the marketplace role (the engine's own address for that counterparty, and where its offers go).
 */
public record ConnectionProperties(
        String role,
        Boolean enabled,
        VtexAccount vtex,
        EndpointCredentials endpoint,
        Map<String, VtexProperties.RateLimit> rateLimits,
        String publicUrl,
        MarketplaceOffers offers,
        MarketplaceEvents events,
        MarketplaceOrders orders) {

    public static final String PREFIX = "bridge.connections";

    @ConstructorBinding
    public ConnectionProperties {
    }

    /** A seller-role connection, which has no public URL or offer sink. */
    public ConnectionProperties(String role, Boolean enabled, VtexAccount vtex, EndpointCredentials endpoint,
                                Map<String, VtexProperties.RateLimit> rateLimits) {
        this(role, enabled, vtex, endpoint, rateLimits, null, null, null, null);
    }

    /** A marketplace-role connection without order settings. */
    public ConnectionProperties(String role, Boolean enabled, VtexAccount vtex, EndpointCredentials endpoint,
                                Map<String, VtexProperties.RateLimit> rateLimits, String publicUrl,
                                MarketplaceOffers offers) {
        this(role, enabled, vtex, endpoint, rateLimits, publicUrl, offers, null, null);
    }

    /**
     * Every connection under {@value #PREFIX}, by id; empty when none is configured. Spring's property names ignore
     * '-', so {@code outlet-br} in a file and {@code BRIDGE_CONNECTIONS_OUTLETBR_…} in the environment are one
     * connection, which the binder hands over under both spellings (with the same values): it is kept once, under the
     * spelling with dashes.
     */
    public static Map<String, ConnectionProperties> bind(Binder binder) {
        Map<String, ConnectionProperties> bound = binder.bind(PREFIX,
                Bindable.mapOf(String.class, ConnectionProperties.class)).orElseGet(Map::of);
        Map<String, String> spellingOf = new LinkedHashMap<>();
        bound.keySet().forEach(id -> spellingOf.merge(id.replace("-", ""), id,
                (kept, other) -> other.length() > kept.length() ? other : kept));
        Map<String, ConnectionProperties> connections = new LinkedHashMap<>();
        spellingOf.values().forEach(id -> connections.put(id, bound.get(id)));
        return connections;
    }

    /** These values where set, else the fallback's; rate limits are overridden per API family. */
    ConnectionProperties orElse(ConnectionProperties fallback) {
        Map<String, VtexProperties.RateLimit> limits = new LinkedHashMap<>();
        if (fallback.rateLimits != null) {
            limits.putAll(fallback.rateLimits);
        }
        if (rateLimits != null) {
            limits.putAll(rateLimits);
        }
        return new ConnectionProperties(firstSet(role, fallback.role), enabled != null ? enabled : fallback.enabled,
                vtex == null ? fallback.vtex : vtex.orElse(fallback.vtex),
                endpoint == null ? fallback.endpoint : endpoint.orElse(fallback.endpoint), limits,
                firstSet(publicUrl, fallback.publicUrl), offers != null ? offers : fallback.offers,
                events != null ? events : fallback.events, orders != null ? orders : fallback.orders);
    }

    /** Every credential configured here (VTEX's and the counterparty's), for the redaction of stored text. */
    public List<String> secrets() {
        return Stream.concat(Stream.of(vtex == null ? null : vtex.appKey(), vtex == null ? null : vtex.appToken(),
                        endpoint == null ? null : endpoint.appKey(), endpoint == null ? null : endpoint.appToken(),
                        endpoint == null ? null : endpoint.token()),
                        Stream.concat(Stream.concat(offers == null ? Stream.empty() : offers.secretHeaderValues(),
                                events == null ? Stream.empty() : events.secretHeaderValues()),
                                orders == null ? Stream.empty() : orders.secretHeaderValues()))
                .filter(Objects::nonNull).toList();
    }

    static String firstSet(String value, String fallback) {
        return value != null && !value.isBlank() ? value : fallback;
    }

    static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** How a secret shows in a {@code toString}: whether it is set, never its value. */
    static String hidden(String secret) {
        return isSet(secret) ? "[set]" : "[not set]";
    }

    @Override
    public String toString() {
        return "ConnectionProperties[role=" + role + ", enabled=" + enabled + ", vtex=" + vtex + ", endpoint=" + endpoint
                + ", rateLimits=" + rateLimits + (publicUrl == null ? "" : ", publicUrl=" + publicUrl)
                + (offers == null ? "" : ", offers=" + offers) + (events == null ? "" : ", events=" + events.sinkName())
                + (orders == null ? "" : ", orders=" + orders.sourceName()) + "]";
    }
}
