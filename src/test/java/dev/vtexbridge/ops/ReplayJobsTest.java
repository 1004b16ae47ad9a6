package dev.vtexbridge.ops;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.errors.CapturedMessage;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReplayJobsTest extends EngineTest {

    private static final int ROWS = 5_000;

    @Autowired
    CamelContext camel;

    @Autowired
    ReplayJobs jobs;

    @Autowired
    FailedMessageStore store;

    @Test
    void replaysFiveThousandRowsAtTheRateOnceEachAndResumesAfterAStop() {
        OpsClient ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        String route = "replay-job-test-" + UUID.randomUUID().toString().substring(0, 8);
        String target = "mock:" + route;
        MockEndpoint mock = camel.getEndpoint(target, MockEndpoint.class);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(new Object[] {route, target, "{\"n\":" + i + "}", now, now});
        }
        jdbc.batchUpdate("INSERT INTO failed_message (route_id, entry_endpoint, failed_step, body, headers, error_class, "
                + "error_message, attempts, first_failed_at, last_failed_at, status) VALUES (?, ?, 'step', ?, '{}', "
                + "'java.lang.IllegalStateException', 'test failure', 1, ?, ?, 'FAILED')", rows);

        assertThat(ops.post("/ops/api/failed/replay?dryRun=true&route=" + route).json().get("matched").asLong()).isEqualTo(ROWS);
        long started = System.nanoTime();
        OpsClient.Answer created = ops.post("/ops/api/replay-jobs?rate=1000&route=" + route);
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        long jobId = created.json().get("id").asLong();
        assertThat(created.json().get("total").asLong()).isEqualTo(ROWS);

        // The engine stops mid-way (the worker with it), then starts again.
        await().atMost(Duration.ofSeconds(60)).until(() -> job(ops, jobId).get("done").asLong() >= 1_000);
        jobs.stop();
        JsonNode stopped = job(ops, jobId);
        assertThat(stopped.get("status").asText()).isEqualTo("RUNNING");
        assertThat(stopped.get("done").asLong()).isBetween(1_000L, ROWS - 1L);
        // An engine that died between taking a row and sending it leaves the item CLAIMED and the row REPLAYED: the
        // resumed job sends it (once: it never reached the endpoint).
        long interrupted = jdbc.queryForObject("SELECT MIN(failed_message_id) FROM replay_job_item WHERE job_id = ? "
                + "AND state = 'PENDING'", Long.class, jobId);
        jdbc.update("UPDATE replay_job_item SET state = 'CLAIMED' WHERE job_id = ? AND failed_message_id = ?", jobId, interrupted);
        jdbc.update("UPDATE failed_message SET status = 'REPLAYED' WHERE id = ?", interrupted);
        jobs.start();

        await().atMost(Duration.ofSeconds(120)).until(() -> "DONE".equals(job(ops, jobId).get("status").asText()));
        double seconds = (System.nanoTime() - started) / 1e9;
        JsonNode done = job(ops, jobId);
        assertThat(done.get("replayed").asLong()).isEqualTo(ROWS);
        assertThat(done.get("skipped").asLong()).isZero();
        assertThat(done.get("sendFailed").asLong()).isZero();
        assertThat(seconds).as("at most 1000 per second").isGreaterThanOrEqualTo(ROWS / 1000.0 - 0.5);

        assertThat(mock.getReceivedCounter()).isEqualTo(ROWS);
        Set<Long> ids = new HashSet<>();
        for (Exchange exchange : mock.getReceivedExchanges()) {
            ids.add(exchange.getIn().getHeader(CapturedMessage.FAILED_MESSAGE_ID, Long.class));
        }
        assertThat(ids).as("every row replayed once").hasSize(ROWS);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM failed_message WHERE route_id = ? AND status = 'REPLAYED'",
                Long.class, route)).isEqualTo(ROWS);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM failed_message_event e JOIN failed_message m ON m.id = e.failed_message_id "
                + "WHERE m.route_id = ? AND e.action = 'REPLAYED'", Long.class, route)).isEqualTo(ROWS);
        assertThat(store.find(interrupted).orElseThrow().history()).extracting(FailedMessage.Event::action)
                .containsSubsequence("REPLAY_INTERRUPTED", "REPLAYED");

        JsonNode audit = ops.get("/ops/api/audit?action=BULK_REPLAY&target=replay-job%20" + jobId + ":").json().get("items");
        assertThat(audit.get(0).get("result").asText()).isEqualTo("DONE");
        assertThat(audit.get(0).get("detail").asText()).startsWith(ROWS + " replayed");
        assertThat(ops.get("/ops/api/replay-jobs/999999999").status()).isEqualTo(404);
        assertThat(ops.get("/ops/api/replay-jobs?size=1").json().get(0).get("id").asLong()).as("newest job first").isEqualTo(jobId);
        JsonNode oldestFirst = ops.get("/ops/api/replay-jobs?sort=createdAt,asc&size=500").json();
        assertThat(oldestFirst.get(oldestFirst.size() - 1).get("id").asLong()).isEqualTo(jobId);
    }

    /**
     * With several engine instances on the database, an item another live instance claimed is in its hands and left
     * alone; one an instance that is no longer alive left CLAIMED is taken over and sent.
     */
    @Test
    void anItemALiveInstanceHoldsIsLeftToItAndOneADeadInstanceLeftIsTakenOver() {
        String route = "replay-job-instances-" + UUID.randomUUID().toString().substring(0, 8);
        String target = "mock:" + route;
        MockEndpoint mock = camel.getEndpoint(target, MockEndpoint.class);
        String live = "live-" + UUID.randomUUID();
        String dead = "dead-" + UUID.randomUUID();
        jdbc.update("INSERT INTO engine_instance (instance_id, host, started_at, seen_at) VALUES (?, 'h', CURRENT_TIMESTAMP, "
                + "CURRENT_TIMESTAMP + INTERVAL '1' HOUR)", live);
        jdbc.update("INSERT INTO engine_instance (instance_id, host, started_at, seen_at) VALUES (?, 'h', CURRENT_TIMESTAMP, "
                + "CURRENT_TIMESTAMP - INTERVAL '1' HOUR)", dead);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        long[] rows = new long[3];
        for (int i = 0; i < rows.length; i++) {
            jdbc.update("INSERT INTO failed_message (route_id, entry_endpoint, failed_step, body, headers, error_class, "
                    + "error_message, attempts, first_failed_at, last_failed_at, status) VALUES (?, ?, 'step', ?, '{}', "
                    + "'java.lang.IllegalStateException', 'test failure', 1, ?, ?, ?)", route, target, "{\"n\":" + i + "}",
                    now, now, i == 2 ? "FAILED" : "REPLAYED");
            rows[i] = jdbc.queryForObject("SELECT MAX(id) FROM failed_message WHERE route_id = ?", Long.class, route);
        }
        jdbc.update("INSERT INTO replay_job (created_at, updated_at, actor, filter, rate_per_second, status) "
                + "VALUES (?, ?, 'test', ?, 100, 'RUNNING')", now, now, "route=" + route);
        long jobId = jdbc.queryForObject("SELECT MAX(id) FROM replay_job", Long.class);
        jdbc.update("INSERT INTO replay_job_item (job_id, failed_message_id, state, claimed_by) VALUES (?, ?, 'CLAIMED', ?), "
                + "(?, ?, 'CLAIMED', ?), (?, ?, 'PENDING', NULL)", jobId, rows[0], live, jobId, rows[1], dead, jobId, rows[2]);

        await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(jdbc.queryForObject(
                "SELECT status FROM replay_job WHERE id = ?", String.class, jobId)));

        Set<Long> sent = new HashSet<>();
        mock.getReceivedExchanges().forEach(e -> sent.add(e.getIn().getHeader(CapturedMessage.FAILED_MESSAGE_ID, Long.class)));
        assertThat(sent).as("the dead instance's item and the pending one").containsExactlyInAnyOrder(rows[1], rows[2]);
        assertThat(jdbc.queryForObject("SELECT state FROM replay_job_item WHERE job_id = ? AND failed_message_id = ?",
                String.class, jobId, rows[0])).as("still in the live instance's hands").isEqualTo("CLAIMED");
        jdbc.update("DELETE FROM engine_instance WHERE instance_id IN (?, ?)", live, dead);
    }

    private static JsonNode job(OpsClient ops, long id) {
        return ops.get("/ops/api/replay-jobs/" + id).json();
    }
}
