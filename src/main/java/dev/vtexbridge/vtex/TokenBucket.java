package dev.vtexbridge.vtex;

import java.time.Duration;

/** A token bucket: refills at {@code perSecond}, holds at most {@code burst}; thread-safe. */
final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long lastRefill;

    TokenBucket(double perSecond, int burst, long nowNanos) {
        this.perNano = perSecond / 1_000_000_000d;
        this.capacity = Math.max(1, burst);
        this.tokens = capacity;
        this.lastRefill = nowNanos;
    }

    /**
     * Takes one token, borrowing against the future when the bucket is empty, and returns how long the caller must
     * wait before using it (zero when a token was there).
     */
    synchronized Duration take(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - lastRefill) * perNano);
        lastRefill = nowNanos;
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / perNano));
    }

    /** Gives back a token taken by {@link #take} that will not be used after all. */
    synchronized void giveBack() {
        tokens = Math.min(capacity, tokens + 1);
    }
}
