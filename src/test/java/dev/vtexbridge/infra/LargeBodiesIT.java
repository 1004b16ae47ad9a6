package dev.vtexbridge.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.testkit.PackagedEngine;
import dev.vtexbridge.testkit.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The probe's large bodies against the packaged engine on a small heap ({@code -Xmx256m}): four parallel 100 MB
 * bodies, announced and chunked, with and without credentials, to every HTTP entry point, and a dropped file larger
 * than the drop limit. Each gets its refusal, and afterwards the engine is healthy with no {@code OutOfMemoryError}.
 */
class LargeBodiesIT {

    private static final long HUNDRED_MB = 100L * 1024 * 1024;
    private static final String OPS = "Authorization: Bearer it-ops-token\n";
    private static final String ERP = "Authorization: Bearer it-erp-token\n";
    private static final String SELLER = "X-VTEX-API-AppKey: it-seller-key\nX-VTEX-API-AppToken: it-seller-token\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;
    private static PackagedEngine engine;

    @BeforeAll
    static void startOnASmallHeap() throws IOException {
        engine = PackagedEngine.start("large-bodies-it", workDir, "256m", Map.of(
                "BRIDGE_OPS_TOKEN", "it-ops-token",
                "BRIDGE_ERP_WEBHOOK_TOKEN", "it-erp-token",
                "BRIDGE_SELLER_APP_KEY", "it-seller-key",
                "BRIDGE_SELLER_APP_TOKEN", "it-seller-token"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (engine != null) {
            engine.close();
        }
    }

    /** Entry point, the credentials it takes, and what four parallel 100 MB bodies get with and without them. */
    record EntryPoint(String requestLine, String credentials, int withoutCredentials) {
    }

    @Test
    void everyEntryPointRefusesHundredMegabyteBodiesAndTheEngineStaysHealthy() throws Exception {
        List<EntryPoint> entryPoints = List.of(
                new EntryPoint("POST /seller/pvt/orderForms/simulation", SELLER, 401),
                new EntryPoint("POST /seller/pvt/orders", SELLER, 401),
                new EntryPoint("POST /seller/pvt/orders/1-01/cancel", SELLER, 401),
                new EntryPoint("POST /erp/events/stock", ERP, 401),
                new EntryPoint("POST /ops/api/projection", OPS, 401),
                new EntryPoint("POST /actuator/camelroutes/deferred-delivery/stop", OPS, 401),
                new EntryPoint("POST /sandbox/vtex/api/oms/pvt/orders/1-01/invoice", "", 413),
                new EntryPoint("POST /no/such/path", "", 413));
        for (EntryPoint entry : entryPoints) {
            for (boolean chunked : new boolean[]{false, true}) {
                if (!entry.credentials().isEmpty()) {
                    assertThat(fourInParallel(entry.requestLine(), "", chunked)).as(entry + " without credentials, chunked " + chunked)
                            .containsOnly(entry.withoutCredentials());
                }
                // 503 when the bodies being read already hold bridge.http.max-buffered-bytes.
                assertThat(fourInParallel(entry.requestLine(), entry.credentials(), chunked)).as(entry + ", chunked " + chunked)
                        .contains(413).isSubsetOf(413, 503);
            }
        }

        // A dropped stock file of 100 MB: not loaded, noted in the failed-message store.
        Path drop = workDir.resolve("data").resolve("erp-drop").resolve("stock");
        Files.createDirectories(drop);
        try (var out = Files.newOutputStream(drop.resolve("huge.tmp"))) {
            out.write("sku,warehouse,quantity,updatedAt\n".getBytes());
            RawHttp.filler(HUNDRED_MB).transferTo(out);
        }
        Files.move(drop.resolve("huge.tmp"), drop.resolve("huge.csv"));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                engine.get("/ops/api/failed", "Bearer it-ops-token").body().contains("drop-max-file-bytes"));

        assertThat(engine.isAlive()).isTrue();
        JsonNode health = JSON.readTree(engine.get("/actuator/health", "Bearer it-ops-token").body());
        assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("UP");
        assertThat(engine.log()).doesNotContain("OutOfMemoryError");
    }

    /** The statuses four connections get, each sending a 100 MB body at once. */
    private static List<Integer> fourInParallel(String requestLine, String credentials, boolean chunked) throws Exception {
        String head = requestLine + " HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n" + credentials
                + (chunked ? "Transfer-Encoding: chunked\n" : "Content-Length: " + HUNDRED_MB + "\n");
        List<RawHttp> connections = new ArrayList<>();
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                RawHttp connection = RawHttp.send(engine.port(), head, new byte[0]);
                connections.add(connection);
                senders.add(connection.stream(RawHttp.filler(HUNDRED_MB), chunked));
            }
            List<Integer> statuses = new ArrayList<>();
            for (RawHttp connection : connections) {
                String answer = connection.answer(Duration.ofSeconds(30));
                statuses.add(answer == null ? -1 : RawHttp.status(answer));
            }
            return statuses;
        } finally {
            for (RawHttp connection : connections) {
                connection.close();
            }
            senders.forEach(sender -> sender.cancel(true));
        }
    }
}
