package dev.vtexbridge.marketplace;

import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.connections.MarketplaceOrders;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The order sources of the marketplace-role connections ({@code bridge.connections.<id>.orders.source}), one route
 * {@code marketplace-orders-source-<id>} per enabled connection whose orders do not (only) come by webhook:
 * <ul>
 *   <li>{@code kafka}: the connection's topic on {@code bridge.kafka.brokers}, in consumer group
 *   {@code vtex-bridge-orders-<id>}. Offsets are committed by hand ({@code KafkaOffsets}) once the record's exchange completed, i.e. once the
 *   order is in the order store or its refusal in the failed-message store; a record whose exchange failed (the
 *   database down) is read again ({@code breakOnFirstError}).</li>
 *   <li>{@code jms}: the connection's queue on the engine's broker, read in a transaction (the JMS component is
 *   transacted): the message leaves the queue once the order or its refusal is stored. No reply is sent.</li>
 *   <li>{@code rest-poll}: a clustered Quartz trigger every {@code rest-poll.interval} ({@link #pollUri}) that reads
 *   the marketplace's order feed ({@link MarketplaceOrderFeed}); each order of a page goes through route
 *   {@value #POLLED_ROUTE}. One engine instance at a time polls a connection's feed and moves its cursor on; another
 *   takes over when it dies.</li>
 * </ul>
 * Every order is taken by {@link MarketplaceOrderIntake#receiveMessage} under the error policy
 * ({@code bridge-error-policy}): a malformed order (not JSON, a missing field: 400 {@code INVALID_ORDER}) is stored
 * at once with its reason, a transient failure (database) is redelivered. A repeat of an order changes nothing. The
 * routes are built from the configuration at start-up; the webhook keeps answering on every source.
 */
@Component
public class MarketplaceOrderSources extends RouteBuilder {

    static final String ROUTE_PREFIX = "marketplace-orders-source-";
    static final String POLLED_ROUTE = "marketplace-orders-polled";
    static final String POLLED = "direct:" + POLLED_ROUTE;
    static final String ERROR_POLICY = "bridge-error-policy";
    static final String CONSUMER_GROUP_PREFIX = "vtex-bridge-orders-";

    private final Connections connections;

    public MarketplaceOrderSources(Connections connections) {
        this.connections = connections;
    }

    @Override
    public void configure() {
        // Orders read from a feed: the poller sends each one here with its connection header, so a stored refusal
        // can be replayed into this endpoint.
        from(POLLED).routeId(POLLED_ROUTE).routeConfigurationId(ERROR_POLICY)
                .bean("marketplaceOrderIntake", "receiveMessage");

        for (Connection connection : connections.marketplaces()) {
            MarketplaceOrders orders = connection.ordersOrDefault();
            String routeId = ROUTE_PREFIX + connection.id();
            switch (orders.sourceName()) {
                case "kafka" -> from(kafkaUri(connection.id(), orders.kafka().topic()))
                        .routeId(routeId).routeConfigurationId(ERROR_POLICY)
                        // offsets committed by KafkaOffsets once the exchange completed
                        .setProperty(Connection.HEADER, constant(connection.id()))
                        .setHeader(Connection.HEADER, constant(connection.id()))
                        .bean("marketplaceOrderIntake", "receiveMessage");
                case "jms" -> from("jms:queue:" + orders.jms().queue() + "?disableReplyTo=true")
                        .routeId(routeId).routeConfigurationId(ERROR_POLICY)
                        .setProperty(Connection.HEADER, constant(connection.id()))
                        .setHeader(Connection.HEADER, constant(connection.id()))
                        .bean("marketplaceOrderIntake", "receiveMessage");
                case "rest-poll" -> {
                    from(pollUri(routeId, orders.restPoll().intervalOrDefault().toMillis()))
                            .routeId(routeId).routeConfigurationId(ERROR_POLICY)
                            .setHeader(Connection.HEADER, constant(connection.id()))
                            .bean("marketplaceOrderFeed", "poll");
                }
                default -> { } // webhook: the route of marketplace-orders.camel.yaml
            }
        }
    }

    /**
     * The feed's schedule: a clustered Quartz trigger (group {@code bridge}, named after the route), so each tick runs
     * on one engine instance; {@code stateful} so a poll never runs on two instances at once (the cursor is read and
     * moved on by one), misfire instruction 4 so the ticks missed while a long poll lasts are skipped, not caught up.
     */
    static String pollUri(String routeId, long intervalMillis) {
        return "quartz:bridge/" + routeId + "?trigger.repeatInterval=" + Math.max(100, intervalMillis)
                + "&trigger.misfireInstruction=4&stateful=true";
    }

    /**
     * The connection's own consumer group, so its offsets are its own; no auto-commit, which would commit records
     * whose order is not durable yet: the offset is committed once the exchange completed.
     */
    static String kafkaUri(String connection, String topic) {
        return "kafka:" + topic + "?brokers={{bridge.kafka.brokers}}&groupId=" + CONSUMER_GROUP_PREFIX + connection
                + "&autoOffsetReset=earliest&autoCommitEnable=false&allowManualCommit=true&breakOnFirstError=true";
    }
}
