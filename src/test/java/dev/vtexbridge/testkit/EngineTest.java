package dev.vtexbridge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Base of the full-engine tests: the whole application on a random port with its real embedded engines (H2 file
 * database with Flyway, embedded Artemis with a persistent journal, Camel with the routes under routes/), plus the
 * test routes under src/test/resources/test-routes and one WireMock server standing in for every remote system.
 * Every subclass shares one Spring context, hence one broker per test JVM: do not add per-class properties here.
 * The engine reads a copy of {@code mappings/} ({@link #mappingsDir()}), so a test may edit mapping files there without
 * touching the project's.
 * Metrics are exported as in production (Spring Boot turns that off in tests unless asked), so /actuator/prometheus
 * answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
@ActiveProfiles("test")
public abstract class EngineTest {

    public static final String OPS_TOKEN = "test-ops-token";
    public static final String VTEX_APP_TOKEN = "TEST-VTEX-APP-TOKEN-never-stored";

    /** The remote systems (VTEX, ERP, marketplaces) the flows call. Reset before each test. */
    protected static final WireMockServer remote = new WireMockServer(options().dynamicPort());
    private static final String DATA_DIR = "target/test-data/" + UUID.randomUUID();
    private static final Path MAPPINGS = Path.of(DATA_DIR, "mappings");

    static {
        remote.start();
        Runtime.getRuntime().addShutdownHook(new Thread(remote::stop));
        copy(Path.of("mappings"), MAPPINGS);
    }

    @DynamicPropertySource
    static void engineProperties(DynamicPropertyRegistry registry) {
        registry.add("bridge.data-dir", () -> DATA_DIR);
        // the location the engine reads, set itself: bridge.mappings-dir only derives it
        registry.add("bridge.mappings-location", () -> MAPPINGS.toAbsolutePath().toUri().toString().replaceAll("/?$", "/"));
        registry.add("test.remote-url", remote::baseUrl);
    }

    /** The mappings folder the engine reads (reloaded within {@code bridge.mappings.reload-interval}). */
    protected static Path mappingsDir() {
        return MAPPINGS;
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @BeforeEach
    void resetRemote() {
        remote.resetAll();
        // the test profile's second seller connection, outlet, is told of every ERP change too: its VTEX account
        // accepts notifications and has every SKU bound unless a test stubs otherwise (a stub of default priority wins)
        remote.stubFor(post(urlMatching("/vtex-outlet/api/notificator/.*")).atPriority(10).willReturn(aResponse().withStatus(202)));
        remote.stubFor(post(urlMatching("/vtex-outlet/api/sku-binding/pvt/skuseller/changenotification/.*")).atPriority(10)
                .willReturn(aResponse().withStatus(200)));
    }

    protected String engineUrl(String path) {
        return "http://localhost:" + port + path;
    }
}
