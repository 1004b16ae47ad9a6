package dev.vtexbridge.infra;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.vtexbridge.testkit.EmbeddedPostgresSupport;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same Flyway migrations (classpath:db/migration) run on both databases the engine supports: the embedded H2
 * default (with the URL flags of application.yaml) and a real PostgreSQL server.
 */
class FlywayMigrationsTest {

    private static final List<String> EXPECTED_TABLES = List.of("failed_message", "failed_message_event", "deferred_delivery",
            "marketplace_order_cursor");

    @Test
    void migrationsPassOnH2InPostgresMode() throws SQLException {
        // As application.yaml, on a fresh file database of its own.
        Path file = Path.of("target", "test-data", "flyway-" + UUID.randomUUID(), "vtex-bridge").toAbsolutePath();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        h2.setUser("sa");
        h2.setPassword("");

        assertMigratesCleanly(h2);
    }

    @Test
    void migrationsPassOnPostgreSql() throws SQLException {
        EmbeddedPostgresSupport.Database db = EmbeddedPostgresSupport.newDatabase();

        assertMigratesCleanly(db.dataSource());
    }

    @Test
    void catalogStatusesFromBeforeConnectionsBecomeConnectionDefaults() {
        Path file = Path.of("target", "test-data", "flyway-" + UUID.randomUUID(), "vtex-bridge").toAbsolutePath();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        h2.setUser("sa");
        h2.setPassword("");
        assertCatalogStatusesMove(h2);
        assertCatalogStatusesMove(EmbeddedPostgresSupport.newDatabase().dataSource());
    }

    /** V59: each SKU's one catalog status (offer_sync) becomes connection default's row of offer_catalog. */
    private static void assertCatalogStatusesMove(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("58").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update("INSERT INTO offer_sync (sku_id, catalog_status, reason, blocked_by, updated_at) VALUES "
                + "('A-1', 'ERROR', 'no category C77', 'category:C77', CURRENT_TIMESTAMP), "
                + "('A-2', 'SUGGESTED', 'waiting', NULL, CURRENT_TIMESTAMP)");

        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();

        assertThat(jdbc.query("SELECT connection_id, sku_id, status, reason, blocked_by FROM offer_catalog ORDER BY sku_id",
                (rs, n) -> String.join(" | ", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        String.valueOf(rs.getString(5)))))
                .containsExactly("default | A-1 | ERROR | no category C77 | category:C77", "default | A-2 | SUGGESTED | waiting | null");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM offer_sync", Integer.class)).isEqualTo(2);
    }

    private static void assertMigratesCleanly(DataSource dataSource) throws SQLException {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load();
        int available = flyway.info().all().length;
        assertThat(available).as("migrations found under classpath:db/migration").isPositive();

        MigrateResult result = flyway.migrate();

        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isEqualTo(available);
        assertThat(flyway.info().pending()).isEmpty();
        assertThat(flyway.info().applied())
                .hasSize(available)
                .allSatisfy(migration -> assertThat(migration.getState())
                        .as("state of %s", describe(migration))
                        .isEqualTo(MigrationState.SUCCESS));
        assertThat(tables(dataSource)).containsAll(EXPECTED_TABLES);

        // Running again is a no-op: nothing left to apply, nothing re-applied.
        assertThat(flyway.migrate().migrationsExecuted).isZero();
    }

    private static String describe(MigrationInfo migration) {
        return "V" + migration.getVersion() + " " + migration.getDescription();
    }

    /** The engine's tables as the database reports them (lower case on both, thanks to DATABASE_TO_LOWER on H2). */
    private static List<String> tables(DataSource dataSource) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                ResultSet rs = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }
}
