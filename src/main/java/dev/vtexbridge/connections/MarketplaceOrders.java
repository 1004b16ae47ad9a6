package dev.vtexbridge.connections;

import java.util.Locale;

/**
 * How a marketplace-role connection's orders come in ({@code bridge.connections.<id>.orders.*}): {@code source}
 * {@code webhook} (the default: {@code POST /marketplace/<id>/orders}), {@code kafka} (topic {@code kafka.topic} on
 * {@code bridge.kafka.brokers}) or {@code jms} (queue {@code jms.queue} on the engine's broker); the webhook answers
 * on every source. {@code payment}: the order's {@code paymentData} is passed on to the store (default false: sent as
 * null, the marketplace took the payment).
 */
public record MarketplaceOrders(String source, MarketplaceOffers.Kafka kafka, MarketplaceOffers.Jms jms, Boolean payment) {

    /** The sources there are. */
    public static final java.util.List<String> SOURCES = java.util.List.of("webhook", "kafka", "jms");

    /** The source's name in lower case: {@code webhook} when none is set. */
    public String sourceName() {
        return source == null || source.isBlank() ? "webhook" : source.trim().toLowerCase(Locale.ROOT);
    }

    public boolean withPayment() {
        return Boolean.TRUE.equals(payment);
    }
}
