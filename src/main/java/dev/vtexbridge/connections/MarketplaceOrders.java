package dev.vtexbridge.connections;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How a marketplace-role connection's orders come in ({@code bridge.connections.<id>.orders.*}): {@code source}
 * {@code webhook} (the default: {@code POST /marketplace/<id>/orders}), {@code kafka} (topic {@code kafka.topic} on
 * {@code bridge.kafka.brokers}), {@code jms} (queue {@code jms.queue} on the engine's broker) or {@code rest-poll}
 * (the marketplace's order feed, {@code rest-poll.*}, read page by page with a cursor); the webhook answers on every
 * source. {@code payment}: the order's {@code paymentData} is passed on to the store (default false: sent as null,
 * the marketplace took the payment). {@code placement}: how orders are placed on the store, {@code fulfillment}
 * (the default: the classic fulfillment order, answered at once) or {@code order-integration} (the asynchronous New
 * Order Integration API, whose processing result the store posts back); {@code resultTimeout}: how long an order
 * integration waits for that result before the engine looks the order up (default 10 minutes).
 */
public record MarketplaceOrders(String source, MarketplaceOffers.Kafka kafka, MarketplaceOffers.Jms jms, Boolean payment,
                                RestPoll restPoll, String placement, Duration resultTimeout) {

    /** The sources there are. */
    public static final java.util.List<String> SOURCES = java.util.List.of("webhook", "kafka", "jms", "rest-poll");
    /** The placement methods there are. */
    public static final String FULFILLMENT = "fulfillment";
    public static final String ORDER_INTEGRATION = "order-integration";
    public static final java.util.List<String> PLACEMENTS = java.util.List.of(FULFILLMENT, ORDER_INTEGRATION);
    static final Duration DEFAULT_RESULT_TIMEOUT = Duration.ofMinutes(10);

    /**
     * The marketplace's order feed: every {@code interval} (default 30 s) a GET of {@code url} with {@code headers},
     * and {@code ?<cursor-param>=<cursor>} (default {@code cursor}) once a cursor is known. The answer's orders are at
     * JSON pointer {@code orders-pointer} (default: the answer itself when it is an array, else {@code /orders}), the
     * next cursor at {@code cursor-pointer} (default {@code /cursor}). {@link #toString()} never shows a header value.
     */
    public record RestPoll(String url, Duration interval, Map<String, String> headers, String cursorParam,
                           String ordersPointer, String cursorPointer) {

        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

        public RestPoll {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        public Duration intervalOrDefault() {
            return interval == null ? DEFAULT_INTERVAL : interval;
        }

        public String cursorParamOrDefault() {
            return ConnectionProperties.isSet(cursorParam) ? cursorParam.trim() : "cursor";
        }

        /** The pointer to the orders, or null: the answer when it is an array, else {@code /orders}. */
        public String ordersPointerOrNull() {
            return ConnectionProperties.isSet(ordersPointer) ? ordersPointer.trim() : null;
        }

        public String cursorPointerOrDefault() {
            return ConnectionProperties.isSet(cursorPointer) ? cursorPointer.trim() : "/cursor";
        }

        @Override
        public String toString() {
            return "RestPoll[url=" + url + ", interval=" + intervalOrDefault() + ", headers=" + headers.keySet()
                    + ", cursorParam=" + cursorParamOrDefault() + "]";
        }
    }

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

    /** Header values of the feed that look like credentials (by the header's name), for the redaction of stored text. */
    java.util.stream.Stream<String> secretHeaderValues() {
        return restPoll == null ? java.util.stream.Stream.empty()
                : new MarketplaceOffers(null, new MarketplaceOffers.Rest(null, null, restPoll.headers(), null), null, null,
                        null).secretHeaderValues();
    }
}
