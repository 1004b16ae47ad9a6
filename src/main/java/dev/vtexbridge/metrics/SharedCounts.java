package dev.vtexbridge.metrics;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.vtexbridge.cluster.EngineInstances;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dashboard's per-minute counts, shared by the engine instances on one database so each one's dashboard shows the
 * whole cluster. Each instance keeps its own counts in memory ({@link RollingHour}) and writes its current and
 * previous minute to {@code dashboard_minute} every {@code bridge.cluster.counts-share-interval}, and once more when
 * it stops; the dashboard adds the other instances' rows of the last hour to its own counts, which are always up to
 * date. So another instance's messages show within that interval, and those of an instance that stopped or died
 * still count until they are an hour old. With the database unreachable the dashboard shows this instance's counts.
 */
@Component
public class SharedCounts {

    /** The connection id of an engine-wide series. */
    public static final String ALL = "*";

    private static final Logger log = LoggerFactory.getLogger(SharedCounts.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final EngineInstances instances;
    private final Clock clock;
    private final Duration interval;
    private final Map<Key, Source> published = new ConcurrentHashMap<>();
    private ScheduledExecutorService writer;
    private volatile boolean failing;

    private record Key(String series, String connection) {
    }

    private record Source(RollingHour counts, Supplier<Instant> lastSuccessAt) {
    }

    /** What the other instances counted of one series in the last hour, and their last success in it (or null). */
    public record Totals(long[] counts, Instant lastSuccessAt) {

        /** {@code own} with these counts added. */
        long[] addedTo(long[] own) {
            return plus(own, counts);
        }

        /** The later of {@code own} and this last success. */
        Instant latest(Instant own) {
            if (own == null || (lastSuccessAt != null && lastSuccessAt.isAfter(own))) {
                return lastSuccessAt;
            }
            return own;
        }
    }

    SharedCounts(JdbcTemplate jdbc, TransactionTemplate transaction, EngineInstances instances, Clock clock,
                 @Value("${bridge.cluster.counts-share-interval}") Duration interval) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.instances = instances;
        this.clock = clock;
        this.interval = interval;
    }

    /** Counts this instance keeps of a series (for a connection, or {@link #ALL}), to be shared from now on. */
    void publish(String series, String connection, RollingHour counts, Supplier<Instant> lastSuccessAt) {
        published.putIfAbsent(new Key(series, connection), new Source(counts, lastSuccessAt));
    }

    /** The other instances' counts of the last hour for a connection (or {@link #ALL}), by series. */
    Map<String, Totals> othersLastHour(String connection) {
        Map<String, long[]> counts = new HashMap<>();
        Map<String, Instant> lastSuccess = new HashMap<>();
        try {
            jdbc.query("SELECT series, counts, last_success_at FROM dashboard_minute WHERE connection_id = ? "
                    + "AND instance_id <> ? AND at_minute > ?", row -> {
                        String series = row.getString(1);
                        long[] minute = Arrays.stream(row.getString(2).split(",")).mapToLong(Long::parseLong).toArray();
                        counts.merge(series, minute, SharedCounts::plus);
                        Timestamp at = row.getTimestamp(3);
                        if (at != null) {
                            lastSuccess.merge(series, at.toInstant(), (one, other) -> one.isAfter(other) ? one : other);
                        }
                    }, connection, instances.id(), RollingHour.minuteOf(clock.instant()) - 60);
        } catch (DataAccessException e) {
            log.debug("Other instances' dashboard counts not read: {}", e.getMessage());
            return Map.of();
        }
        return counts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                series -> new Totals(series.getValue(), lastSuccess.get(series.getKey()))));
    }

    /** Element by element (a row of another version with more or fewer counters adds what both have). */
    private static long[] plus(long[] one, long[] other) {
        long[] sum = one.clone();
        for (int i = 0; i < Math.min(sum.length, other.length); i++) {
            sum[i] += other[i];
        }
        return sum;
    }

    @PostConstruct
    void start() {
        writer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "dashboard-counts");
            thread.setDaemon(true);
            return thread;
        });
        writer.scheduleWithFixedDelay(this::share, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        writer.shutdownNow();
        share();
    }

    /** Replaces this instance's rows of the previous and current minute, and drops everyone's rows over an hour old. */
    void share() {
        long minute = RollingHour.minuteOf(clock.instant());
        List<Object[]> rows = new ArrayList<>();
        published.forEach((key, source) -> {
            for (long each = minute - 1; each <= minute; each++) {
                long[] counts = source.counts().at(each);
                if (counts != null && Arrays.stream(counts).anyMatch(count -> count != 0)) {
                    Instant last = source.lastSuccessAt() == null ? null : source.lastSuccessAt().get();
                    rows.add(new Object[] {instances.id(), key.series(), key.connection(), each,
                            Arrays.stream(counts).mapToObj(Long::toString).collect(Collectors.joining(",")),
                            last == null ? null : Timestamp.from(last)});
                }
            }
        });
        try {
            transaction.executeWithoutResult(status -> {
                jdbc.update("DELETE FROM dashboard_minute WHERE instance_id = ? AND at_minute >= ?", instances.id(), minute - 1);
                jdbc.batchUpdate("INSERT INTO dashboard_minute (instance_id, series, connection_id, at_minute, counts, "
                        + "last_success_at) VALUES (?, ?, ?, ?, ?, ?)", rows);
                jdbc.update("DELETE FROM dashboard_minute WHERE at_minute <= ?", minute - 60);
            });
            if (failing) {
                failing = false;
                log.info("Dashboard counts are shared with the other instances again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("Dashboard counts not shared with the other instances ({}); they see this one's as of the "
                        + "last time it worked", e.getMessage());
            }
        }
    }
}
