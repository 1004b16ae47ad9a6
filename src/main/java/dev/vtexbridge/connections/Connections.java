package dev.vtexbridge.connections;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every connection of the engine, by id: {@value Connection#DEFAULT} first (always there), then the others by id.
 *
 * <p>The default connection is today's single-account configuration; {@code bridge.connections.default}, when given,
 * overrides single values of it. Every other connection takes what it leaves out from the engine-wide settings where
 * one value fits all (VTEX environment, seller id, sales channel, rate limits per API family), never an account or a
 * credential; its VTEX base URLs are derived from its account as for {@code bridge.vtex.*}.
 */
public final class Connections {

    private final Map<String, Connection> byId;

    private Connections(Map<String, Connection> byId) {
        this.byId = byId;
    }

    /**
     * Builds and checks the registry.
     *
     * @param configured    {@code bridge.connections.*} by id ({@link ConnectionProperties#bind})
     * @param singleAccount today's single-account settings: the default connection, complete
     * @param sandbox       whether the built-in VTEX sandbox is on ({@code bridge.sandbox.enabled})
     * @throws InvalidConnectionsException naming every property that keeps a connection from running
     */
    public static Connections of(Map<String, ConnectionProperties> configured, ConnectionProperties singleAccount,
                                 boolean sandbox) {
        return of(configured, singleAccount, sandbox, false);
    }

    /**
     * Builds and checks the registry; {@code kafka}: whether {@code bridge.kafka.brokers} is set, which a Kafka order
     * source needs.
     */
    public static Connections of(Map<String, ConnectionProperties> configured, ConnectionProperties singleAccount,
                                 boolean sandbox, boolean kafka) {
        Map<String, ConnectionProperties> resolved = new LinkedHashMap<>();
        ConnectionProperties explicitDefault = configured.get(Connection.DEFAULT);
        resolved.put(Connection.DEFAULT, explicitDefault == null ? singleAccount : explicitDefault.orElse(singleAccount));
        ConnectionProperties engineWide = engineWide(singleAccount);
        new TreeMap<>(configured).forEach((id, connection) -> {
            if (!Connection.DEFAULT.equals(id)) {
                resolved.put(id, connection.orElse(engineWide));
            }
        });

        List<String> problems = new ArrayList<>();
        resolved.forEach((id, connection) -> problems.addAll(ConnectionValidation.problems(id, connection,
                configured.containsKey(id), sandbox, kafka)));
        problems.addAll(sharedAffiliateIds(resolved));
        if (!problems.isEmpty()) {
            throw new InvalidConnectionsException(problems);
        }
        Map<String, Connection> byId = new LinkedHashMap<>();
        resolved.forEach((id, connection) -> byId.put(id, new Connection(id, ConnectionValidation.role(connection.role()),
                !Boolean.FALSE.equals(connection.enabled()), connection.vtex().withDerivedUrls(), connection.endpoint(),
                connection.rateLimits(), connection.publicUrl(), connection.offers(), connection.events(),
                connection.orders())));
        return new Connections(byId);
    }

    /**
     * An order of a marketplace-role connection is known by its VTEX order id {@code <affiliate-id>-<marketplace order
     * id>} across the engine, so two enabled marketplace connections cannot share an affiliate id.
     */
    private static List<String> sharedAffiliateIds(Map<String, ConnectionProperties> resolved) {
        Map<String, String> firstWith = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        resolved.forEach((id, connection) -> {
            if (connection.role() == null || !Connection.Role.MARKETPLACE.configName().equalsIgnoreCase(connection.role().trim())
                    || Boolean.FALSE.equals(connection.enabled()) || connection.vtex() == null
                    || connection.vtex().affiliateId() == null) {
                return;
            }
            String other = firstWith.putIfAbsent(connection.vtex().affiliateId(), id);
            if (other != null) {
                problems.add(ConnectionProperties.PREFIX + "." + id + ".vtex.affiliate-id: '" + connection.vtex().affiliateId()
                        + "' is already connection " + other + "'s (VTEX order ids <affiliate-id>-<order id> must not clash)");
            }
        });
        return problems;
    }

    /** What every other connection shares with the default one, where it leaves a value out. */
    private static ConnectionProperties engineWide(ConnectionProperties singleAccount) {
        VtexAccount vtex = singleAccount.vtex();
        return new ConnectionProperties(null, true,
                new VtexAccount(null, vtex.environment(), null, null, vtex.sellerId(), vtex.salesChannel(), null, null),
                new EndpointCredentials(null, null), singleAccount.rateLimits());
    }

    /** Every connection, enabled or not: the default one first, then by id. */
    public List<Connection> all() {
        return List.copyOf(byId.values());
    }

    public Optional<Connection> find(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /** The connection of that id; a message naming an id the configuration no longer has fails here. */
    public Connection require(String id) {
        return find(id).orElseThrow(() -> new NoSuchElementException("No connection '" + id + "' (configured: "
                + String.join(", ", byId.keySet()) + ")"));
    }

    /** The enabled connections in the marketplace role: the VTEX stores whose products we sell elsewhere. */
    public List<Connection> marketplaces() {
        return byId.values().stream().filter(Connection::servesMarketplaceEndpoints).toList();
    }

    /** The enabled connections in the seller role: the marketplaces whose calls our seller endpoints answer. */
    public List<Connection> sellers() {
        return byId.values().stream().filter(Connection::servesSellerEndpoints).toList();
    }
}
