package dev.vtexbridge.marketplace;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.errors.FailureClassifier;
import dev.vtexbridge.errors.RetryAfter;
import dev.vtexbridge.errors.RetryLaterException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reconciliation of a marketplace-role connection ({@code routes/marketplace/marketplace-reconciliation.camel.yaml}):
 * reads every SKU id of the connection's sales channel from its VTEX store, a page at a time
 * ({@code GET {api}/api/catalog_system/pvt/sku/stockkeepingunitidsbysaleschannel?sc=&page=&pageSize=&onlyAssigned=true},
 * API family {@code catalog}, within the connection's token bucket), and hands each to the offers flow, marked with the
 * run's id; a SKU listed before (listed, or error) that is no longer in the sales channel is handed on to be delisted.
 *
 * <p>Whether a SKU's store data changed cannot be told without reading it (its catalog data and a simulation), and
 * those reads are what the offers flow does. So every SKU goes through the offers flow, which reads and maps it and
 * then compares the offer with the digest of the one it last published: an identical offer is not sent to the sink
 * again (counted {@code unchanged}). The store is read twice per SKU either way; what is saved is the external
 * marketplace's calls, usually the scarcer budget, and the marketplace sees only real changes. A lost notification is
 * repaired this way: its SKU's offer differs from the last published one and goes out.
 *
 * <p>Each connection's schedule is {@code bridge.connections.<id>.reconcile.*}: {@code interval} (default 6h) or a
 * Quartz {@code cron}, {@code enabled} (default true), {@code page-size} (default 100). The last run of each connection
 * and the next due time are in table {@code marketplace_reconciliation}, so every engine instance sees them and the
 * instance whose update claims a due run is the one that runs it. The first run of a connection is due at once (the
 * initial load of its listings).
 */
@Component("marketplaceReconciliation")
public class MarketplaceReconciliation {

    private static final Logger log = LoggerFactory.getLogger(MarketplaceReconciliation.class);
    /** The helper route that reads one page of SKU ids. */
    static final String PAGE_ROUTE = "direct:marketplace-reconciliation-page";
    static final String PAGE_HEADER = "BridgeReconcilePage";
    static final String PAGE_SIZE_HEADER = "BridgeReconcilePageSize";
    /** Most pages one run reads (a guard against a store answering the same page for ever). */
    static final int MAX_PAGES = 100_000;
    /** A run still RUNNING after this long was lost with its instance: it may be claimed again. */
    static final Duration STALE = Duration.ofHours(1);

    /** One connection's schedule. */
    public record Schedule(boolean enabled, Duration interval, String cron, int pageSize) {

        OffsetDateTime nextAfter(OffsetDateTime now) {
            if (cron != null) {
                try {
                    CronExpression expression = new CronExpression(cron);
                    expression.setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
                    Date next = expression.getNextValidTimeAfter(Date.from(now.toInstant()));
                    return next == null ? now.plusYears(100) : next.toInstant().atOffset(ZoneOffset.UTC);
                } catch (ParseException e) {
                    throw new IllegalStateException(e);
                }
            }
            return now.plus(interval);
        }
    }

    /** As configured under {@code bridge.connections.<id>.reconcile}; every value may be missing. */
    public record ScheduleProperties(Boolean enabled, Duration interval, String cron, Integer pageSize) {
    }

    /** What the offers flow did with one SKU of a run. */
    public enum Outcome {
        REPUBLISHED("republished"), UNCHANGED("unchanged"), DELISTED("delisted"), FAILED("failed");

        private final String column;

        Outcome(String column) {
            this.column = column;
        }
    }

    /**
     * A connection's last run: {@code status} RUNNING (reading the SKU ids), QUEUED (every SKU handed to the offers
     * flow, some not through it yet), DONE, or FAILED (with {@code error}: the listing stopped; the SKUs handed on
     * before still go through the offers flow, and nothing was delisted); {@code read}: SKU ids read; {@code queued}:
     * SKUs handed to the offers flow (those read, and those to delist); {@code pending}: queued SKUs the offers flow
     * has not finished (a SKU whose publication failed and waits in the failed-message store stays pending).
     */
    public record Run(String connection, long runId, String trigger, String status, String error,
                      OffsetDateTime startedAt, OffsetDateTime listedAt, OffsetDateTime nextDueAt, Schedule schedule,
                      int read, int queued, int republished, int unchanged, int delisted, int failed, int pending) {
    }

    private final Connections connections;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final ProducerTemplate producer;
    private final Clock clock;
    private final String offersChannel;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final Map<String, Schedule> schedules = new LinkedHashMap<>();

    public MarketplaceReconciliation(Connections connections, Environment env, JdbcTemplate jdbc, ObjectMapper json,
                                     ProducerTemplate producer, Clock clock,
                                     @Value("${bridge.channels.marketplace-offers}") String offersChannel,
                                     @Value("${bridge.errors.maximum-redeliveries}") int maxAttempts,
                                     @Value("${bridge.errors.redelivery-delay}") long retryDelayMs) {
        this.connections = connections;
        this.jdbc = jdbc;
        this.json = json;
        this.producer = producer;
        this.clock = clock;
        this.offersChannel = offersChannel;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.retryDelay = Duration.ofMillis(Math.max(1, retryDelayMs));
        Binder binder = Binder.get(env);
        List<String> problems = new ArrayList<>();
        for (Connection connection : connections.all()) {
            if (connection.role() == Connection.Role.MARKETPLACE) {
                String prefix = "bridge.connections." + connection.id() + ".reconcile";
                ScheduleProperties configured = binder.bind(prefix, Bindable.of(ScheduleProperties.class))
                        .orElse(new ScheduleProperties(null, null, null, null));
                schedules.put(connection.id(), schedule(prefix, configured, problems));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid reconciliation schedule: " + String.join("; ", problems));
        }
    }

    static Schedule schedule(String prefix, ScheduleProperties p, List<String> problems) {
        String cron = p.cron() == null || p.cron().isBlank() ? null : p.cron().trim();
        if (cron != null && p.interval() != null) {
            problems.add(prefix + ".cron and " + prefix + ".interval are both set: set one");
        }
        if (cron != null && !CronExpression.isValidExpression(cron)) {
            problems.add(prefix + ".cron is not a Quartz cron expression: " + cron);
        }
        if (p.interval() != null && p.interval().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add(prefix + ".interval must be at least 1s: " + p.interval());
        }
        int pageSize = p.pageSize() == null ? 100 : p.pageSize();
        if (pageSize < 1 || pageSize > 1000) {
            problems.add(prefix + ".page-size must be between 1 and 1000: " + pageSize);
        }
        return new Schedule(!Boolean.FALSE.equals(p.enabled()), p.interval() == null ? Duration.ofHours(6) : p.interval(),
                cron, pageSize);
    }

    /** The schedule of a marketplace connection (empty for any other). */
    public Optional<Schedule> scheduleOf(String connection) {
        return Optional.ofNullable(schedules.get(connection));
    }

    /**
     * Schedule step: runs the reconciliation of every enabled marketplace connection whose run is due; returns how many
     * ran. Its route's trigger is a clustered Quartz trigger ({@code stateful}), so one engine instance at a time
     * looks; the claim still keeps an ops run ({@link #runNow}) on another instance from running the same connection.
     */
    public int runDue() {
        int ran = 0;
        for (Connection connection : connections.marketplaces()) {
            Schedule schedule = schedules.get(connection.id());
            if (schedule != null && schedule.enabled() && claim(connection.id(), "schedule", false)) {
                reconcile(connection, schedule);
                ran++;
            }
        }
        return ran;
    }

    /**
     * Runs a reconciliation of the connection now (ops), whatever its schedule; empty when one is running already. The
     * SKU ids are read before this returns; the offers flow works through them afterwards.
     */
    public Optional<Run> runNow(String connectionId) {
        Connection connection = connections.require(connectionId);
        if (!claim(connectionId, "ops", true)) {
            return Optional.empty();
        }
        reconcile(connection, schedules.get(connectionId));
        return last(connectionId);
    }

    /** The connection's last run, or empty before its first. */
    public Optional<Run> last(String connection) {
        Schedule schedule = schedules.get(connection);
        return jdbc.query("SELECT * FROM marketplace_reconciliation WHERE connection_id = ? AND run_id > 0", (rs, i) -> {
            int queued = rs.getInt("queued");
            int accounted = rs.getInt("republished") + rs.getInt("unchanged") + rs.getInt("delisted") + rs.getInt("failed");
            String status = rs.getString("status");
            int pending = Math.max(0, queued - accounted);
            if ("QUEUED".equals(status) && pending == 0) {
                status = "DONE";
            }
            return new Run(rs.getString("connection_id"), rs.getLong("run_id"), rs.getString("run_trigger"), status,
                    rs.getString("error"), rs.getObject("started_at", OffsetDateTime.class),
                    rs.getObject("listed_at", OffsetDateTime.class),
                    schedule != null && schedule.enabled() ? rs.getObject("next_due_at", OffsetDateTime.class) : null,
                    schedule, rs.getInt("skus_read"), queued, rs.getInt("republished"), rs.getInt("unchanged"),
                    rs.getInt("delisted"), rs.getInt("failed"), pending);
        }, connection).stream().findFirst();
    }

    /** The offers flow finished one SKU of run {@code runId} (a run since replaced is not counted). */
    public void count(String connection, Long runId, Outcome outcome) {
        if (runId == null) {
            return;
        }
        jdbc.update("UPDATE marketplace_reconciliation SET " + outcome.column + " = " + outcome.column + " + 1"
                + " WHERE connection_id = ? AND run_id = ?", connection, runId);
    }

    /** Claims the connection's next run for this instance: due (or forced) and not running elsewhere. */
    boolean claim(String connection, String trigger, boolean force) {
        OffsetDateTime now = now();
        Schedule schedule = schedules.get(connection);
        if (schedule == null) {
            throw new IllegalArgumentException("connection " + connection + " is not in the marketplace role");
        }
        jdbc.update("INSERT INTO marketplace_reconciliation (connection_id, run_id, status, next_due_at, skus_read, queued,"
                + " republished, unchanged, delisted, failed) VALUES (?, 0, 'NEVER', ?, 0, 0, 0, 0, 0, 0)"
                + " ON CONFLICT DO NOTHING", connection, now);
        return jdbc.update("UPDATE marketplace_reconciliation SET run_id = run_id + 1, run_trigger = ?, status = 'RUNNING',"
                        + " error = NULL, started_at = ?, listed_at = NULL, next_due_at = ?, skus_read = 0, queued = 0,"
                        + " republished = 0, unchanged = 0, delisted = 0, failed = 0"
                        + " WHERE connection_id = ? AND (? OR next_due_at <= ?) AND (status <> 'RUNNING' OR started_at < ?)",
                trigger, now, schedule.nextAfter(now), connection, force, now, now.minus(STALE)) == 1;
    }

    private void reconcile(Connection connection, Schedule schedule) {
        long runId = jdbc.queryForObject("SELECT run_id FROM marketplace_reconciliation WHERE connection_id = ?",
                Long.class, connection.id());
        Set<String> seen = new HashSet<>();
        int queued = 0;
        try {
            for (int page = 1; page <= MAX_PAGES; page++) {
                List<String> ids = page(connection, page, schedule.pageSize());
                int fresh = 0;
                for (String sku : ids) {
                    if (seen.add(sku)) {
                        fresh++;
                        queue(connection.id(), sku, null, false, runId);
                        queued++;
                    }
                }
                jdbc.update("UPDATE marketplace_reconciliation SET skus_read = ?, queued = ? WHERE connection_id = ?"
                        + " AND run_id = ?", seen.size(), queued, connection.id(), runId);
                if (ids.size() < schedule.pageSize() || fresh == 0) {
                    break;
                }
            }
            // listed before (or failed), no longer in the sales channel: delisted
            record Listed(String sku, String productId) {
            }
            List<Listed> listed = jdbc.query("SELECT sku_id, product_id FROM marketplace_listing WHERE connection_id = ?"
                            + " AND status <> 'DELISTED'", (rs, i) -> new Listed(rs.getString(1), rs.getString(2)),
                    connection.id());
            for (Listed row : listed) {
                if (!seen.contains(row.sku())) {
                    queue(connection.id(), row.sku(), row.productId(), true, runId);
                    queued++;
                }
            }
            jdbc.update("UPDATE marketplace_reconciliation SET status = 'QUEUED', listed_at = ?, skus_read = ?, queued = ?"
                    + " WHERE connection_id = ? AND run_id = ?", now(), seen.size(), queued, connection.id(), runId);
            log.info("Reconciliation of connection {}: {} SKUs in sales channel {}, {} handed to the offers flow",
                    connection.id(), seen.size(), connection.vtex().salesChannel(), queued);
        } catch (Exception e) {
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.warn("Reconciliation of connection {} stopped after {} SKUs: {}", connection.id(), seen.size(), error);
            jdbc.update("UPDATE marketplace_reconciliation SET status = 'FAILED', error = ?, skus_read = ?, queued = ?"
                            + " WHERE connection_id = ? AND run_id = ?",
                    error.substring(0, Math.min(2000, error.length())), seen.size(), queued, connection.id(), runId);
        }
    }

    /** One page of SKU ids, with the error policy's retries: a rate limit waits, a 5xx or I/O error is tried again. */
    private List<String> page(Connection connection, int page, int pageSize) throws Exception {
        int attempt = 0;
        while (true) {
            Exchange answer = producer.send(PAGE_ROUTE, exchange -> {
                exchange.getIn().setHeader(Connection.HEADER, connection.id());
                exchange.getIn().setHeader(PAGE_HEADER, page);
                exchange.getIn().setHeader(PAGE_SIZE_HEADER, pageSize);
            });
            Exception failure = answer.getException();
            if (failure == null) {
                List<String> ids = new ArrayList<>();
                JsonNode body = json.readTree(answer.getMessage().getBody(String.class));
                if (!body.isArray()) {
                    throw new IllegalStateException("the store answered page " + page + " with no array of SKU ids");
                }
                body.forEach(id -> ids.add(id.asText()));
                return ids;
            }
            if (FailureClassifier.isRateLimited(failure)) {
                Thread.sleep(rateLimitWait(failure).toMillis());
                continue;
            }
            if (FailureClassifier.isTransient(failure) && ++attempt < maxAttempts) {
                Thread.sleep(Math.min(60_000, retryDelay.toMillis() << Math.min(attempt, 6)));
                continue;
            }
            throw failure;
        }
    }

    private Duration rateLimitWait(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetryLaterException later) {
                return later.delay();
            }
            if (t instanceof HttpOperationFailedException http) {
                String retryAfter = http.getResponseHeaders() == null ? null : http.getResponseHeaders().get("Retry-After");
                return RetryAfter.parse(retryAfter, clock).orElse(Duration.ofSeconds(2));
            }
        }
        return Duration.ofSeconds(2);
    }

    /** Before a page's call ({@code PAGE_ROUTE}): {@code GET …/stockkeepingunitidsbysaleschannel?sc=&page=&pageSize=}. */
    public void pageRequest(Exchange exchange) {
        Connection connection = connections.require(exchange.getIn().getHeader(Connection.HEADER, String.class));
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getIn().setHeader(Exchange.HTTP_QUERY, "sc=" + connection.vtex().salesChannel() + "&page="
                + exchange.getIn().getHeader(PAGE_HEADER) + "&pageSize=" + exchange.getIn().getHeader(PAGE_SIZE_HEADER)
                + "&onlyAssigned=true");
        exchange.getIn().removeHeader(Exchange.CONTENT_TYPE);
        exchange.getIn().setBody(null);
    }

    private void queue(String connection, String sku, String productId, boolean delist, long runId) throws Exception {
        NotificationWindow.OfferUpdate update = new NotificationWindow.OfferUpdate(connection, sku, productId, null, delist,
                now(), runId);
        producer.sendBodyAndHeaders(offersChannel, json.writeValueAsString(update),
                Map.of(Connection.HEADER, connection, "BridgeMessageKey", sku));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
