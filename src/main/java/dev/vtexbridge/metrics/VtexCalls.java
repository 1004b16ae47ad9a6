package dev.vtexbridge.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.vtexbridge.connections.Connection;
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
 * one way routes call VTEX). Counts VTEX's HTTP 429 answers ({@code bridge.vtex.rate.limited}, tags flow, family,
 * connection) and remembers whether VTEX answered the last call, for the dashboard's health, engine-wide and per
 * connection (the one {@code prepare} chose), with each connection's last successful and last failed call for
 * {@code GET /ops/api/connections}. All of it lives in memory, per engine instance; the 429 counts are shared with
 * the other instances ({@link SharedCounts}), health and last calls are this instance's. Camel registers this notifier
 * because it is a bean; it looks at "sent" events only.
 */
@Component
public class VtexCalls extends EventNotifierSupport {

    private static final Duration WINDOW = Duration.ofHours(1);
    /** The 429 counts' series in {@link SharedCounts}. */
    private static final String RATE_LIMITED = "vtex-429";

    private final MeterRegistry registry;
    private final FlowMetrics flows;
    private final Clock clock;
    private final SharedCounts shared;
    private final Calls all = new Calls();
    /** By connection id: only ids {@code prepare} resolved, so configured ones. */
    private final Map<String, Calls> byConnection = new ConcurrentHashMap<>();

    private record LastCall(Instant at, boolean answered) {
    }

    /**
     * One VTEX call as ops sees it: the HTTP status (null: no answer, a timeout or an I/O error), when, and the API
     * family {@code prepare} was given.
     */
    public record Call(Integer status, Instant at, String family) {
    }

    /** A connection's last call answered below 400, and its last call answered 400 or above or not answered at all. */
    public record LastCalls(Call successful, Call failed) {
    }

    /** What is remembered of the calls of one connection, or of all of them. */
    private static final class Calls {
        final RollingHour rateLimited = new RollingHour(1);
        volatile LastCall lastCall;
        volatile Call lastSuccessful;
        volatile Call lastFailed;

        void record(Call call) {
            lastCall = new LastCall(call.at(), call.status() != null && call.status() < 500);
            if (call.status() != null && call.status() < 400) {
                lastSuccessful = call;
            } else {
                lastFailed = call;
            }
            if (call.status() != null && call.status() == 429) {
                rateLimited.add(call.at(), 0);
            }
        }
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

    public VtexCalls(MeterRegistry registry, FlowMetrics flows, Clock clock, SharedCounts shared) {
        this.registry = registry;
        this.flows = flows;
        this.clock = clock;
        this.shared = shared;
        shared.publish(RATE_LIMITED, SharedCounts.ALL, all.rateLimited, null);
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
        String connection = exchange.getProperty(Connection.HEADER, Connection.DEFAULT, String.class);
        Call call = new Call(status, clock.instant(), family);
        all.record(call);
        byConnection.computeIfAbsent(connection, id -> {
            Calls calls = new Calls();
            shared.publish(RATE_LIMITED, id, calls.rateLimited, null);
            return calls;
        }).record(call);
        if (status != null && status == 429) {
            Counter.builder("bridge.vtex.rate.limited")
                    .description("HTTP 429 answers from VTEX")
                    .tags("flow", flows.flowOf(exchange.getFromRouteId()), "family", family, "connection", connection)
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

    /**
     * VTEX 429s in the last hour: this instance's plus {@code others}, the other instances' counts
     * ({@link SharedCounts#othersLastHour}, of the same connection). {@code connection} null: all calls.
     */
    long rateLimitedLastHour(String connection, Map<String, SharedCounts.Totals> others) {
        Calls own = connection == null ? all : byConnection.get(connection);
        long[] counts = own == null ? new long[1] : own.rateLimited.sum(clock.instant());
        SharedCounts.Totals ofOthers = others.get(RATE_LIMITED);
        return (ofOthers == null ? counts : ofOthers.addedTo(counts))[0];
    }

    public Health health() {
        return health(all);
    }

    /** VTEX as the connection's last call within the hour found it (its account's API, not another's). */
    public Health health(String connection) {
        Calls calls = byConnection.get(connection);
        return calls == null ? Health.UNKNOWN : health(calls);
    }

    /** The connection's last successful and last failed call since start-up; either is null when there was none. */
    public LastCalls lastCalls(String connection) {
        Calls calls = byConnection.get(connection);
        return calls == null ? new LastCalls(null, null) : new LastCalls(calls.lastSuccessful, calls.lastFailed);
    }

    private Health health(Calls calls) {
        LastCall last = calls.lastCall;
        if (last == null || last.at().isBefore(clock.instant().minus(WINDOW))) {
            return Health.UNKNOWN;
        }
        return last.answered() ? Health.UP : Health.DOWN;
    }
}
