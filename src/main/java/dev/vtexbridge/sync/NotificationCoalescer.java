package dev.vtexbridge.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Coalesces price and inventory notifications per (connection, SKU): one ERP change is a notification to every
 * enabled seller connection, each coalesced on its own. The first change of a SKU opens a window
 * ({@code bridge.sync.coalesce-window}); every further change inside it joins the same notification, which goes out
 * when the window closes and makes the marketplace read the latest value through the simulation (last value wins).
 * A change to zero stock skips the window and goes ahead of the queue. The pending set is memory only: the durable
 * truth is the projection versus what was notified (offer_sync), which {@code OfferNotifications#recover} compares at
 * start-up, so a crash loses no notification.
 */
@Component("notificationCoalescer")
public class NotificationCoalescer {

    private static final Logger log = LoggerFactory.getLogger(NotificationCoalescer.class);

    public record Pending(String connection, String sku, String kind, long dueNanos, boolean urgent) {

        Key key() {
            return new Key(connection, sku, kind);
        }
    }

    private record Key(String connection, String sku, String kind) {
    }

    private final Map<Key, Pending> pending = new ConcurrentHashMap<>();
    private final long windowNanos;
    private final Connections connections;

    public NotificationCoalescer(@Value("${bridge.sync.coalesce-window}") Duration window, Connections connections) {
        this.windowNanos = window.toNanos();
        this.connections = connections;
    }

    /**
     * A change of the SKU's price or stock ({@code kind} price or inventory), for every seller connection;
     * {@code urgent} skips the window.
     */
    public void submit(String sku, String kind, boolean urgent) {
        connections.sellers().forEach(connection -> submit(connection.id(), sku, kind, urgent));
    }

    /** The seller connections a change is notified to. */
    public List<String> connectionIds() {
        return connections.sellers().stream().map(Connection::id).toList();
    }

    /** A notification one connection's marketplace still needs (e.g. one sent but not recorded). */
    public void submit(String connection, String sku, String kind, boolean urgent) {
        long now = System.nanoTime();
        pending.compute(new Key(connection, sku, kind), (key, existing) -> {
            if (urgent) {
                return new Pending(connection, sku, kind, now, true);
            }
            return existing != null ? existing : new Pending(connection, sku, kind, now + windowNanos, false);
        });
    }

    /** Takes the notifications whose window closed, each naming its connection: urgent ones first, then oldest first. */
    public List<Map<String, String>> drainDue() {
        long now = System.nanoTime();
        List<Pending> due = new ArrayList<>();
        for (Pending p : pending.values()) {
            if (p.dueNanos() - now <= 0 && pending.remove(p.key(), p)) {
                due.add(p);
            }
        }
        due.sort(Comparator.comparing((Pending p) -> !p.urgent()).thenComparingLong(Pending::dueNanos));
        return due.stream().map(p -> Map.of("connection", p.connection(), "sku", p.sku(), "kind", p.kind())).toList();
    }

    /**
     * Flow step: a due notification the channel could not take (its broker out of reach) is queued again, to go out
     * after another window, instead of into the failed-message store, from which a timer's message cannot be replayed.
     */
    public void handOffFailed(Map<String, String> notification, Exception failure) {
        log.warn("Notification {} of SKU {} (connection {}) not handed to its channel ({}); queued again",
                notification.get("kind"), notification.get("sku"), notification.get("connection"), failure.getMessage());
        submit(notification.get("connection"), notification.get("sku"), notification.get("kind"), false);
    }

    public int pendingCount() {
        return pending.size();
    }
}
