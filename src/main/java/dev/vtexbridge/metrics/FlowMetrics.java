package dev.vtexbridge.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.errors.FailureClassifier;
import dev.vtexbridge.errors.ParkedMessageRoutes;
import dev.vtexbridge.ops.FailedMessageStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.springframework.stereotype.Component;

/**
 * Metrics per flow. A flow is one route file under {@code routes/} (its name is the file's stem); its helper routes
 * ({@code <stem>-<step>}) belong to it. Camel registers this factory's policy on every route.
 * <p>
 * An exchange is counted once, by the route that received it (its trigger, durable channel or HTTP call), never again
 * in the {@code direct:} helper routes it passes through. Not counted: schedule ticks ({@code timer:},
 * {@code scheduler:}, {@code quartz:} consumers: a poll or sweep is not a message) and the engine's plumbing under
 * {@code routes/_shared} (the deferred-delivery timer) or in route group {@value ParkedMessageRoutes#GROUP} (the
 * consumers of the parked destinations). A flow that receives from its own durable channel (trigger →
 * channel → apply) counts a message once per stage; the {@code routeId} tag tells the stages apart.
 * <p>
 * Published: {@code bridge.flow.exchanges} (counter, tags flow, routeId, outcome completed|failed|deferred, connection:
 * the one the message carried, {@code default} when none, {@code unknown} for an id that is not configured) and
 * {@code bridge.flow.duration} (timer with histogram buckets from 1 ms to 60 s, tags flow, routeId). Camel's own per-route
 * meters ({@code camel.exchanges.*}, {@code camel.route.policy}) stay as they are; they count every route an
 * exchange passes and report a failure the error policy handled as succeeded, so they cannot say what a flow lost.
 */
@Component
public class FlowMetrics implements RoutePolicyFactory {

    /** Consumers whose exchanges are ticks of a schedule or steps of another route, not received messages. */
    private static final Set<String> NOT_RECEIVING = Set.of("timer", "scheduler", "quartz", "direct");
    private static final Set<String> HTTP_CONSUMERS = Set.of("platform-http", "rest", "servlet");
    private static final String STARTED_NANOS = "BridgeFlowStartedNanos";
    private static final String CONNECTION = "BridgeFlowConnection";
    /** A flow's series in {@link SharedCounts}. */
    private static final String SERIES = "flow:";
    /** Histogram buckets of {@code bridge.flow.duration}: the dashboard's, so PromQL and the dashboard agree. */
    private static final Duration[] LATENCY_BUCKETS = Arrays.stream(FlowWindow.BUCKET_MILLIS)
            .mapToObj(millis -> Duration.ofMillis((long) millis)).toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Connections connections;
    private final SharedCounts shared;
    private final Map<String, String> flowByRoute = new ConcurrentHashMap<>();
    private final Map<String, FlowWindow> windows = new ConcurrentHashMap<>();
    /** The same windows per connection tag (configured ids and {@code unknown}), so the dashboard can show one connection. */
    private final Map<String, Map<String, FlowWindow>> windowsByConnection = new ConcurrentHashMap<>();

    public FlowMetrics(MeterRegistry registry, Clock clock, Connections connections, SharedCounts shared) {
        this.registry = registry;
        this.clock = clock;
        this.connections = connections;
        this.shared = shared;
    }

    /**
     * The connection tag of a received message, read as it arrives (an HTTP answer no longer has the request's headers):
     * only configured ids, so a header from outside cannot grow the meters.
     */
    private String connectionOf(Exchange exchange) {
        String id = exchange.getMessage().getHeader(Connection.HEADER, String.class);
        if (id == null) {
            id = exchange.getMessage().getHeader(Connection.HTTP_HEADER, String.class);
        }
        if (id == null || id.isBlank()) {
            return Connection.DEFAULT;
        }
        return connections.find(id).isPresent() ? id : "unknown";
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new FlowPolicy();
    }

    /** The flow a route belongs to (its file's stem), or the route id itself for a route not loaded from a file. */
    public String flowOf(String routeId) {
        return routeId == null ? "unknown" : flowByRoute.getOrDefault(routeId, routeId);
    }

    /**
     * Every counted flow's last hour, by flow name: this instance's counts plus {@code others}, the other instances'
     * ({@link SharedCounts#othersLastHour}, of the same connection). {@code connection} null: all messages; else only
     * that connection's (a flow it has none in shows zeros).
     */
    SortedMap<String, FlowWindow.Summary> lastHour(String connection, Map<String, SharedCounts.Totals> others) {
        return connection == null ? lastHour(windows, others)
                : lastHour(windowsByConnection.getOrDefault(connection, Map.of()), others);
    }

    private SortedMap<String, FlowWindow.Summary> lastHour(Map<String, FlowWindow> own, Map<String, SharedCounts.Totals> others) {
        Instant now = clock.instant();
        SortedMap<String, FlowWindow.Summary> summaries = new TreeMap<>();
        windows.keySet().forEach(flow -> {
            FlowWindow window = own.getOrDefault(flow, FlowWindow.IDLE);
            long[] counts = window.counts().sum(now);
            Instant lastSuccess = window.lastSuccessAt();
            SharedCounts.Totals ofOthers = others.get(SERIES + flow);
            if (ofOthers != null) {
                counts = ofOthers.addedTo(counts);
                lastSuccess = ofOthers.latest(lastSuccess);
            }
            summaries.put(flow, FlowWindow.summary(counts, lastSuccess));
        });
        return summaries;
    }

    /** A flow's window of the messages of a connection, or of all of them ({@link SharedCounts#ALL}), shared. */
    private FlowWindow windowOf(String flow, String connection) {
        Map<String, FlowWindow> ofConnection = SharedCounts.ALL.equals(connection) ? windows
                : windowsByConnection.computeIfAbsent(connection, id -> new ConcurrentHashMap<>());
        return ofConnection.computeIfAbsent(flow, name -> {
            FlowWindow window = new FlowWindow();
            shared.publish(SERIES + flow, connection, window.counts(), window::lastSuccessAt);
            return window;
        });
    }

    static String flowName(Route route) {
        String location = location(route);
        if (location == null) {
            return route.getRouteId();
        }
        String file = location.substring(Math.max(location.lastIndexOf('/'), location.lastIndexOf('\\')) + 1);
        file = file.substring(file.lastIndexOf(':') + 1);
        int extension = file.indexOf('.');
        return extension > 0 ? file.substring(0, extension) : file;
    }

    private static String location(Route route) {
        Resource source = route.getSourceResource();
        return source == null ? null : source.getLocation();
    }

    private static boolean isPlumbing(Route route) {
        String location = location(route);
        return ParkedMessageRoutes.GROUP.equals(route.getGroup())
                || location != null && location.replace('\\', '/').matches(".*[/:]_shared/.*");
    }

    private static String scheme(Route route) {
        String uri = route.getEndpoint().getEndpointUri();
        int colon = uri.indexOf(':');
        return colon > 0 ? uri.substring(0, colon) : uri;
    }

    static FlowOutcome outcome(Exchange exchange, boolean answersHttp) {
        if (exchange.isFailed() || exchange.getProperty(FailedMessageStore.RECORDED) != null) {
            return FlowOutcome.FAILED;
        }
        if (answersHttp && exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class) >= 500) {
            return FlowOutcome.FAILED;
        }
        if (FailureClassifier.isRateLimited(FailureClassifier.failureOf(exchange))) {
            return FlowOutcome.DEFERRED;
        }
        return FlowOutcome.COMPLETED;
    }

    /** The meters and window of one receiving route. */
    private final class CountedRoute {
        final FlowWindow window;
        final boolean answersHttp;
        final String flow;
        final String routeId;
        /** Per connection, one counter per outcome. */
        final Map<String, Map<FlowOutcome, Counter>> exchanges = new ConcurrentHashMap<>();
        final Timer duration;

        CountedRoute(String flow, Route route) {
            this.flow = flow;
            this.routeId = route.getRouteId();
            this.window = windowOf(flow, SharedCounts.ALL);
            this.answersHttp = HTTP_CONSUMERS.contains(scheme(route));
            counter(Connection.DEFAULT, FlowOutcome.COMPLETED); // present from the start, so rates begin at 0
            this.duration = Timer.builder("bridge.flow.duration")
                    .description("Time from receiving a message to finishing it")
                    .tags("flow", flow, "routeId", route.getRouteId())
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry);
        }

        Counter counter(String connection, FlowOutcome outcome) {
            return exchanges.computeIfAbsent(connection, id -> {
                Map<FlowOutcome, Counter> byOutcome = new EnumMap<>(FlowOutcome.class);
                for (FlowOutcome each : FlowOutcome.values()) {
                    byOutcome.put(each, Counter.builder("bridge.flow.exchanges")
                            .description("Messages a flow received and finished, by outcome")
                            .tags("flow", flow, "routeId", routeId, "outcome", each.tag(), "connection", id)
                            .register(registry));
                }
                return byOutcome;
            }).get(outcome);
        }
    }

    private final class FlowPolicy extends RoutePolicySupport {

        private volatile CountedRoute counted;

        @Override
        public void onInit(Route route) {
            String flow = flowName(route);
            flowByRoute.put(route.getRouteId(), flow);
            if (!isPlumbing(route) && !NOT_RECEIVING.contains(scheme(route))) {
                counted = new CountedRoute(flow, route);
            }
        }

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            if (counted != null && route.getRouteId().equals(exchange.getFromRouteId())) {
                String connection = connectionOf(exchange);
                exchange.setProperty(STARTED_NANOS, System.nanoTime());
                exchange.setProperty(CONNECTION, connection);
                Instant now = clock.instant();
                counted.window.received(now);
                windowOf(counted.flow, connection).received(now);
            }
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            if (counted == null || !route.getRouteId().equals(exchange.getFromRouteId())
                    || !(exchange.removeProperty(STARTED_NANOS) instanceof Long started)) {
                return;
            }
            long elapsed = System.nanoTime() - started;
            FlowOutcome outcome = outcome(exchange, counted.answersHttp);
            String connection = exchange.removeProperty(CONNECTION) instanceof String id ? id : Connection.DEFAULT;
            counted.counter(connection, outcome).increment();
            counted.duration.record(elapsed, TimeUnit.NANOSECONDS);
            Instant now = clock.instant();
            counted.window.finished(now, outcome, elapsed / 1_000_000.0);
            windowOf(counted.flow, connection).finished(now, outcome, elapsed / 1_000_000.0);
        }
    }
}
