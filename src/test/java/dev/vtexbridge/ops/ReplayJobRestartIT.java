package dev.vtexbridge.ops;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vtexbridge.testkit.EmbeddedPostgresSupport;
import dev.vtexbridge.testkit.EngineLauncher;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bulk replay of 2,000 failed messages survives a real engine restart: the engine (on PostgreSQL, with its broker
 * journal in a data folder kept across the restart) is closed mid-job and started again, and every message reaches
 * the remote exactly once. The messages go back into the queue of the test route {@code remote-delivery}, which posts
 * each one to {@code /deliver/{messageId}} on a WireMock stand-in.
 */
class ReplayJobRestartIT {

    private static final int ROWS = 2_000;

    private static WireMockServer remote;
    private static EmbeddedPostgresSupport.Database database;
    private static Map<String, String> properties;
    private static ConfigurableApplicationContext engine;

    @BeforeAll
    static void startRemote() {
        remote = new WireMockServer(options().dynamicPort().containerThreads(16));
        remote.start();
        remote.stubFor(any(urlPathMatching("/deliver/.*")).willReturn(ok()));
        database = EmbeddedPostgresSupport.newDatabase();
        properties = new HashMap<>(database.springProperties());
        properties.put("test.remote-url", remote.baseUrl());
        properties.put("bridge.data-dir", EngineLauncher.freshDataDir("replay-restart").toString());
    }

    @AfterAll
    static void stopAll() {
        if (engine != null) {
            engine.close();
        }
        if (remote != null) {
            remote.stop();
        }
    }

    @Test
    void aBulkReplayInterruptedByAnEngineRestartResumesAndReplaysEveryRowOnce() {
        engine = EngineLauncher.start("replay-restart", properties);
        insertFailedMessages(new JdbcTemplate(database.dataSource()));
        OpsClient.Answer created = ops().post("/ops/api/replay-jobs?rate=500&route=remote-delivery");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        long jobId = created.json().get("id").asLong();
        assertThat(created.json().get("total").asLong()).isEqualTo(ROWS);

        await().atMost(Duration.ofSeconds(60)).until(() -> job(jobId).get("done").asLong() >= 500);
        engine.close();
        Long stopped = new JdbcTemplate(database.dataSource()).queryForObject(
                "SELECT COUNT(*) FROM replay_job_item WHERE job_id = ? AND state <> 'PENDING'", Long.class, jobId);
        assertThat(stopped).as("stopped mid-way").isBetween(500L, ROWS - 1L);

        engine = EngineLauncher.start("replay-restart", properties);
        await().atMost(Duration.ofSeconds(120)).until(() -> "DONE".equals(job(jobId).get("status").asText()));
        JsonNode done = job(jobId);
        assertThat(done.get("replayed").asLong()).isEqualTo(ROWS);
        assertThat(done.get("skipped").asLong()).isZero();
        assertThat(done.get("sendFailed").asLong()).isZero();

        // Every message reached the remote, none twice (the route may still be draining its queue).
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries().size() >= ROWS);
        Map<String, Long> perMessage = deliveries().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(perMessage).hasSize(ROWS);
        assertThat(perMessage.values()).allMatch(count -> count == 1);
        assertThat(new JdbcTemplate(database.dataSource()).queryForObject(
                "SELECT COUNT(*) FROM failed_message WHERE status = 'REPLAYED'", Long.class)).isEqualTo(ROWS);
    }

    /** Rows as the error policy stores them for the test route's queue, each with its own message id. */
    private static void insertFailedMessages(JdbcTemplate jdbc) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(new Object[] {"{\"n\":" + i + "}", "{\"messageId\":\"m" + i + "\"}", now, now});
        }
        jdbc.batchUpdate("INSERT INTO failed_message (route_id, entry_endpoint, failed_step, body, headers, error_class, "
                + "error_message, attempts, first_failed_at, last_failed_at, status) VALUES ('remote-delivery', "
                + "'jms:queue:test.remote-delivery', 'step', ?, ?, 'java.lang.IllegalStateException', 'test failure', 1, ?, ?, "
                + "'FAILED')", rows);
    }

    private static List<String> deliveries() {
        return remote.getAllServeEvents().stream().map(event -> event.getRequest()).map(LoggedRequest::getUrl)
                .filter(url -> url.startsWith("/deliver/")).toList();
    }

    private static OpsClient ops() {
        return new OpsClient(EngineLauncher.baseUrl(engine), EngineTest.OPS_TOKEN);
    }

    private static JsonNode job(long id) {
        return ops().get("/ops/api/replay-jobs/" + id).json();
    }
}
