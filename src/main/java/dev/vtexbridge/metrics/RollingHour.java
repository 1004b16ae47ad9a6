package dev.vtexbridge.metrics;

import java.time.Instant;
import java.util.Arrays;

/**
 * Counts over the last hour: 60 one-minute slots of {@code width} counters each, reused as time moves on, so memory
 * stays fixed however much passes through. A sum covers the current minute and the 59 before it.
 * Minutes are counted since the epoch, as {@link #minuteOf} gives them, so instances can add up each other's.
 */
final class RollingHour {

    private static final int SLOTS = 60;

    private final long[] slotMinute = new long[SLOTS];
    private final long[][] counts;

    RollingHour(int width) {
        counts = new long[SLOTS][width];
        Arrays.fill(slotMinute, Long.MIN_VALUE);
    }

    static long minuteOf(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), 60);
    }

    int width() {
        return counts[0].length;
    }

    synchronized void add(Instant now, int counter) {
        long minute = minuteOf(now);
        int slot = (int) Math.floorMod(minute, SLOTS);
        if (slotMinute[slot] != minute) {
            slotMinute[slot] = minute;
            Arrays.fill(counts[slot], 0);
        }
        counts[slot][counter]++;
    }

    /** Each counter summed over the last hour. */
    synchronized long[] sum(Instant now) {
        long minute = minuteOf(now);
        long[] total = new long[counts[0].length];
        for (int slot = 0; slot < SLOTS; slot++) {
            if (slotMinute[slot] > minute - SLOTS && slotMinute[slot] <= minute) {
                for (int i = 0; i < total.length; i++) {
                    total[i] += counts[slot][i];
                }
            }
        }
        return total;
    }

    /** The counters of one minute, or null when nothing was counted in it (or it is more than an hour ago). */
    synchronized long[] at(long minute) {
        int slot = (int) Math.floorMod(minute, SLOTS);
        return slotMinute[slot] == minute ? counts[slot].clone() : null;
    }
}
