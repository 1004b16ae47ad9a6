package dev.vtexbridge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.flywaydb.core.Flyway;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Two engine instances in one test JVM, as two would run in production: one PostgreSQL (the engine's database and
 * the ERP's, each shared by both) and one Kafka for the channels. Neither runs an embedded Artemis broker (a JVM holds
 * one at most), and only the real routes are loaded.
 * <p>
 * Both call one WireMock stand-in for VTEX and the marketplaces, instance {@code a} under the path prefix {@code /a}
 * and instance {@code b} under {@code /b} (their {@code test.remote-url}), so a test can tell which instance made a
 * call. The ERP holds the documented schema without the demo catalog; tests write the rows they need.
 */
public final class TwoEngines implements AutoCloseable {

    public final WireMockServer remote;
    public final EmbeddedPostgresSupport.Database engineDb;
    public final EmbeddedPostgresSupport.Database erpDb;
    public final JdbcTemplate erp;
    /** The first instance, in this JVM. */
    public ConfigurableApplicationContext a;
    /** The second instance in this JVM; null until {@link #startSecond} when started with {@link #startFirst}. */
    public ConfigurableApplicationContext b;
    /** The second instance in a JVM of its own, when started with {@link #startWithChild}. */
    public ChildEngine child;
    private final String brokers;
    private final Map<String, String> properties;

    private TwoEngines(WireMockServer remote, EmbeddedPostgresSupport.Database engineDb,
                       EmbeddedPostgresSupport.Database erpDb, String brokers, Map<String, String> properties) {
        this.remote = remote;
        this.engineDb = engineDb;
        this.erpDb = erpDb;
        this.erp = new JdbcTemplate(erpDb.dataSource());
        this.brokers = brokers;
        this.properties = properties;
    }

    /**
     * Starts WireMock, fresh databases and both instances (one after the other, so the first runs the migrations
     * alone) on the Kafka at {@code brokers}; {@code properties} go to both.
     */
    public static TwoEngines start(String brokers, Map<String, String> properties) {
        TwoEngines engines = startFirst(brokers, properties);
        engines.startSecond();
        return engines;
    }

    /** The same with instance {@code a} only; {@link #startSecond} adds {@code b}. */
    public static TwoEngines startFirst(String brokers, Map<String, String> properties) {
        TwoEngines engines = prepare(brokers, properties);
        engines.a = EngineLauncher.start("instance-a", engines.properties("a"));
        return engines;
    }

    /**
     * Instance {@code a} in this JVM and instance {@code b} in a JVM of its own ({@link ChildEngine}, output in
     * {@code target/instance-b.log}), started at the same time as replicas of a deployment are (the migrations and
     * the Quartz cluster sort that out between them): a test can halt {@code b} with SIGKILL. {@link #close} stops it.
     */
    public static TwoEngines startWithChild(String brokers, Map<String, String> properties) {
        TwoEngines engines = prepare(brokers, properties);
        engines.child = engines.launchChild();
        engines.a = EngineLauncher.start("instance-a", engines.properties("a"));
        engines.child.awaitUp();
        return engines;
    }

    /** WireMock and fresh databases, the ERP's migrated without its demo catalog. */
    private static TwoEngines prepare(String brokers, Map<String, String> properties) {
        WireMockServer remote = new WireMockServer(options().dynamicPort().asynchronousResponseEnabled(true)
                .containerThreads(64));
        remote.start();
        EmbeddedPostgresSupport.Database engineDb = EmbeddedPostgresSupport.newDatabase();
        EmbeddedPostgresSupport.Database erpDb = EmbeddedPostgresSupport.newDatabase();
        Flyway.configure().dataSource(erpDb.dataSource()).locations("classpath:db/erp")
                .placeholders(Map.of("demo_changes", "false")).load().migrate();
        JdbcTemplate erp = new JdbcTemplate(erpDb.dataSource());
        for (String table : List.of("erp_attribute", "erp_sku_image", "erp_price", "erp_stock", "erp_change", "erp_sku",
                "erp_product")) {
            erp.update("DELETE FROM " + table);
        }
        return new TwoEngines(remote, engineDb, erpDb, brokers, properties);
    }

    public void startSecond() {
        b = EngineLauncher.start("instance-b", properties("b"));
    }

    /**
     * Starts instance {@code b} in a process of its own (a new one, on a new port) and waits until it is up
     * ({@code ready}: its health says UP, every consumer included) or only alive (its liveness says UP).
     */
    public ChildEngine startChild(boolean ready) {
        child = launchChild();
        return ready ? child.awaitUp() : child.awaitLive();
    }

    private ChildEngine launchChild() {
        try {
            return ChildEngine.launch("instance-b", "1g", properties("b"));
        } catch (IOException e) {
            throw new UncheckedIOException("instance b did not start as a process of its own", e);
        }
    }

    private Map<String, String> properties(String instance) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("test.remote-url", remote.baseUrl() + "/" + instance);
        all.put("spring.datasource.url", engineDb.jdbcUrl());
        all.put("spring.datasource.username", engineDb.username());
        all.put("spring.datasource.password", engineDb.password());
        all.put("bridge.erp.datasource.url", erpDb.jdbcUrl());
        all.put("bridge.erp.datasource.username", erpDb.username());
        all.put("bridge.erp.datasource.password", erpDb.password());
        all.put("bridge.erp.migrate", "true");
        all.put("bridge.kafka.brokers", brokers);
        all.put("spring.artemis.embedded.enabled", "false");
        all.put("management.health.jms.enabled", "false");
        // the test profile's marketplace connection whose orders come from a JMS queue
        all.put("bridge.connections.shop-queue.enabled", "false");
        all.put("camel.main.routes-include-pattern", "${bridge.routes-location}**/*.camel.yaml");
        // Both contexts in one JVM: JMX would name the second "vtex-bridge-1", the name its Quartz component files
        // itself under, and a clustered job the first instance scheduled (naming "vtex-bridge") would not find it there.
        all.put("camel.main.jmx-enabled", "false");
        all.putAll(properties);
        return all;
    }

    public String url(ConfigurableApplicationContext engine) {
        return EngineLauncher.baseUrl(engine);
    }

    @Override
    public void close() {
        if (child != null) {
            child.close();
        }
        for (ConfigurableApplicationContext engine : new ConfigurableApplicationContext[] {b, a}) {
            if (engine == null) {
                continue;
            }
            try {
                engine.close(); // a second close (a test stopped it) does nothing
            } catch (RuntimeException e) {
                // the other one still closes
            }
        }
        remote.stop();
    }
}
