package dev.vtexbridge.infra;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vtexbridge.errors.DeferredDeliveries;
import dev.vtexbridge.errors.SecretRedactor;
import dev.vtexbridge.marketplace.NotificationWindow;
import dev.vtexbridge.sync.OfferSyncStore;
import dev.vtexbridge.testkit.EmbeddedPostgresSupport;
import org.apache.camel.ProducerTemplate;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;

/**
 * The schedules that run on every engine instance claim their rows, so two instances running one at the same moment
 * never do one row's work twice: deferred deliveries and marketplace notification windows (row locked, {@code FOR
 * UPDATE SKIP LOCKED}: a row another instance holds is skipped, not waited for) and binding re-checks (a conditional
 * update). Each on PostgreSQL (embedded) and on the H2 default, with the engine's migrations; two "instances" are
 * two threads sharing the database, started together.
 */
class RowClaimsTest {

    private static final int ROWS = 60;
    private final Clock clock = Clock.systemUTC();
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void deferredDeliveriesAreSentOnceByTwoInstancesAndALockedOneIsSkipped() throws Exception {
        for (DataSource db : databases()) {
            JdbcTemplate jdbc = new JdbcTemplate(db);
            ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();
            Supplier<DeferredDeliveries> instance = () -> new DeferredDeliveries(jdbc, tx(db), json, producer(sent),
                    new SecretRedactor(new StandardEnvironment()), clock, null, 60, "jms:queue:bridge.", 10, 1000, 60000);
            for (int i = 0; i < ROWS; i++) {
                jdbc.update("INSERT INTO deferred_delivery (route_id, endpoint, body, headers, reason, due_at, created_at)"
                        + " VALUES ('r', 'direct:x', ?, '{}', 'test', ?, ?)", "m" + i, past(), past());
            }

            List<Integer> counts = together(instance.get()::releaseDue, instance.get()::releaseDue);

            assertThat(counts.get(0) + counts.get(1)).isEqualTo(ROWS);
            assertThat(sent).hasSize(ROWS).doesNotHaveDuplicates();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM deferred_delivery", Integer.class)).isZero();

            // a row another instance holds (locked, being sent) is skipped at once, then sent once it is free again
            jdbc.update("INSERT INTO deferred_delivery (route_id, endpoint, body, headers, reason, due_at, created_at)"
                    + " VALUES ('r', 'direct:x', 'held', '{}', 'test', ?, ?)", past(), past());
            try (Connection other = db.getConnection()) {
                other.setAutoCommit(false);
                lock(other, "SELECT id FROM deferred_delivery WHERE body = 'held' FOR UPDATE");
                assertThat(instance.get().releaseDue()).isZero();
                other.rollback();
            }
            assertThat(instance.get().releaseDue()).isOne();
            assertThat(sent).hasSize(ROWS + 1).contains("held");
        }
    }

    @Test
    void closedNotificationWindowsAreHandedOnOnceByTwoInstancesAndALockedOneIsSkipped() throws Exception {
        for (DataSource db : databases()) {
            JdbcTemplate jdbc = new JdbcTemplate(db);
            ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();
            Supplier<NotificationWindow> instance = () -> new NotificationWindow(jdbc, tx(db), json, producer(sent),
                    clock, Duration.ofSeconds(1), "direct:offers");
            for (int i = 0; i < ROWS; i++) {
                pending(jdbc, "SKU-" + i);
            }

            List<Integer> counts = together(instance.get()::dispatchDue, instance.get()::dispatchDue);

            assertThat(counts.get(0) + counts.get(1)).isEqualTo(ROWS);
            assertThat(sent).hasSize(ROWS).doesNotHaveDuplicates();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM marketplace_pending", Integer.class)).isZero();

            pending(jdbc, "SKU-held");
            try (Connection other = db.getConnection()) {
                other.setAutoCommit(false);
                lock(other, "SELECT sku_id FROM marketplace_pending WHERE sku_id = 'SKU-held' FOR UPDATE");
                assertThat(instance.get().dispatchDue()).isZero();
                other.rollback();
            }
            assertThat(instance.get().dispatchDue()).isOne();
            assertThat(sent).hasSize(ROWS + 1).anyMatch(body -> body.contains("SKU-held"));
        }
    }

    @Test
    void aSuggestedSkuIsClaimedForItsRecheckByOneInstance() throws Exception {
        for (DataSource db : databases()) {
            JdbcTemplate jdbc = new JdbcTemplate(db);
            OfferSyncStore store = new OfferSyncStore(jdbc, json, clock);
            for (int i = 0; i < ROWS; i++) {
                jdbc.update("INSERT INTO offer_catalog (connection_id, sku_id, status, reason, updated_at)"
                        + " VALUES ('default', ?, 'SUGGESTED', 'waiting', ?)", "SKU-" + i, past());
            }
            OffsetDateTime before = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minusSeconds(30);
            ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
            Callable<Integer> recheck = () -> {
                int mine = 0;
                for (OfferSyncStore.CatalogState state : store.suggestedBefore(List.of("default"), before, 500)) {
                    if (store.claimRecheck(state.connectionId(), state.skuId(), before)) {
                        claimed.add(state.skuId());
                        mine++;
                    }
                }
                return mine;
            };

            List<Integer> counts = together(recheck, recheck);

            assertThat(counts.get(0) + counts.get(1)).isEqualTo(ROWS);
            assertThat(claimed).hasSize(ROWS).doesNotHaveDuplicates();
            // claimed: not due again before binding-recheck-after, and still SUGGESTED
            assertThat(store.suggestedBefore(List.of("default"), before, 500)).isEmpty();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM offer_catalog WHERE status = 'SUGGESTED'",
                    Integer.class)).isEqualTo(ROWS);
        }
    }

    private static List<DataSource> databases() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:claims-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000;"
                + "DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        h2.setPassword("");
        List<DataSource> all = List.of(EmbeddedPostgresSupport.newDatabase().dataSource(), h2);
        all.forEach(db -> Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate());
        return all;
    }

    private static TransactionTemplate tx(DataSource db) {
        return new TransactionTemplate(new DataSourceTransactionManager(db));
    }

    /** A producer that records each body it sends, a little slowly (so two instances overlap). */
    private static ProducerTemplate producer(ConcurrentLinkedQueue<String> sent) {
        ProducerTemplate producer = Mockito.mock(ProducerTemplate.class);
        Mockito.doAnswer(call -> {
            sent.add(call.getArgument(1, String.class));
            Thread.sleep(2);
            return null;
        }).when(producer).sendBodyAndHeaders(anyString(), any(), anyMap());
        return producer;
    }

    private void pending(JdbcTemplate jdbc, String sku) {
        jdbc.update("INSERT INTO marketplace_pending (connection_id, sku_id, product_id, is_active, removed, date_modified,"
                + " due_at, version) VALUES ('shop', ?, 'P1', TRUE, FALSE, ?, ?, 0)", sku, past(), past());
    }

    private OffsetDateTime past() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minusMinutes(5);
    }

    private static void lock(Connection connection, String select) throws Exception {
        try (Statement statement = connection.createStatement()) {
            assertThat(statement.executeQuery(select).next()).isTrue();
        }
    }

    /** Runs both at the same moment, as two engine instances' timers; their results in order. */
    private static List<Integer> together(Callable<Integer> first, Callable<Integer> second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<Integer>> results = new ArrayList<>();
            for (Callable<Integer> task : List.of(first, second)) {
                results.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            List<Integer> counts = new ArrayList<>();
            for (Future<Integer> result : results) {
                counts.add(result.get(60, TimeUnit.SECONDS));
            }
            return counts;
        } finally {
            pool.shutdownNow();
        }
    }
}
