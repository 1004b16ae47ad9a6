package dev.vtexbridge.erp;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import dev.vtexbridge.config.ErpChangeTriggersTest;
import dev.vtexbridge.testkit.EmbeddedPostgresSupport;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SQL change-table trigger on a real PostgreSQL, as several engine instances run it: the trigger URI is the one
 * start-up derives for a PostgreSQL ERP (application.yaml, BridgeEnvironmentDefaults), each instance is a Camel context
 * of its own with its own connection pool polling it. Every change is handed over exactly once; a change claimed by an
 * instance that stopped before handing it over is taken by another once the lease ran out; a change whose hand-over
 * failed is released at once and taken at the next poll.
 */
class ErpChangeClaimsIT {

    private static EmbeddedPostgresSupport.Database erpDb;
    private static JdbcTemplate erp;

    /** change_id -> the instances it was handed to, in order. */
    private final Map<Long, ConcurrentLinkedQueue<String>> handedOver = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Instance> instances = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void erpSchema() {
        erpDb = EmbeddedPostgresSupport.newDatabase();
        Flyway.configure().dataSource(erpDb.dataSource()).locations("classpath:db/erp")
                .placeholders(Map.of("demo_changes", "false")).load().migrate();
        erp = new JdbcTemplate(erpDb.dataSource());
    }

    @AfterEach
    void stopInstances() {
        instances.forEach(Instance::stop);
    }

    @Test
    void twoInstancesHandOverEveryChangeExactlyOnce() throws Exception {
        int changes = 3000;
        erp.update("INSERT INTO erp_change (entity, sku_id, changed_at) "
                + "SELECT 'stock', 'SKU-' || (g % 400), now() FROM generate_series(1, ?) g", changes);
        String trigger = trigger("stock", "60s");
        assertThat(trigger).contains("FOR UPDATE SKIP LOCKED");

        Instance a = start("a", trigger, null);
        Instance b = start("b", trigger, null);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> pending("stock") == 0);
        a.stop();
        b.stop();

        assertThat(handedOver).hasSize(changes);
        assertThat(handedOver.values()).allSatisfy(to -> assertThat(to).hasSize(1));
        // both instances did a share of the work, and each got its batches in change order
        assertThat(a.handed.get()).isPositive();
        assertThat(b.handed.get()).isPositive();
        assertThat(a.handed.get() + b.handed.get()).isEqualTo(changes);
        assertThat(a.outOfOrder.get() + b.outOfOrder.get()).isZero();
        assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_change WHERE entity = 'stock' AND processed_at IS NOT NULL",
                Integer.class)).isEqualTo(changes);
    }

    @Test
    void aClaimThatRanOutIsTakenByAnotherInstance() throws Exception {
        erp.update("INSERT INTO erp_change (entity, sku_id, changed_at) "
                + "SELECT 'price', 'SKU-' || g, now() FROM generate_series(1, 5) g");
        String trigger = trigger("price", "2s");

        // An instance claims the rows with the trigger's own statement, then stops before handing them over.
        long claimedAt = System.nanoTime();
        List<Map<String, Object>> claimed = erp.queryForList(trigger.substring("sql:".length(), trigger.indexOf('?')));
        assertThat(claimed).hasSize(5);
        assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_change WHERE entity = 'price' AND claimed_until > now()",
                Integer.class)).isEqualTo(5);

        Instance other = start("other", trigger, null);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> pending("price") == 0);

        assertThat(handedOver).hasSize(5);
        assertThat(handedOver.values()).allSatisfy(to -> assertThat(to).containsExactly("other"));
        // not before the lease ran out (the database's clock sets it, the test's measures it: a little slack)
        assertThat(Duration.ofNanos(other.firstHandOver.get() - claimedAt)).isGreaterThan(Duration.ofMillis(1900));
    }

    @Test
    void aChangeWhoseHandOverFailedIsTakenAgainAtTheNextPoll() throws Exception {
        long failing = erp.queryForObject("INSERT INTO erp_change (entity, sku_id, changed_at) "
                + "VALUES ('catalog', 'SKU-1', now()) RETURNING change_id", Long.class);
        erp.update("INSERT INTO erp_change (entity, sku_id, changed_at) VALUES ('catalog', 'SKU-2', now())");
        String trigger = trigger("catalog", "60s");

        AtomicInteger attempts = new AtomicInteger();
        long started = System.nanoTime();
        start("a", trigger, exchange -> {
            if (changeIds(exchange).contains(failing) && attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("channel unavailable");
            }
        });
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> pending("catalog") == 0);

        assertThat(attempts.get()).isEqualTo(2);
        assertThat(handedOver.get(failing)).hasSize(2);
        // released by onConsumeFailed, not left for the 60 s lease
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_change WHERE entity = 'catalog' AND processed_at IS NULL",
                Integer.class)).isZero();
    }

    /** The trigger start-up derives for this PostgreSQL ERP, polling quickly in small batches. */
    private static String trigger(String entity, String lease) throws IOException {
        return ErpChangeTriggersTest.environment(Map.of(
                "bridge.erp.datasource.url", erpDb.jdbcUrl(),
                "bridge.erp.poll-interval", "20",
                "bridge.erp.poll-batch", "100",
                "bridge.erp.claim-lease", lease)).getProperty("bridge." + entity + ".trigger");
    }

    private static int pending(String entity) {
        return erp.queryForObject("SELECT COUNT(*) FROM erp_change WHERE entity = ? AND processed_at IS NULL",
                Integer.class, entity);
    }

    /** One poll is one exchange: the ids of its rows, in the order read. */
    private static List<Long> changeIds(Exchange exchange) {
        List<?> rows = exchange.getIn().getBody(List.class);
        return rows.stream().map(row -> ((Number) ((Map<?, ?>) row).get("change_id")).longValue()).toList();
    }

    private Instance start(String name, String trigger, HandOver handOver) throws Exception {
        Instance instance = new Instance(name, trigger, handOver);
        instances.add(instance);
        return instance;
    }

    @FunctionalInterface
    interface HandOver {
        void accept(Exchange exchange) throws Exception;
    }

    /** One engine instance's trigger: its own Camel context, camel-sql component and ERP connection pool. */
    private final class Instance {

        final AtomicInteger handed = new AtomicInteger();
        final AtomicInteger outOfOrder = new AtomicInteger();
        final AtomicLong firstHandOver = new AtomicLong();
        private final HikariDataSource pool = new HikariDataSource();
        private final DefaultCamelContext camel = new DefaultCamelContext();

        Instance(String name, String trigger, HandOver handOver) throws Exception {
            pool.setJdbcUrl(erpDb.jdbcUrl());
            pool.setUsername(erpDb.username());
            pool.setPassword(erpDb.password());
            pool.setMaximumPoolSize(4);
            SqlComponent sql = new SqlComponent();
            sql.setDataSource(pool);
            camel.getRegistry().bind("sql", sql);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(trigger).routeId("trigger-" + name).process(exchange -> {
                        List<Long> ids = changeIds(exchange);
                        // what ErpEvents.read leaves for the trigger's mark-processed (or release) statement
                        exchange.setVariable(ErpEvents.CHANGE_IDS, ids);
                        for (int i = 1; i < ids.size(); i++) {
                            if (ids.get(i) <= ids.get(i - 1)) {
                                outOfOrder.incrementAndGet();
                            }
                        }
                        firstHandOver.compareAndSet(0, System.nanoTime());
                        ids.forEach(id -> handedOver.computeIfAbsent(id, key -> new ConcurrentLinkedQueue<>()).add(name));
                        if (handOver != null) {
                            handOver.accept(exchange);
                        }
                        handed.addAndGet(ids.size());
                    });
                }
            });
            camel.start();
        }

        void stop() {
            camel.stop();
            pool.close();
        }
    }
}
