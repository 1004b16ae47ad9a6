package dev.vtexbridge.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged engine ({@code java -jar target/vtex-bridge.jar}) as a separate process on the test JVM's own java,
 * started in an empty folder with none of the build's engine settings: what a user gets. Its output goes to a log
 * file under target/.
 */
public final class PackagedEngine implements AutoCloseable {

    private static final Path JAR = Path.of("target", "vtex-bridge.jar").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** Environment variables that would configure the engine; the child gets none of them from the build. */
    private static final List<String> ENGINE_ENV_PREFIXES = List.of("BRIDGE_", "SPRING_", "SERVER_", "CAMEL_", "MANAGEMENT_", "LOGGING_", "JAVA_TOOL_OPTIONS");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process process;
    private final Path log;
    private final int port;
    private long startMillis;

    private PackagedEngine(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the jar with a heap of {@code heap} (e.g. "512m") and {@code env} added, and waits until it is UP. */
    public static PackagedEngine start(String name, Path workDir, String heap, Map<String, String> env) throws IOException {
        assertThat(JAR).as("the packaged jar (built by `package` before failsafe runs)").isRegularFile();
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        int port = FreePorts.next();
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap, "-jar", JAR.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(variable -> ENGINE_ENV_PREFIXES.stream().anyMatch(variable::startsWith));
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().putAll(env);

        long start = System.nanoTime();
        PackagedEngine engine = new PackagedEngine(builder.start(), log, port);
        await("the packaged engine reports UP on /actuator/health (output: " + log + ")")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!engine.process.isAlive()) {
                        throw new IllegalStateException("the engine exited with code " + engine.process.exitValue()
                                + "; last output:\n" + engine.tail());
                    }
                    return engine.isUp();
                });
        engine.startMillis = (System.nanoTime() - start) / 1_000_000;
        return engine;
    }

    public int port() {
        return port;
    }

    public long startMillis() {
        return startMillis;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether the open health endpoint says UP. */
    public boolean isUp() throws IOException, InterruptedException {
        HttpResponse<String> health = get("/actuator/health", null);
        return health.statusCode() == 200 && "UP".equals(JSON.readTree(health.body()).path("status").asText());
    }

    public HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Everything the engine has printed so far. */
    public String log() {
        return new ProcessOutput(log).all();
    }

    public String tail() {
        return new ProcessOutput(log).tail();
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
