package dev.vtexbridge.sync;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.vtexbridge.cluster.EngineInstances;
import dev.vtexbridge.config.ErpChangeTriggers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells the other engine instances on the same PostgreSQL which SKUs of the offer projection changed, so each
 * instance's in-memory copy ({@link OfferProjection}) takes every instance's holds and ERP changes, not only its own.
 * <p>
 * PostgreSQL's LISTEN/NOTIFY carries them: a change announces its SKUs with {@code pg_notify} inside its own
 * transaction, and PostgreSQL delivers the notification to every listening session when, and only when, that
 * transaction commits. Each instance listens on a connection of its own and re-reads the SKUs it is told about. A
 * listener that lost its connection cannot know what it missed, so once connected again it re-reads everything.
 * <p>
 * On H2 (one instance, an embedded database) there is nobody to tell and this does nothing.
 */
@Component
public class OfferChangeFeed {

    private static final Logger log = LoggerFactory.getLogger(OfferChangeFeed.class);
    static final String CHANNEL = "bridge_offer_changes";
    /** PostgreSQL refuses a payload of 8,000 bytes or more; SKU lists are cut into notifications below it. */
    private static final int MAX_PAYLOAD_BYTES = 7000;
    /** From a change's announcement (in its transaction, before commit) to another instance having re-read it. */
    static final String DELAY = "bridge.projection.peer.delay";

    /** What the listener does with what it hears. */
    public interface Listener {
        /** Other instances committed changes to these SKUs. */
        void changed(Collection<String> skuIds);

        /** Changes may have been missed (the listening connection was lost): everything is to be read again. */
        void missedSome();
    }

    private final JdbcTemplate jdbc;
    private final DataSourceProperties datasource;
    private final Timer delay;
    private final boolean enabled;
    private final String instance;
    private volatile boolean running;
    private Thread thread;

    public OfferChangeFeed(JdbcTemplate jdbc, DataSourceProperties datasource, EngineInstances instances,
                           MeterRegistry meters) {
        this.jdbc = jdbc;
        this.instance = instances.id();
        this.datasource = datasource;
        this.enabled = ErpChangeTriggers.isPostgres(datasource.determineUrl());
        this.delay = Timer.builder(DELAY).description("From a projection change on another instance to its re-read here")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Announces changed SKUs to the other instances: inside the caller's transaction they are told when it commits
     * (and never if it rolls back); outside one, at once.
     */
    public void announce(Collection<String> skuIds) {
        if (!enabled || skuIds.isEmpty()) {
            return;
        }
        for (String payload : payloads(instance, System.currentTimeMillis(), skuIds)) {
            jdbc.queryForObject("SELECT pg_notify(?, ?)", Object.class, CHANNEL, payload);
        }
    }

    /**
     * Starts listening (the LISTEN is in place when this returns, so a change committed after it is heard) and hands
     * what is heard from the other instances to {@code listener}, on a thread of its own.
     */
    public synchronized void listen(Listener listener) {
        if (!enabled || running) {
            return;
        }
        running = true;
        Connection first = connectQuietly();
        thread = new Thread(() -> run(listener, first), "offer-change-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(5000);
        }
    }

    private void run(Listener listener, Connection first) {
        Connection connection = first;
        boolean missed = false;
        while (running) {
            if (connection == null) {
                sleep(1000);
                connection = connectQuietly();
                missed = true;
                continue;
            }
            try {
                if (missed) {
                    listener.missedSome();
                    missed = false;
                    log.info("Offer change feed listening again; the projection was read again in full");
                }
                PGNotification[] heard = connection.unwrap(PGConnection.class).getNotifications(500);
                if (heard != null && heard.length > 0) {
                    handle(listener, heard);
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                log.warn("Offer change feed lost its connection ({}); listening again shortly", e.getMessage());
                close(connection);
                connection = null;
            }
        }
        close(connection);
    }

    private void handle(Listener listener, PGNotification[] heard) {
        Set<String> skus = new LinkedHashSet<>();
        List<Long> sentAt = new ArrayList<>();
        for (PGNotification notification : heard) {
            String[] parts = notification.getParameter().split(";", 3);
            if (parts.length == 3 && !parts[0].equals(instance)) {
                sentAt.add(Long.parseLong(parts[1]));
                skus.addAll(List.of(parts[2].split(",")));
            }
        }
        if (skus.isEmpty()) {
            return;
        }
        listener.changed(skus);
        long now = System.currentTimeMillis();
        sentAt.forEach(at -> delay.record(Math.max(0, now - at), TimeUnit.MILLISECONDS));
    }

    /** {@code <instance>;<millis>;<sku>,<sku>,...}, each under PostgreSQL's payload limit. */
    static List<String> payloads(String instance, long millis, Collection<String> skuIds) {
        String head = instance + ";" + millis + ";";
        List<String> payloads = new ArrayList<>();
        StringBuilder current = new StringBuilder(head);
        int bytes = head.length();
        for (String sku : skuIds) {
            int size = sku.getBytes(StandardCharsets.UTF_8).length + 1;
            if (bytes + size > MAX_PAYLOAD_BYTES && current.length() > head.length()) {
                payloads.add(current.toString());
                current = new StringBuilder(head);
                bytes = head.length();
            }
            if (current.length() > head.length()) {
                current.append(',');
            }
            current.append(sku);
            bytes += size;
        }
        if (current.length() > head.length()) {
            payloads.add(current.toString());
        }
        return payloads;
    }

    /** A connection of the feed's own, outside the pool: it is held for as long as the engine runs. */
    private Connection connectQuietly() {
        try {
            Connection connection = DriverManager.getConnection(datasource.determineUrl(),
                    datasource.determineUsername(), datasource.determinePassword());
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
            }
            return connection;
        } catch (SQLException e) {
            log.warn("Offer change feed could not listen ({}); trying again shortly", e.getMessage());
            return null;
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // going away anyway
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
