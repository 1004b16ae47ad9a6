package dev.vtexbridge.connections;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a connection's configuration must hold for the engine to start. Each problem names the connection and the
 * property, so that a bad configuration is refused at start-up instead of failing a marketplace's calls later.
 */
final class ConnectionValidation {

    static final Pattern ID = Pattern.compile("[a-z0-9-]{1,32}");
    /** Would read as the default connection's own path segment ({@code /seller/pvt/…}). */
    static final String RESERVED_ID = "pvt";

    private ConnectionValidation() {
    }

    /**
     * The problems of one connection, empty when it is fine. {@code configured}: it is given under
     * {@code bridge.connections}; the implicit default connection (today's single-account settings) keeps today's
     * rules and is not held to the VTEX credentials rule. {@code sandbox}: the built-in VTEX sandbox is on, which
     * needs no VTEX account or credentials.
     */
    static List<String> problems(String id, ConnectionProperties connection, boolean configured, boolean sandbox) {
        String property = ConnectionProperties.PREFIX + "." + id;
        List<String> problems = new ArrayList<>();
        if (!ID.matcher(id).matches()) {
            problems.add(property + ": a connection id must match " + ID.pattern() + " (lower-case letters, digits, '-')");
        } else if (RESERVED_ID.equals(id)) {
            problems.add(property + ": '" + RESERVED_ID + "' cannot be a connection id (/seller/pvt/… is connection default)");
        }
        problems.addAll(roleProblems(property, connection.role()));
        if (!problems.isEmpty() || Boolean.FALSE.equals(connection.enabled())) {
            return problems; // a disabled connection may lack what it would need to run
        }
        EndpointCredentials endpoint = connection.endpoint();
        requireSet(problems, property + ".endpoint.app-key", endpoint == null ? null : endpoint.appKey(),
                "the app key its marketplace presents on our seller endpoints");
        requireSet(problems, property + ".endpoint.app-token", endpoint == null ? null : endpoint.appToken(),
                "the app token its marketplace presents on our seller endpoints");
        if (configured && !sandbox) {
            VtexAccount vtex = connection.vtex();
            String why = "while the sandbox is off (bridge.sandbox.enabled=false)";
            requireSet(problems, property + ".vtex.account", vtex == null ? null : vtex.account(), why);
            requireSet(problems, property + ".vtex.app-key", vtex == null ? null : vtex.appKey(), why);
            requireSet(problems, property + ".vtex.app-token", vtex == null ? null : vtex.appToken(), why);
        }
        return problems;
    }

    /** The role as configured; valid once {@link #problems} found nothing wrong with it. */
    static Connection.Role role(String configured) {
        return Connection.Role.valueOf(configured.trim().toUpperCase(Locale.ROOT));
    }

    private static List<String> roleProblems(String property, String role) {
        if (!ConnectionProperties.isSet(role)) {
            return List.of(property + ".role is required: seller");
        }
        String name = role.trim().toLowerCase(Locale.ROOT);
        if (name.equals(Connection.Role.SELLER.configName())) {
            return List.of();
        }
        if (name.equals(Connection.Role.MARKETPLACE.configName())) {
            return List.of(property + ".role: the marketplace role is not supported yet; only seller connections are served");
        }
        return List.of(property + ".role: unknown role '" + role + "' (seller)");
    }

    private static void requireSet(List<String> problems, String property, String value, String why) {
        if (!ConnectionProperties.isSet(value)) {
            problems.add(property + " is required: " + why);
        }
    }
}
