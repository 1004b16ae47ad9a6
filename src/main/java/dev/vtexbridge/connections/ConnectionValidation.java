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
    /** A VTEX affiliate id: exactly three consonants (vtex-protocol.md §3.1), in upper case as VTEX shows them. */
    static final Pattern AFFILIATE_ID = Pattern.compile("[B-DF-HJ-NP-TV-Z]{3}");

    private ConnectionValidation() {
    }

    /**
     * The problems of one connection, empty when it is fine. {@code configured}: it is given under
     * {@code bridge.connections}; the implicit default connection (today's single-account settings) keeps today's
     * rules and is not held to the VTEX credentials rule. {@code sandbox}: the built-in VTEX sandbox is on, which
     * needs no VTEX account or credentials. {@code kafka}: {@code bridge.kafka.brokers} is set.
     */
    static List<String> problems(String id, ConnectionProperties connection, boolean configured, boolean sandbox,
                                 boolean kafka) {
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
        if (role(connection.role()) == Connection.Role.MARKETPLACE) {
            problems.addAll(marketplaceProblems(property, connection, kafka));
        } else {
            requireSet(problems, property + ".endpoint.app-key", endpoint == null ? null : endpoint.appKey(),
                    "the app key its marketplace presents on our seller endpoints");
            requireSet(problems, property + ".endpoint.app-token", endpoint == null ? null : endpoint.appToken(),
                    "the app token its marketplace presents on our seller endpoints");
        }
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
            return List.of(property + ".role is required: seller or marketplace");
        }
        String name = role.trim().toLowerCase(Locale.ROOT);
        if (name.equals(Connection.Role.SELLER.configName()) || name.equals(Connection.Role.MARKETPLACE.configName())) {
            return List.of();
        }
        return List.of(property + ".role: unknown role '" + role + "' (seller or marketplace)");
    }

    /** What an enabled marketplace-role connection needs: its affiliate id, the notification token, an offer sink. */
    private static List<String> marketplaceProblems(String property, ConnectionProperties connection, boolean kafka) {
        List<String> problems = new ArrayList<>();
        String affiliateId = connection.vtex() == null ? null : connection.vtex().affiliateId();
        if (!ConnectionProperties.isSet(affiliateId)) {
            problems.add(property + ".vtex.affiliate-id is required: the affiliate the VTEX store created for this "
                    + "marketplace (three consonants, e.g. MKP)");
        } else if (!AFFILIATE_ID.matcher(affiliateId).matches()) {
            problems.add(property + ".vtex.affiliate-id: '" + affiliateId + "' is not a VTEX affiliate id (exactly three "
                    + "upper-case consonants, e.g. MKP)");
        }
        EndpointCredentials endpoint = connection.endpoint();
        requireSet(problems, property + ".endpoint.token", endpoint == null ? null : endpoint.token(),
                "the secret the VTEX store's notifications carry (?token= on the notification URL)");
        MarketplaceOffers offers = connection.offers();
        String sink = offers == null ? null : offers.sinkName();
        if (sink == null) {
            problems.add(property + ".offers.sink is required: " + String.join(", ", MarketplaceOffers.SINKS));
            return problems;
        }
        switch (sink) {
            case "rest" -> requireSet(problems, property + ".offers.rest.url",
                    offers.rest() == null ? null : offers.rest().url(), "the marketplace endpoint offers are sent to");
            case "kafka" -> requireSet(problems, property + ".offers.kafka.topic",
                    offers.kafka() == null ? null : offers.kafka().topic(), "the topic offers are published on");
            case "jms" -> requireSet(problems, property + ".offers.jms.queue",
                    offers.jms() == null ? null : offers.jms().queue(), "the queue offers are sent to");
            default -> problems.add(property + ".offers.sink: unknown sink '" + offers.sink() + "' ("
                    + String.join(", ", MarketplaceOffers.SINKS) + ")");
        }
        if ("rest".equals(sink) && offers.rest() != null && ConnectionProperties.isSet(offers.rest().url())
                && !offers.rest().url().matches("(?i)https?://.+")) {
            problems.add(property + ".offers.rest.url: an http:// or https:// URL");
        }
        if ("rest".equals(sink) && offers.rest() != null
                && !List.of("POST", "PUT", "PATCH").contains(offers.rest().methodOrDefault())) {
            problems.add(property + ".offers.rest.method: POST, PUT or PATCH");
        }
        String template = "rest".equals(sink) && offers.rest() != null ? offers.rest().template() : null;
        if (ConnectionProperties.isSet(template) && !template.matches("[A-Za-z0-9._-]+\\.jslt") || ".jslt".equals(template)) {
            problems.add(property + ".offers.rest.template: a .jslt file name under mappings/connections/<id>/ "
                    + "(no folders)");
        }
        String publicUrl = connection.publicUrl();
        if (!ConnectionProperties.isSet(publicUrl)) {
            problems.add(property + ".public-url is required: the engine's address as the VTEX store reaches it (its "
                    + "orders' marketplaceServicesEndpoint is <public-url>/marketplace/<id>/mse/<endpoint.token>)");
        } else if (!publicUrl.matches("(?i)https?://[^?#]+")) {
            problems.add(property + ".public-url: an http:// or https:// URL without query or fragment");
        }
        problems.addAll(eventsProblems(property + ".events", connection.events()));
        problems.addAll(ordersProblems(property + ".orders", connection.orders(), kafka));
        return problems;
    }

    /** The events sink is optional; when given, it needs its url, topic or queue. */
    private static List<String> eventsProblems(String property, MarketplaceEvents events) {
        List<String> problems = new ArrayList<>();
        if (events == null) {
            return problems;
        }
        String sink = events.sinkName();
        if (sink == null) {
            problems.add(property + ".sink is required when events are configured: "
                    + String.join(", ", MarketplaceOffers.SINKS));
            return problems;
        }
        switch (sink) {
            case "rest" -> {
                String url = events.rest() == null ? null : events.rest().url();
                requireSet(problems, property + ".rest.url", url, "the marketplace endpoint events are sent to");
                if (ConnectionProperties.isSet(url) && !url.matches("(?i)https?://.+")) {
                    problems.add(property + ".rest.url: an http:// or https:// URL");
                }
                if (!List.of("POST", "PUT", "PATCH").contains(events.restMethod())) {
                    problems.add(property + ".rest.method: POST, PUT or PATCH");
                }
                if (events.rest() != null && ConnectionProperties.isSet(events.rest().template())) {
                    problems.add(property + ".rest.template: events are sent as they are (no template)");
                }
            }
            case "kafka" -> requireSet(problems, property + ".kafka.topic",
                    events.kafka() == null ? null : events.kafka().topic(), "the topic events are published on");
            case "jms" -> requireSet(problems, property + ".jms.queue",
                    events.jms() == null ? null : events.jms().queue(), "the queue events are sent to");
            default -> problems.add(property + ".sink: unknown sink '" + events.sink() + "' ("
                    + String.join(", ", MarketplaceOffers.SINKS) + ")");
        }
        return problems;
    }

    /**
     * The order source: webhook (default), kafka with its topic (and {@code bridge.kafka.brokers}), jms with its queue,
     * or rest-poll with its feed's URL; and the placement method.
     */
    private static List<String> ordersProblems(String property, MarketplaceOrders orders, boolean kafka) {
        List<String> problems = new ArrayList<>();
        if (orders == null) {
            return problems;
        }
        switch (orders.sourceName()) {
            case "webhook" -> { }
            case "kafka" -> {
                requireSet(problems, property + ".kafka.topic", orders.kafka() == null ? null : orders.kafka().topic(),
                        "the topic the marketplace's orders arrive on");
                if (!kafka) {
                    problems.add(property + ".source: kafka needs bridge.kafka.brokers (env BRIDGE_KAFKA_BROKERS), "
                            + "the brokers the topic is read from");
                }
            }
            case "jms" -> requireSet(problems, property + ".jms.queue",
                    orders.jms() == null ? null : orders.jms().queue(), "the queue the marketplace's orders arrive on");
            case "rest-poll" -> problems.addAll(restPollProblems(property + ".rest-poll", orders.restPoll()));
            default -> problems.add(property + ".source: unknown source '" + orders.source() + "' ("
                    + String.join(", ", MarketplaceOrders.SOURCES) + ")");
        }
        if (!MarketplaceOrders.PLACEMENTS.contains(orders.placementName())) {
            problems.add(property + ".placement: unknown placement '" + orders.placement() + "' ("
                    + String.join(", ", MarketplaceOrders.PLACEMENTS) + ")");
        }
        if (orders.resultTimeout() != null && (orders.resultTimeout().isNegative() || orders.resultTimeout().isZero())) {
            problems.add(property + ".result-timeout: a positive duration (e.g. 10m)");
        }
        return problems;
    }

    private static List<String> restPollProblems(String property, MarketplaceOrders.RestPoll poll) {
        List<String> problems = new ArrayList<>();
        String url = poll == null ? null : poll.url();
        requireSet(problems, property + ".url", url, "the marketplace endpoint its orders are read from");
        if (poll == null) {
            return problems;
        }
        if (ConnectionProperties.isSet(url) && !url.matches("(?i)https?://[^#]+")) {
            problems.add(property + ".url: an http:// or https:// URL without fragment");
        }
        if (poll.intervalOrDefault().compareTo(java.time.Duration.ofMillis(100)) < 0) {
            problems.add(property + ".interval: at least 100ms (e.g. 30s)");
        }
        if (!poll.cursorParamOrDefault().matches("[A-Za-z0-9._~-]+")) {
            problems.add(property + ".cursor-param: a query parameter name (letters, digits, . _ ~ -)");
        }
        pointerProblem(problems, property + ".orders-pointer", poll.ordersPointerOrNull());
        pointerProblem(problems, property + ".cursor-pointer", poll.cursorPointerOrDefault());
        return problems;
    }

    private static void pointerProblem(List<String> problems, String property, String pointer) {
        if (pointer == null) {
            return;
        }
        try {
            com.fasterxml.jackson.core.JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            problems.add(property + ": '" + pointer + "' is not a JSON pointer (e.g. /orders, /page/next)");
        }
    }

    private static void requireSet(List<String> problems, String property, String value, String why) {
        if (!ConnectionProperties.isSet(value)) {
            problems.add(property + " is required: " + why);
        }
    }
}
