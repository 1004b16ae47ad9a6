package dev.vtexbridge.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.vtexbridge.errors.FailureClassifier;
import dev.vtexbridge.vtex.VtexApi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.stereotype.Component;

/**
 * Watches the calls flows make to VTEX: an HTTP send of an exchange that went through {@code vtexApi.prepare} (the
 * one way routes call VTEX). Counts VTEX's HTTP 429 answers ({@code bridge.vtex.rate.limited}, tags flow, family)
 * and remembers whether VTEX answered the last call, for the dashboard's health. Camel registers this notifier
 * because it is a bean; it looks at "sent" events only.
 */
@Component
public class VtexCalls extends EventNotifierSupport {

    private static final Duration WINDOW = Duration.ofHours(1);

    private final MeterRegistry registry;
    private final FlowMetrics flows;
    private final Clock clock;
    private final RollingHour rateLimited = new RollingHour(1);
    private volatile LastCall lastCall;

    private record LastCall(Instant at, boolean answered) {
    }

    /** VTEX as the last call within the hour found it. */
    public enum Health {
        /** VTEX answered (any status below 500, a 429 included). */
        UP,
        /** A 5xx, a timeout or an I/O error. */
        DOWN,
        /** No VTEX call within the last hour. */
        UNKNOWN
    }

    public VtexCalls(MeterRegistry registry, FlowMetrics flows, Clock clock) {
        this.registry = registry;
        this.flows = flows;
        this.clock = clock;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        // "sending" must be on too: Camel only times (and then reports) a send that some notifier watched start
        return event instanceof CamelEvent.ExchangeSendingEvent || event instanceof CamelEvent.ExchangeSentEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeSentEvent sent)) {
            return;
        }
        Exchange exchange = sent.getExchange();
        String family = exchange.getProperty(VtexApi.FAMILY, String.class);
        if (family == null || !sent.getEndpoint().getEndpointUri().startsWith("http")) {
            return;
        }
        Integer status = statusOf(exchange);
        Instant now = clock.instant();
        lastCall = new LastCall(now, status != null && status < 500);
        if (status != null && status == 429) {
            rateLimited.add(now, 0);
            Counter.builder("bridge.vtex.rate.limited")
                    .description("HTTP 429 answers from VTEX")
                    .tags("flow", flows.flowOf(exchange.getFromRouteId()), "family", family)
                    .register(registry)
                    .increment();
        }
    }

    /** The HTTP status VTEX answered, or null when it did not answer (timeout, I/O error). */
    private static Integer statusOf(Exchange exchange) {
        Throwable failure = exchange.getException();
        if (failure == null) {
            return exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        }
        HttpOperationFailedException http = FailureClassifier.httpFailure(failure);
        return http == null ? null : http.getStatusCode();
    }

    public long rateLimitedLastHour() {
        return rateLimited.sum(clock.instant())[0];
    }

    public Health health() {
        LastCall last = lastCall;
        if (last == null || last.at().isBefore(clock.instant().minus(WINDOW))) {
            return Health.UNKNOWN;
        }
        return last.answered() ? Health.UP : Health.DOWN;
    }
}
