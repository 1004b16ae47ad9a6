package dev.vtexbridge.connections;

import java.time.Duration;
import java.util.Locale;

/**
 * How a marketplace-role connection's orders come in ({@code bridge.connections.<id>.orders.*}): {@code source}
 * {@code webhook} (the default: {@code POST /marketplace/<id>/orders}), {@code kafka} (topic {@code kafka.topic} on
 * {@code bridge.kafka.brokers}) or {@code jms} (queue {@code jms.queue} on the engine's broker); the webhook answers
 * on every source. {@code payment}: the order's {@code paymentData} is passed on to the store (default false: sent as
 * null, the marketplace took the payment). {@code placement}: how orders are placed on the store, {@code fulfillment}
 * (the default: the classic fulfillment order, answered at once) or {@code order-integration} (the asynchronous New
 * Order Integration API, whose processing result the store posts back); {@code resultTimeout}: how long an order
 * integration waits for that result before the engine looks the order up (default 10 minutes).
 */
public record MarketplaceOrders(String source, MarketplaceOffers.Kafka kafka, MarketplaceOffers.Jms jms, Boolean payment,
                                String placement, Duration resultTimeout) {

    /** The sources there are. */
    public static final java.util.List<String> SOURCES = java.util.List.of("webhook", "kafka", "jms");
    /** The placement methods there are. */
    public static final String FULFILLMENT = "fulfillment";
    public static final String ORDER_INTEGRATION = "order-integration";
    public static final java.util.List<String> PLACEMENTS = java.util.List.of(FULFILLMENT, ORDER_INTEGRATION);
    static final Duration DEFAULT_RESULT_TIMEOUT = Duration.ofMinutes(10);

    /** The source's name in lower case: {@code webhook} when none is set. */
    public String sourceName() {
        return source == null || source.isBlank() ? "webhook" : source.trim().toLowerCase(Locale.ROOT);
    }

    public boolean withPayment() {
        return Boolean.TRUE.equals(payment);
    }

    /** The placement method in lower case: {@code fulfillment} when none is set. */
    public String placementName() {
        return placement == null || placement.isBlank() ? FULFILLMENT : placement.trim().toLowerCase(Locale.ROOT);
    }

    /** Orders go through the New Order Integration API. */
    public boolean usesOrderIntegration() {
        return ORDER_INTEGRATION.equals(placementName());
    }

    public Duration resultTimeoutOrDefault() {
        return resultTimeout == null ? DEFAULT_RESULT_TIMEOUT : resultTimeout;
    }
}
