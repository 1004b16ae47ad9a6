package dev.vtexbridge.ops;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.vtexbridge.cluster.EngineInstances;
import dev.vtexbridge.web.LikePattern;
import dev.vtexbridge.web.TableSort;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Bulk replay that is safe at scale: a job snapshots the FAILED rows a filter selects ({@code replay_job_item}), then
 * one worker replays them at the job's rate. An item is claimed (PENDING to CLAIMED, conditionally) in the same
 * transaction that moves its row from FAILED to REPLAYED, so no row is ever taken twice, concurrently or not; the send
 * follows, then the item is marked done. The engine stops the worker before Camel, so a stop finishes the item in hand.
 * Every engine instance on the database works the RUNNING jobs, each item taken by one of them. An item is claimed
 * by an instance ({@link EngineInstances}); one left CLAIMED by an instance that is no longer alive (a crash) is
 * sent again when its row is still REPLAYED (the send may not have happened — replays are at-least-once there,
 * never lost) and put back to PENDING when its row is FAILED. An item a live instance holds is left to it.
 */
@Service
public class ReplayJobs implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReplayJobs.class);

    private final JdbcTemplate jdbc;
    private final ReplayService replays;
    private final OpsAudit audit;
    private final Clock clock;
    private final int defaultRate;
    private volatile ScheduledExecutorService worker;
    private volatile boolean running;

    private final CamelContext camel;
    private final TransactionTemplate tx;
    private final FailedMessageStore store;
    private final EngineInstances instances;

    public ReplayJobs(JdbcTemplate jdbc, ReplayService replays, OpsAudit audit, Clock clock, CamelContext camel,
                      TransactionTemplate tx, FailedMessageStore store, EngineInstances instances,
                      @Value("${bridge.ops.replay.rate-per-second:50}") int defaultRate) {
        this.camel = camel;
        this.instances = instances;
        this.tx = tx;
        this.store = store;
        this.jdbc = jdbc;
        this.replays = replays;
        this.audit = audit;
        this.clock = clock;
        this.defaultRate = defaultRate;
    }

    public record Job(long id, OffsetDateTime createdAt, OffsetDateTime updatedAt, String actor, String filter,
                      int ratePerSecond, String status, Map<String, Long> items, long total, long done,
                      long replayed, long failedAgain, long skipped, long sendFailed) {
    }

    /** Creates a job over the FAILED rows the filter selects (at most {@code limit}); its worker starts at once. */
    @Transactional
    public Job create(FailedMessageFilter filter, int limit, Integer ratePerSecond, String actor) {
        FailedMessageFilter failedOnly = filter.failedOnly();
        int rate = ratePerSecond == null || ratePerSecond < 1 ? defaultRate : ratePerSecond;
        OffsetDateTime now = now();
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        String description = ReplayService.describe(failedOnly);
        jdbc.update(con -> {
            var ps = con.prepareStatement("INSERT INTO replay_job (created_at, updated_at, actor, filter, rate_per_second, "
                    + "status) VALUES (?, ?, ?, ?, ?, 'RUNNING')", new String[] {"id"});
            ps.setObject(1, now);
            ps.setObject(2, now);
            ps.setString(3, actor);
            ps.setString(4, description);
            ps.setInt(5, rate);
            return ps;
        }, key);
        long id = key.getKey().longValue();
        List<Object> params = new ArrayList<>();
        params.add(id);
        String where = failedOnly.where(params);
        params.add(limit);
        jdbc.update("INSERT INTO replay_job_item (job_id, failed_message_id, state) SELECT ?, id, 'PENDING' FROM failed_message"
                + where + " ORDER BY last_failed_at, id LIMIT ?", params.toArray());
        Job job = find(id).orElseThrow();
        audit.record(actor, "BULK_REPLAY", "replay-job " + id + ": " + description, "STARTED",
                job.total() + " message(s) at " + rate + "/s");
        // The worker sees the job once this transaction commits.
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }
            });
        } else {
            wake();
        }
        return job;
    }

    public Optional<Job> find(long id) {
        return jdbc.query("SELECT * FROM replay_job WHERE id = ?", (rs, n) -> {
            Map<String, Long> items = new LinkedHashMap<>();
            for (String state : List.of("PENDING", "CLAIMED", "REPLAYED", "SKIPPED", "SEND_FAILED")) {
                items.put(state, 0L);
            }
            jdbc.query("SELECT state, COUNT(*) FROM replay_job_item WHERE job_id = ? GROUP BY state",
                    row -> {
                        items.put(row.getString(1), row.getLong(2));
                    }, id);
            Long failedAgain = jdbc.queryForObject("SELECT COUNT(*) FROM replay_job_item i JOIN failed_message m "
                    + "ON m.id = i.failed_message_id WHERE i.job_id = ? AND i.state = 'REPLAYED' AND m.status = 'FAILED'",
                    Long.class, id);
            long total = items.values().stream().mapToLong(Long::longValue).sum();
            long replayed = items.get("REPLAYED");
            return new Job(id, rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
                    rs.getString("actor"), rs.getString("filter"), rs.getInt("rate_per_second"), rs.getString("status"),
                    items, total, replayed + items.get("SKIPPED") + items.get("SEND_FAILED"), replayed,
                    failedAgain == null ? 0 : failedAgain, items.get("SKIPPED"), items.get("SEND_FAILED"));
        }, id).stream().findFirst();
    }

    /** What the job list sorts by ({@code sort=status}); newest job first by default. */
    static final TableSort SORT = TableSort.of("id", "id,desc", "id", "id", "createdAt", "created_at",
            "updatedAt", "updated_at", "actor", "actor", "status", "status", "ratePerSecond", "rate_per_second");

    /**
     * {@code connection}: only the jobs about that connection, those filtered on it and those holding any of its
     * failed messages (a job over every connection's rows shows under each of them); null: every job.
     */
    public List<Job> list(String connection, String sort, int page, int size) {
        List<Object> params = new ArrayList<>();
        String where = "";
        if (connection != null && !connection.isBlank()) {
            where = " WHERE filter LIKE ? ESCAPE '\\' OR filter LIKE ? ESCAPE '\\' OR id IN (SELECT i.job_id FROM "
                    + "replay_job_item i JOIN failed_message m ON m.id = i.failed_message_id WHERE m.connection_id = ?)";
            params.add(LikePattern.endsWith(" connection=" + connection.trim()));
            params.add(LikePattern.contains(" connection=" + connection.trim() + " "));
            params.add(connection.trim());
        }
        params.add(size);
        params.add((long) page * size);
        return jdbc.queryForList("SELECT id FROM replay_job" + where + SORT.orderBy(sort) + " LIMIT ? OFFSET ?", Long.class,
                params.toArray()).stream().map(id -> find(id).orElseThrow()).toList();
    }

    public boolean cancel(long id, String actor) {
        boolean cancelled = jdbc.update("UPDATE replay_job SET status = 'CANCELLED', updated_at = ? WHERE id = ? AND status = 'RUNNING'",
                now(), id) == 1;
        if (cancelled) {
            audit.record(actor, "BULK_REPLAY", "replay-job " + id, "CANCELLED", null);
        }
        return cancelled;
    }

    // ---- the worker -------------------------------------------------------------------------------------------

    /** Starts the worker (resuming unfinished jobs) once the engine is up, Camel included. */
    @EventListener(ApplicationReadyEvent.class)
    public void onReady() {
        start();
    }

    /** Stops the worker before Camel stops (closing publishes this event before any lifecycle bean stops). */
    @EventListener(ContextClosedEvent.class)
    public void onClosing() {
        stop();
    }

    @Override
    public void destroy() {
        stop();
    }

    public synchronized void start() {
        running = true;
        worker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "replay-jobs");
            thread.setDaemon(true);
            return thread;
        });
        // Also looks for running jobs every few seconds (a job created by another engine on the same database).
        worker.scheduleWithFixedDelay(this::work, 0, 5, TimeUnit.SECONDS);
    }

    public synchronized void stop() {
        running = false;
        ExecutorService current = worker;
        if (current != null) {
            current.shutdown();
            try {
                current.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Items an instance that is no longer alive left CLAIMED: taken (row REPLAYED) but perhaps never sent, or sent and
     * failed again. Those of live instances (this one included) are in their hands.
     */
    private void resumeInterruptedItems() {
        List<Map<String, Object>> claimed = jdbc.queryForList("SELECT i.job_id, i.failed_message_id, i.claimed_by, m.status "
                + "FROM replay_job_item i JOIN failed_message m ON m.id = i.failed_message_id WHERE i.state = 'CLAIMED'");
        claimed.removeIf(item -> instances.isLive((String) item.get("claimed_by")));
        for (Map<String, Object> item : claimed) {
            long jobId = ((Number) item.get("job_id")).longValue();
            long id = ((Number) item.get("failed_message_id")).longValue();
            String state = switch (String.valueOf(item.get("status"))) {
                case "REPLAYED" -> store.transition(id, FailedMessage.Status.REPLAYED, FailedMessage.Status.FAILED,
                        "REPLAY_INTERRUPTED", "replay-job " + jobId, "the engine stopped while sending it; it is sent again")
                        ? "PENDING" : "REPLAYED";
                case "FAILED" -> "PENDING";
                default -> "REPLAYED";
            };
            jdbc.update("UPDATE replay_job_item SET state = ?, claimed_by = NULL WHERE job_id = ? AND failed_message_id = ? "
                    + "AND state = 'CLAIMED'", state, jobId, id);
        }
        if (!claimed.isEmpty()) {
            log.info("Replay jobs resumed: {} item(s) an engine stop interrupted were checked", claimed.size());
        }
    }

    private void wake() {
        ExecutorService current = worker;
        if (running && current != null && !current.isShutdown()) {
            try {
                current.execute(this::work);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopping
            }
        }
    }

    /** Runs every RUNNING job to its end; a second wake-up while working finds nothing left and returns. */
    private void work() {
        try {
            // Replays send into routes: wait for Camel, which starts after the Spring lifecycle beans.
            while (running && !camel.isStarted()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
            // at start-up, and every few seconds after: an instance may have died since
            resumeInterruptedItems();
            for (Long jobId : jdbc.queryForList("SELECT id FROM replay_job WHERE status = 'RUNNING' ORDER BY id", Long.class)) {
                runJob(jobId);
            }
        } catch (RuntimeException e) {
            log.error("Replay job worker failed", e);
        }
    }

    private void runJob(long jobId) {
        Map<String, Object> job = jdbc.queryForMap("SELECT actor, rate_per_second FROM replay_job WHERE id = ?", jobId);
        String actor = (String) job.get("actor");
        String label = actor + " (replay-job " + jobId + ")";
        long interval = TimeUnit.SECONDS.toNanos(1) / Math.max(1, ((Number) job.get("rate_per_second")).intValue());
        long next = System.nanoTime();
        while (running) {
            if (!"RUNNING".equals(jdbc.queryForObject("SELECT status FROM replay_job WHERE id = ?", String.class, jobId))) {
                return;
            }
            List<Long> batch = jdbc.queryForList("SELECT failed_message_id FROM replay_job_item WHERE job_id = ? AND state = 'PENDING' "
                    + "ORDER BY failed_message_id LIMIT 100", Long.class, jobId);
            if (batch.isEmpty()) {
                finish(jobId, actor);
                return;
            }
            for (long id : batch) {
                if (!running) {
                    return;
                }
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                next = Math.max(next, System.nanoTime() - interval) + interval;
                ReplayService.Taken taken = tx.execute(status -> take(jobId, id, label));
                if (taken == null || taken.message() == null) {
                    continue;
                }
                String state = replays.send(taken.message(), label) == ReplayService.Outcome.DONE ? "REPLAYED" : "SEND_FAILED";
                markItem(jobId, id, state);
            }
            jdbc.update("UPDATE replay_job SET updated_at = ? WHERE id = ?", now(), jobId);
        }
    }

    /** Claims a pending item and takes its row in one transaction; null when another worker claimed it first. */
    private ReplayService.Taken take(long jobId, long id, String actor) {
        if (jdbc.update("UPDATE replay_job_item SET state = 'CLAIMED', claimed_by = ? WHERE job_id = ? AND failed_message_id = ? "
                + "AND state = 'PENDING'", instances.id(), jobId, id) != 1) {
            return null;
        }
        ReplayService.Taken taken = replays.take(id, actor);
        if (taken.message() == null) {
            markItem(jobId, id, "SKIPPED");
        }
        return taken;
    }

    private void markItem(long jobId, long id, String state) {
        jdbc.update("UPDATE replay_job_item SET state = ?, done_at = ? WHERE job_id = ? AND failed_message_id = ?",
                state, now(), jobId, id);
    }

    private void finish(long jobId, String actor) {
        if (jdbc.update("UPDATE replay_job SET status = 'DONE', updated_at = ? WHERE id = ? AND status = 'RUNNING'", now(), jobId) == 1) {
            Job job = find(jobId).orElseThrow();
            log.info("Replay job {} done: {} replayed, {} skipped, {} could not be sent", jobId, job.replayed(), job.skipped(),
                    job.sendFailed());
            audit.record(actor, "BULK_REPLAY", "replay-job " + jobId + ": " + job.filter(), "DONE",
                    job.replayed() + " replayed, " + job.skipped() + " skipped, " + job.sendFailed() + " could not be sent");
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
