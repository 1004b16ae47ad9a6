package dev.vtexbridge.testkit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.VtexBridgeApplication;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * An engine instance in a JVM of its own, built from the same classes as the test: the test JVM's {@code java} and
 * class path (and JIT setting), main class {@link VtexBridgeApplication}, profile {@code test}, its properties as {@code --key=value}
 * arguments (as {@link EngineLauncher} passes them), a free port on 127.0.0.1 and a fresh data folder. Its output
 * goes to {@code target/<name>.log}.
 * <p>
 * What an engine in the test JVM cannot do: die. {@link #kill()} halts the process with SIGKILL, so it gets no
 * chance to stop its flows, commit its Kafka offsets, sign off in {@code engine_instance} or release its ERP
 * claims, as when a machine or container is lost.
 * <p>
 * Under failsafe the class path may be a single manifest-only jar (surefirebooter): passed on as it is, its
 * manifest's {@code Class-Path} is honoured by the child's {@code java} too.
 */
public final class ChildEngine implements AutoCloseable {

    /** The test profile's ops token (application-test.yaml). */
    private static final String OPS_TOKEN = "test-ops-token";
    /** A start here takes 20 s on a quiet machine, over 2 minutes next to a busy survivor holding 100,000 SKUs. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final String HOST = "127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private ChildEngine(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts the engine with a heap of {@code heap} (e.g. "1g") and {@code properties} (which may not set the port,
     * address or data folder), and waits until its health endpoint says UP.
     */
    public static ChildEngine start(String name, String heap, Map<String, String> properties) throws IOException {
        return launch(name, heap, properties).awaitUp();
    }

    /** Starts the engine as {@link #start} does, without waiting for it: {@link #awaitUp} does. */
    public static ChildEngine launch(String name, String heap, Map<String, String> properties) throws IOException {
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        int port = FreePorts.next();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("spring.profiles.active", "test");
        all.put("server.address", HOST);
        all.put("server.port", Integer.toString(port));
        all.put("bridge.data-dir", EngineLauncher.freshDataDir(name).toString());
        all.put("test.remote-url", "http://localhost:9");
        all.putAll(properties);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
        // the test JVM's JIT settings (the build's ITs start on C1 only: pom.xml it.jit), so both instances compile alike
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("-XX:TieredStopAtLevel")
                        || argument.startsWith("-XX:ReservedCodeCacheSize"))
                .forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), VtexBridgeApplication.class.getName()));
        all.forEach((key, value) -> command.add("--" + key + "=" + value));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ChildEngine(name, process, log, port);
    }

    /** Waits until the health endpoint says UP; halts the engine when it exits or does not come up in time. */
    public ChildEngine awaitUp() {
        return awaitHealth("/actuator/health");
    }

    /**
     * Waits until the liveness probe says UP (the engine started; its consumers may still be joining their groups);
     * halts the engine when it exits or does not come up in time.
     */
    public ChildEngine awaitLive() {
        return awaitHealth("/actuator/health/liveness");
    }

    private ChildEngine awaitHealth(String health) {
        try {
            await(name + " reports UP on " + health + " (output: " + log + ")")
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(name + " exited with code " + process.exitValue()
                                    + "; last output:\n" + tail());
                        }
                        return isUp(health);
                    });
        } catch (ConditionTimeoutException e) {
            String threads = threadDump();
            String details = healthDetails();
            kill();
            // the output is not kept where the build ran: its end goes into the failure
            throw new IllegalStateException(e.getMessage() + "; its health: " + details + "; its threads: " + threads
                    + "; last output:\n" + tail(), e);
        } catch (RuntimeException | Error e) {
            kill();
            throw e;
        }
        return this;
    }

    public String name() {
        return name;
    }

    /** Which health contributor is not UP: the details the test profile's ops token ({@code bridge.ops.token}) may read. */
    private String healthDetails() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                    .header("Authorization", "Bearer " + OPS_TOKEN).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "not read (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not read (interrupted)";
        }
    }

    /** What every thread of the engine is doing, in {@code target/<name>-threads.txt}: why it did not come up. */
    private String threadDump() {
        Path dump = log.resolveSibling(name + "-threads.txt");
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).redirectOutput(dump.toFile()).start();
            jcmd.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            return "none (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return dump.toString();
    }

    public long pid() {
        return process.pid();
    }

    public String baseUrl() {
        return "http://" + HOST + ":" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether the open health endpoint (or one of its groups) answers UP. */
    private boolean isUp(String endpoint) throws IOException, InterruptedException {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + endpoint))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return health.statusCode() == 200 && "UP".equals(JSON.readTree(health.body()).path("status").asText());
    }

    /**
     * Halts the engine (SIGKILL: no shutdown hook, no graceful stop) and waits until the process is gone.
     *
     * @throws IllegalStateException when it is still there after the timeout
     */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") still runs after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
        }
    }

    /** Everything the engine has printed so far. */
    public String log() {
        return new ProcessOutput(log).all();
    }

    public String tail() {
        return new ProcessOutput(log).tail();
    }

    /** Stops the engine as an operator would (SIGTERM, graceful), and halts it if it has not exited in time. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }
}
