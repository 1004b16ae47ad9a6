package dev.vtexbridge.vtex;

import java.time.Duration;

/**
 * A token bucket: refills at {@code perSecond}, holds at most {@code burst}; thread-safe. Shared by {@code share}
 * engine instances, each holds its part of the budget: the rate and the burst divided by their number.
 */
final class TokenBucket {

    private final double perSecond;
    private final int burst;
    private int share = 1;
    private double perNano;
    private double capacity;
    private double tokens;
    private long lastRefill;

    TokenBucket(double perSecond, int burst, long nowNanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.lastRefill = nowNanos;
        divide(1);
        this.tokens = capacity;
    }

    /**
     * Takes one token, borrowing against the future when the bucket is empty, and returns how long the caller must
     * wait before using it (zero when a token was there). {@code share}: how many instances share the budget now.
     */
    synchronized Duration take(long nowNanos, int share) {
        if (share != this.share) {
            divide(share);
        }
        tokens = Math.min(capacity, tokens + (nowNanos - lastRefill) * perNano);
        lastRefill = nowNanos;
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / perNano));
    }

    /** Gives back a token taken by {@link #take} that will not be used after all. */
    synchronized void giveBack() {
        tokens = Math.min(capacity, tokens + 1);
    }

    private void divide(int share) {
        this.share = Math.max(1, share);
        this.perNano = perSecond / this.share / 1_000_000_000d;
        this.capacity = Math.max(1, (double) burst / this.share);
        this.tokens = Math.min(tokens, capacity);
    }
}
