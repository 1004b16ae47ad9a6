package dev.vtexbridge.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Coalesces price and inventory notifications per SKU: the first change of a SKU opens a window
 * ({@code bridge.sync.coalesce-window}); every further change inside it joins the same notification, which goes out
 * when the window closes and makes the marketplace read the latest value through the simulation (last value wins).
 * A change to zero stock skips the window and goes ahead of the queue. The pending set is memory only: the durable
 * truth is the projection versus what was notified (offer_sync), which {@code OfferNotifications#recover} compares at
 * start-up, so a crash loses no notification.
 */
@Component("notificationCoalescer")
public class NotificationCoalescer {

    public record Pending(String sku, String kind, long dueNanos, boolean urgent) {
    }

    private record Key(String sku, String kind) {
    }

    private final Map<Key, Pending> pending = new ConcurrentHashMap<>();
    private final long windowNanos;

    public NotificationCoalescer(@Value("${bridge.sync.coalesce-window}") Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** A change of the SKU's price or stock ({@code kind} price or inventory); {@code urgent} skips the window. */
    public void submit(String sku, String kind, boolean urgent) {
        long now = System.nanoTime();
        pending.compute(new Key(sku, kind), (key, existing) -> {
            if (urgent) {
                return new Pending(sku, kind, now, true);
            }
            return existing != null ? existing : new Pending(sku, kind, now + windowNanos, false);
        });
    }

    /** Takes the notifications whose window closed: urgent ones first, then oldest first. */
    public List<Map<String, String>> drainDue() {
        long now = System.nanoTime();
        List<Pending> due = new ArrayList<>();
        for (Pending p : pending.values()) {
            if (p.dueNanos() - now <= 0 && pending.remove(new Key(p.sku(), p.kind()), p)) {
                due.add(p);
            }
        }
        due.sort(Comparator.comparing((Pending p) -> !p.urgent()).thenComparingLong(Pending::dueNanos));
        return due.stream().map(p -> Map.of("sku", p.sku(), "kind", p.kind())).toList();
    }

    public int pendingCount() {
        return pending.size();
    }
}
