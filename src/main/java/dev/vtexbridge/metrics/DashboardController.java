package dev.vtexbridge.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.ops.FailedMessage;
import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /ops/api/dashboard} (ops token, like all of {@code /ops/api}): the whole engine at a glance for the ops
 * console. Flow counts cover the last hour (rolling, per minute); the rest is read now. Counts are the cluster's: the
 * flows and VTEX 429s of the other engine instances on this database are added ({@link SharedCounts}), the rest is
 * read from the database; VTEX health and queue depths are this instance's view. While the database is down the parts
 * read from it are null and the counts this instance's own, so the dashboard still shows the outage (health db DOWN).
 * <p>
 * {@code ?connection=<id>} narrows to one connection whatever is kept per connection: flow counts (by the message's
 * connection), open orders, failed messages, VTEX 429s and VTEX health (its account's calls), the oldest stock change
 * its marketplace was not told. Queues and the database and broker health are the engine's, shared by all.
 */
@RestController
public class DashboardController {

    private static final Logger log = LoggerFactory.getLogger(DashboardController.class);

    private final FlowMetrics flows;
    private final VtexCalls vtex;
    private final Backlog backlog;
    private final HealthEndpoint health;
    private final Clock clock;
    private final Connections connections;
    private final OrderLinks orders;
    private final SharedCounts shared;

    DashboardController(FlowMetrics flows, VtexCalls vtex, Backlog backlog, HealthEndpoint health, Clock clock,
                        Connections connections, OrderLinks orders, SharedCounts shared) {
        this.shared = shared;
        this.connections = connections;
        this.orders = orders;
        this.flows = flows;
        this.vtex = vtex;
        this.backlog = backlog;
        this.health = health;
        this.clock = clock;
    }

    /** {@code connection}: the one the figures are narrowed to, null for the whole engine. */
    public record Dashboard(Instant generatedAt, String connection, List<Flow> flows, List<Channel> queues,
                            UnsentStockChange oldestUnsentStockChange, long vtex429LastHour, Long openOrders,
                            Map<String, Long> failedMessages, Health health) {
    }

    /** {@code in}: received, {@code out}: completed, {@code failed}: failed or stored as failed; all in the last hour. */
    public record Flow(String flow, long in, long out, long failed, Instant lastSuccessAt, Double p95Millis) {
    }

    /** {@code depth} is null where it cannot be read (Kafka channels, an external broker). */
    public record Channel(String channel, String endpoint, Long depth) {
    }

    public record UnsentStockChange(String sku, Instant since, long ageSeconds) {
    }

    /** Spring Boot's db and jms health contributors; VTEX as the last call within the hour found it. */
    public record Health(String db, String broker, String vtex) {
    }

    @GetMapping("/ops/api/dashboard")
    public ResponseEntity<?> dashboard(@RequestParam(required = false) String connection) {
        String only = connection == null || connection.isBlank() ? null : connection.trim();
        if (only != null && connections.find(only).isEmpty()) {
            return ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no connection " + only + " (GET /ops/api/connections)");
        }
        return ResponseEntity.ok(figures(only));
    }

    private Dashboard figures(String connection) {
        Instant now = clock.instant();
        // the other instances' counts, read once for the flows and the 429s
        Map<String, SharedCounts.Totals> others = shared.othersLastHour(connection == null ? SharedCounts.ALL : connection);
        List<Flow> flowRows = flows.lastHour(connection, others).entrySet().stream()
                .map(flow -> new Flow(flow.getKey(), flow.getValue().in(), flow.getValue().out(), flow.getValue().failed(),
                        seconds(flow.getValue().lastSuccessAt()), flow.getValue().p95Millis()))
                .toList();
        List<Channel> queues = backlog.channels().entrySet().stream()
                .map(channel -> new Channel(channel.getKey(), channel.getValue(), backlog.depth(channel.getKey())))
                .toList();
        UnsentStockChange unsent = fromDatabase(() -> (connection == null ? backlog.oldestUnsentStockChange()
                : backlog.oldestUnsentStockChange(connection))
                .map(change -> new UnsentStockChange(change.sku(), seconds(change.since()),
                        Math.max(0, Duration.between(change.since(), now).toSeconds())))
                .orElse(null));
        Long openOrders = fromDatabase(() -> {
            Map<String, Long> open = orders.openOrdersPerConnection();
            return connection == null ? open.values().stream().mapToLong(Long::longValue).sum()
                    : open.getOrDefault(connection, 0L);
        });
        Map<String, Long> failed = fromDatabase(() -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (FailedMessage.Status status : FailedMessage.Status.values()) {
                counts.put(status.name(), backlog.failedMessages(status, connection));
            }
            return counts;
        });
        long rateLimited = vtex.rateLimitedLastHour(connection, others);
        VtexCalls.Health vtexHealth = connection == null ? vtex.health() : vtex.health(connection);
        return new Dashboard(seconds(now), connection, flowRows, queues, unsent, rateLimited, openOrders, failed,
                new Health(status("db"), status("jms"), vtexHealth.name()));
    }

    private String status(String contributor) {
        HealthComponent component = health.healthForPath(contributor);
        return component == null ? "UNKNOWN" : component.getStatus().getCode();
    }

    private static <T> T fromDatabase(Supplier<T> read) {
        try {
            return read.get();
        } catch (DataAccessException e) {
            log.debug("Dashboard part not read: {}", e.getMessage());
            return null;
        }
    }

    private static Instant seconds(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS);
    }
}
