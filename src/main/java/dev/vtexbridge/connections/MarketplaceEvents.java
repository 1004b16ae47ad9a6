package dev.vtexbridge.connections;

import java.util.Locale;

/**
 * Where a marketplace-role connection tells its external marketplace what became of its orders
 * ({@code bridge.connections.<id>.events.*}): placed, dispatch authorized, invoiced, tracking, canceled, failed. The
 * sink is {@code rest} (one request per event, method POST unless set, with the headers given), {@code kafka} (key:
 * the marketplace order id) or {@code jms}. Left out, events are kept on the order's timeline only.
 */
public record MarketplaceEvents(String sink, MarketplaceOffers.Rest rest, MarketplaceOffers.Kafka kafka,
                                MarketplaceOffers.Jms jms) {

    /** The sink's name in lower case, or null when none is set. */
    public String sinkName() {
        return sink == null || sink.isBlank() ? null : sink.trim().toLowerCase(Locale.ROOT);
    }

    /** The REST sink's method: POST unless set. */
    public String restMethod() {
        return rest == null || rest.method() == null || rest.method().isBlank() ? "POST"
                : rest.method().trim().toUpperCase(Locale.ROOT);
    }

    /** Header values that look like credentials, for the redaction of stored text. */
    java.util.stream.Stream<String> secretHeaderValues() {
        return new MarketplaceOffers(null, rest, null, null, null).secretHeaderValues();
    }
}
