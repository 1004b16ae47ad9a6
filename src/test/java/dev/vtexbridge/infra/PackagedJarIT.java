package dev.vtexbridge.infra;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.testkit.PackagedEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged engine runs on its own: {@code java -jar target/vtex-bridge.jar} started in an empty folder (so there is
 * no ./routes, ./mappings or ./data and the flows bundled in the jar are used) comes up healthy with its embedded
 * database, broker and VTEX sandbox, publishes Camel metrics, and guards the ops API with a generated token.
 * <p>
 * The engine is a separate process ({@link PackagedEngine}); its output goes to target/packaged-jar-it.log.
 */
class PackagedJarIT {

    private static final String TOKEN_LINE = "the ops API token for this run is:";
    private static final ObjectMapper json = new ObjectMapper();

    @TempDir
    static Path workDir;
    private static PackagedEngine engine;

    @BeforeAll
    static void startPackagedEngine() throws IOException {
        engine = PackagedEngine.start("packaged-jar-it", workDir, "512m", Map.of());
        System.out.printf("PackagedJarIT: java -jar healthy after %d ms%n", engine.startMillis());
    }

    @AfterAll
    static void stopPackagedEngine() throws InterruptedException {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void runsTheBundledFlowsFromAnEmptyFolder() {
        assertThat(workDir.resolve("routes")).doesNotExist();
        assertThat(workDir.resolve("data")).as("embedded database and journal under ./data").isDirectory();
        assertThat(log()).contains("Started deferred-delivery");
    }

    @Test
    void databaseBrokerAndCamelAreHealthy() throws Exception {
        // Health details are for operators: the open answer is the status alone.
        assertThat(json.readTree(get("/actuator/health").body()).has("components")).isFalse();
        JsonNode components = json.readTree(engine.get("/actuator/health", "Bearer " + generatedOpsToken()).body())
                .path("components");

        assertThat(components.path("db").path("status").asText()).as("db").isEqualTo("UP");
        assertThat(components.path("jms").path("status").asText()).as("jms").isEqualTo("UP");
        // Camel Spring Boot contributes "camelHealth" (all Camel health checks) and the liveness/readiness probes.
        assertThat(components.path("camelHealth").path("status").asText()).as("camelHealth").isEqualTo("UP");
        assertThat(components.path("camelHealth").path("details").path("context.data").path("context.status").asText())
                .as("Camel context status").isEqualTo("Started");
        assertThat(components.path("camelReadinessState").path("status").asText()).as("camel readiness").isEqualTo("UP");
    }

    @Test
    void theSandboxRunHasASecondMarketplaceWithItsOwnOverlay() throws Exception {
        JsonNode connections = json.readTree(engine.get("/ops/api/connections", "Bearer " + generatedOpsToken()).body());
        assertThat(connections.path("items").findValuesAsText("id")).containsExactlyInAnyOrder("default", "outlet", "shop");
        JsonNode mappings = json.readTree(engine.get("/ops/api/mappings", "Bearer " + generatedOpsToken()).body());
        assertThat(mappings.findValuesAsText("file")).as("the overlay bundled in the jar")
                .contains("connections/outlet/price-rules.yaml", "connections/outlet/stock-rules.yaml");
    }

    @Test
    void theSandboxStoresSkusReachTheSimulatedExternalMarketplace() {
        // the first reconciliation of connection shop lists the simulated store's SKUs; each is published as an offer
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode offers = json.readTree(get("/sandbox/api/marketplace/offers?connection=shop").body());
            assertThat(offers.findValuesAsText("skuId")).contains("2001773", "2001778");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode listings = json.readTree(engine.get("/ops/api/offers?connection=shop&status=listed",
                    "Bearer " + generatedOpsToken()).body());
            assertThat(listings.path("counts").path("listed").asInt()).isEqualTo(6);
        });
    }

    @Test
    void prometheusShowsCamelRouteMetrics() throws Exception {
        HttpResponse<String> prometheus = get("/actuator/prometheus");

        assertThat(prometheus.statusCode()).isEqualTo(200);
        List<String> lines = prometheus.body().lines().toList();
        // One exchange counter per route (route policy metrics), tagged with the route id.
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .startsWith("camel_exchanges_total{")
                .contains("routeId=\"deferred-delivery\""));
        assertThat(lines).anySatisfy(line -> {
            assertThat(line).startsWith("camel_routes_running_routes{");
            assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).isPositive();
        });
    }

    @Test
    void sandboxApiAnswers() throws Exception {
        HttpResponse<String> calls = get("/sandbox/api/calls");

        assertThat(calls.statusCode()).isEqualTo(200);
        assertThat(calls.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(json.readTree(calls.body()).isArray()).as("calls is a JSON array").isTrue();
    }

    @Test
    void opsApiNeedsTheGeneratedToken() throws Exception {
        HttpResponse<String> failed = get("/ops/api/failed");

        assertThat(failed.statusCode()).isEqualTo(401);
        assertThat(failed.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(log().lines().filter(line -> line.contains(TOKEN_LINE)).count())
                .as("log lines announcing the generated ops token")
                .isEqualTo(1);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return engine.get(path, null);
    }

    /** The ops token the engine generated and logged once. */
    private static String generatedOpsToken() {
        String line = engine.log().lines().filter(text -> text.contains(TOKEN_LINE)).findFirst().orElseThrow();
        return line.substring(line.indexOf(TOKEN_LINE) + TOKEN_LINE.length()).trim();
    }

    private static String log() {
        return engine.log();
    }
}
