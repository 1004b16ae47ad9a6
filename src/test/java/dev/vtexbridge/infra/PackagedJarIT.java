package dev.vtexbridge.infra;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The engine is a separate process on the test JVM's own java; its output goes to target/packaged-jar-it.log.
 */
class PackagedJarIT {

    private static final Path JAR = Path.of("target", "vtex-bridge.jar").toAbsolutePath();
    private static final Path LOG = Path.of("target", "packaged-jar-it.log").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String TOKEN_LINE = "the ops API token for this run is:";
    /** Environment variables that would configure the engine; the child gets none of them from the build. */
    private static final List<String> ENGINE_ENV_PREFIXES = List.of("BRIDGE_", "SPRING_", "SERVER_", "CAMEL_", "MANAGEMENT_", "LOGGING_", "JAVA_TOOL_OPTIONS");

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper json = new ObjectMapper();

    @TempDir
    static Path workDir;
    private static Process engine;
    private static int port;
    private static long startMillis;

    @BeforeAll
    static void startPackagedEngine() throws IOException {
        assertThat(JAR).as("the packaged jar (built by `package` before failsafe runs)").isRegularFile();
        port = freePort();

        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", JAR.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(LOG.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> ENGINE_ENV_PREFIXES.stream().anyMatch(name::startsWith));
        env.put("SERVER_PORT", Integer.toString(port));

        long start = System.nanoTime();
        engine = builder.start();
        await("the packaged engine reports UP on /actuator/health (output: " + LOG + ")")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!engine.isAlive()) {
                        throw new IllegalStateException("the engine exited with code " + engine.exitValue() + "; last output:\n" + tail());
                    }
                    HttpResponse<String> health = get("/actuator/health");
                    return health.statusCode() == 200 && "UP".equals(json.readTree(health.body()).path("status").asText());
                });
        startMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("PackagedJarIT: java -jar healthy after %d ms%n", startMillis);
    }

    @AfterAll
    static void stopPackagedEngine() throws InterruptedException {
        if (engine == null) {
            return;
        }
        engine.descendants().forEach(ProcessHandle::destroy);
        engine.destroy();
        if (!engine.waitFor(30, TimeUnit.SECONDS)) {
            engine.destroyForcibly();
            engine.waitFor(10, TimeUnit.SECONDS);
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
        JsonNode components = json.readTree(get("/actuator/health").body()).path("components");

        assertThat(components.path("db").path("status").asText()).as("db").isEqualTo("UP");
        assertThat(components.path("jms").path("status").asText()).as("jms").isEqualTo("UP");
        // Camel Spring Boot contributes "camelHealth" (all Camel health checks) and the liveness/readiness probes.
        assertThat(components.path("camelHealth").path("status").asText()).as("camelHealth").isEqualTo("UP");
        assertThat(components.path("camelHealth").path("details").path("context.data").path("context.status").asText())
                .as("Camel context status").isEqualTo("Started");
        assertThat(components.path("camelReadinessState").path("status").asText()).as("camel readiness").isEqualTo("UP");
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
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String log() {
        try {
            return Files.readString(LOG, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + LOG, e);
        }
    }

    private static String tail() {
        List<String> lines = log().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
