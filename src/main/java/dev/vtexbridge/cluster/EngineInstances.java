package dev.vtexbridge.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The engine instances sharing this database. Each one has a row in {@code engine_instance} that it touches every
 * {@code bridge.cluster.heartbeat-interval} (in database time, so clocks of the hosts need not agree) and deletes when
 * it stops; one not seen for {@code bridge.cluster.instance-timeout} is taken for dead. With it an instance tells work
 * a live instance holds from work a dead one left, and shares per-account budgets by the number alive.
 */
@Component
public class EngineInstances {

    private static final Logger log = LoggerFactory.getLogger(EngineInstances.class);

    private final JdbcTemplate jdbc;
    private final Duration heartbeat;
    private final long timeoutSeconds;
    private final String id = UUID.randomUUID().toString();
    private volatile int live = 1;
    private volatile boolean failing;
    private ScheduledExecutorService beat;

    public EngineInstances(JdbcTemplate jdbc, @Value("${bridge.cluster.heartbeat-interval}") Duration heartbeat,
                           @Value("${bridge.cluster.instance-timeout}") Duration timeout) {
        this.jdbc = jdbc;
        this.heartbeat = heartbeat;
        this.timeoutSeconds = Math.max(1, timeout.toSeconds());
    }

    /** This instance's id, new at every start. */
    public String id() {
        return id;
    }

    /** How many instances are alive, this one included (at least 1), as of the last heartbeat. */
    public int live() {
        return live;
    }

    /** Whether the instance of that id is alive (this one always is). */
    public boolean isLive(String instanceId) {
        if (id.equals(instanceId)) {
            return true;
        }
        return instanceId != null && jdbc.queryForObject("SELECT COUNT(*) FROM engine_instance WHERE instance_id = ? AND "
                + alive(), Integer.class, instanceId) > 0;
    }

    @PostConstruct
    void start() {
        jdbc.update("INSERT INTO engine_instance (instance_id, host, started_at, seen_at) "
                + "VALUES (?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", id, host());
        count();
        beat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "engine-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        beat.scheduleWithFixedDelay(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Engine instance {} started; {} instance(s) alive on this database", id, live);
    }

    /** A stop says so at once: the others need not wait for the timeout to take over its share. */
    @PreDestroy
    void stop() {
        if (beat != null) {
            beat.shutdownNow();
        }
        try {
            jdbc.update("DELETE FROM engine_instance WHERE instance_id = ?", id);
        } catch (RuntimeException e) {
            log.debug("Engine instance {} could not sign off ({}); the others will time it out", id, e.getMessage());
        }
    }

    private void beat() {
        try {
            if (jdbc.update("UPDATE engine_instance SET seen_at = CURRENT_TIMESTAMP WHERE instance_id = ?", id) == 0) {
                // deleted while this instance was unreachable long enough to be taken for dead: it is back
                jdbc.update("INSERT INTO engine_instance (instance_id, host, started_at, seen_at) "
                        + "VALUES (?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", id, host());
            }
            // the dead are forgotten after a day: long enough to see them, short enough to keep the table small
            jdbc.update("DELETE FROM engine_instance WHERE seen_at < CURRENT_TIMESTAMP - INTERVAL '1' DAY");
            count();
            if (failing) {
                failing = false;
                log.info("Engine instance {} heartbeat works again; {} instance(s) alive", id, live);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("Engine instance {} heartbeat failed ({}); still counting {} instance(s)", id, e.getMessage(), live);
            }
        }
    }

    private void count() {
        int counted = jdbc.queryForObject("SELECT COUNT(*) FROM engine_instance WHERE " + alive(), Integer.class);
        int now = Math.max(1, counted);
        if (now != live) {
            log.info("{} engine instance(s) alive on this database (were {})", now, live);
        }
        live = now;
    }

    /** A condition on engine_instance: seen within the timeout (a number of seconds, not user input). */
    private String alive() {
        return "seen_at > CURRENT_TIMESTAMP - INTERVAL '" + timeoutSeconds + "' SECOND";
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
