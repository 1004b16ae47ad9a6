package dev.vtexbridge.connections;

import java.util.Locale;
import java.util.Map;

/**
 * Where a marketplace-role connection publishes its offers ({@code bridge.connections.<id>.offers.*}): the sink
 * ({@code rest}, {@code kafka} or {@code jms}) and its settings, and whether an SKU whose VTEX category has no
 * marketplace mapping is held back ({@code require-mapped-category}, default false: published with
 * {@code category.marketplaceId: null}). {@link #toString()} never shows a header value (they may hold credentials).
 */
public record MarketplaceOffers(String sink, Rest rest, Kafka kafka, Jms jms, Boolean requireMappedCategory) {

    /** The sinks there are. */
    public static final java.util.List<String> SINKS = java.util.List.of("rest", "kafka", "jms");

    /**
     * An HTTP endpoint of the external marketplace: one request per SKU, {@code method} (default PUT), extra
     * {@code headers}, and an optional JSLT {@code template} (a file name under {@code mappings/connections/<id>/})
     * that turns the offer JSON into the request body.
     */
    public record Rest(String url, String method, Map<String, String> headers, String template) {

        public Rest {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        public String methodOrDefault() {
            return method == null || method.isBlank() ? "PUT" : method.trim().toUpperCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return "Rest[url=" + url + ", method=" + methodOrDefault() + ", headers=" + headers.keySet()
                    + ", template=" + template + "]";
        }
    }

    /** A Kafka topic on {@code bridge.kafka.brokers}; the record key is the VTEX SKU id. */
    public record Kafka(String topic) {
    }

    /** A JMS queue on the engine's broker. */
    public record Jms(String queue) {
    }

    /** The sink's name in lower case, or null when none is set. */
    public String sinkName() {
        return sink == null || sink.isBlank() ? null : sink.trim().toLowerCase(Locale.ROOT);
    }

    public boolean requiresMappedCategory() {
        return Boolean.TRUE.equals(requireMappedCategory);
    }

    /** Header values that look like credentials (by the header's name), for the redaction of stored text. */
    java.util.stream.Stream<String> secretHeaderValues() {
        return rest == null ? java.util.stream.Stream.empty() : rest.headers().entrySet().stream()
                .filter(header -> header.getKey().toLowerCase(Locale.ROOT)
                        .matches(".*(authorization|token|secret|key|password|cookie|credential).*"))
                .map(Map.Entry::getValue);
    }
}
