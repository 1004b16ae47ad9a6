package dev.vtexbridge.metrics;

import java.time.Instant;

/**
 * One flow's last hour for the dashboard: messages received, completed and failed, a latency histogram (from which
 * the 95th percentile is estimated the way PromQL's {@code histogram_quantile} does), and the last success.
 */
final class FlowWindow {

    /** Upper bounds of the latency buckets, in milliseconds; a last bucket takes everything slower. */
    static final double[] BUCKET_MILLIS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000};

    private static final int IN = 0;
    private static final int OUT = 1;
    private static final int FAILED = 2;
    private static final int LATENCY = 3;

    /** A window nothing ever passes through: a flow's figures for a connection it had no message of. */
    static final FlowWindow IDLE = new FlowWindow();

    private final RollingHour counts = new RollingHour(LATENCY + BUCKET_MILLIS.length + 1);
    private volatile Instant lastSuccessAt;

    /** What the dashboard shows of a flow; {@code p95Millis} is null while nothing finished within the hour. */
    record Summary(long in, long out, long failed, Instant lastSuccessAt, Double p95Millis) {
    }

    void received(Instant now) {
        counts.add(now, IN);
    }

    /** An exchange finished: {@code outcome} decides whether it counts as out, failed or neither (deferred). */
    void finished(Instant now, FlowOutcome outcome, double millis) {
        if (outcome == FlowOutcome.COMPLETED) {
            counts.add(now, OUT);
            lastSuccessAt = now;
        } else if (outcome == FlowOutcome.FAILED) {
            counts.add(now, FAILED);
        }
        counts.add(now, LATENCY + bucketOf(millis));
    }

    RollingHour counts() {
        return counts;
    }

    Instant lastSuccessAt() {
        return lastSuccessAt;
    }

    Summary lastHour(Instant now) {
        return summary(counts.sum(now), lastSuccessAt);
    }

    /** A summary of counters as {@link #counts} keeps them (summed over an hour, maybe over several instances). */
    static Summary summary(long[] sum, Instant lastSuccessAt) {
        long[] latency = new long[BUCKET_MILLIS.length + 1];
        System.arraycopy(sum, LATENCY, latency, 0, latency.length);
        return new Summary(sum[IN], sum[OUT], sum[FAILED], lastSuccessAt, quantile(0.95, latency));
    }

    private static int bucketOf(double millis) {
        for (int i = 0; i < BUCKET_MILLIS.length; i++) {
            if (millis <= BUCKET_MILLIS[i]) {
                return i;
            }
        }
        return BUCKET_MILLIS.length;
    }

    /**
     * Linear interpolation inside the bucket holding the wanted rank (a bucket's values are taken as evenly spread);
     * in the last, open bucket the highest bound is answered, as Prometheus does.
     */
    static Double quantile(double q, long[] buckets) {
        long total = 0;
        for (long count : buckets) {
            total += count;
        }
        if (total == 0) {
            return null;
        }
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < BUCKET_MILLIS.length; i++) {
            if (below + buckets[i] >= rank && buckets[i] > 0) {
                double lower = i == 0 ? 0 : BUCKET_MILLIS[i - 1];
                double value = lower + (BUCKET_MILLIS[i] - lower) * (rank - below) / buckets[i];
                return Math.round(value * 10) / 10.0;
            }
            below += buckets[i];
        }
        return BUCKET_MILLIS[BUCKET_MILLIS.length - 1];
    }
}
