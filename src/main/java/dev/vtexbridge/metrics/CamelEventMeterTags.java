package dev.vtexbridge.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.stereotype.Component;

/**
 * Camel's exchange event notifier tags its timer with {@code routeId} only when the exchange came from a route; one
 * a ProducerTemplate created (the ops replay, the order endpoints' hand-offs) has none. Prometheus takes one set of
 * tag keys per meter name, so whichever kind came second was logged as refused and never counted. Such exchanges get
 * {@code routeId=""}.
 */
@Component
class CamelEventMeterTags implements MeterFilter {

    static final String EXCHANGE_EVENTS = "camel.exchange.event.notifier";

    @Override
    public Meter.Id map(Meter.Id id) {
        if (id.getName().equals(EXCHANGE_EVENTS) && id.getTag("routeId") == null) {
            return id.withTag(Tag.of("routeId", ""));
        }
        return id;
    }
}
