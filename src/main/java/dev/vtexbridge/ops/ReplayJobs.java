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

import dev.vtexbridge.web.TableSort;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Bulk replay that is safe at scale: a job snapshots the FAILED rows a filter selects ({@code replay_job_item}), then
 * one worker replays them at the job's rate. Every item is claimed with a conditional update (PENDING to CLAIMED)
 * before its replay, and the replay itself only moves a row that is still FAILED, so no row is ever replayed twice,
 * concurrently or not. Jobs still RUNNING when the engine stopped are resumed at start-up: an item left CLAIMED whose
 * row is no longer FAILED counts as replayed, one whose row is still FAILED goes back to PENDING.
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

    public ReplayJobs(JdbcTemplate jdbc, ReplayService replays, OpsAudit audit, Clock clock, CamelContext camel,
                      @Value("${bridge.ops.replay.rate-per-second:50}") int defaultRate) {
        this.camel = camel;
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

    public List<Job> list(String sort, int page, int size) {
        return jdbc.queryForList("SELECT id FROM replay_job" + SORT.orderBy(sort) + " LIMIT ? OFFSET ?", Long.class, size,
                (long) page * size).stream().map(id -> find(id).orElseThrow()).toList();
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

    @Override
    public void destroy() {
        stop();
    }

    public synchronized void start() {
        // Items a stopped engine left claimed: their row tells whether the replay happened.
        int resumed = jdbc.update("UPDATE replay_job_item SET state = 'REPLAYED', done_at = ? WHERE state = 'CLAIMED' "
                + "AND failed_message_id IN (SELECT id FROM failed_message WHERE status <> 'FAILED')", now());
        int reset = jdbc.update("UPDATE replay_job_item SET state = 'PENDING' WHERE state = 'CLAIMED'");
        if (resumed + reset > 0) {
            log.info("Replay jobs resumed: {} claimed item(s) found replayed, {} put back to pending", resumed, reset);
        }
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
                if (jdbc.update("UPDATE replay_job_item SET state = 'CLAIMED' WHERE job_id = ? AND failed_message_id = ? "
                        + "AND state = 'PENDING'", jobId, id) != 1) {
                    continue;
                }
                ReplayService.Outcome outcome = replays.replayOne(id, actor + " (replay-job " + jobId + ")");
                String state = switch (outcome) {
                    case DONE -> "REPLAYED";
                    case SEND_FAILED -> "SEND_FAILED";
                    default -> "SKIPPED";
                };
                jdbc.update("UPDATE replay_job_item SET state = ?, done_at = ? WHERE job_id = ? AND failed_message_id = ?",
                        state, now(), jobId, id);
            }
            jdbc.update("UPDATE replay_job SET updated_at = ? WHERE id = ?", now(), jobId);
        }
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
