package dev.vtexbridge.metrics;

import java.time.Instant;
import java.util.Arrays;

/**
 * Counts over the last hour: 60 one-minute slots of {@code width} counters each, reused as time moves on, so memory
 * stays fixed however much passes through. A sum covers the current minute and the 59 before it.
 */
final class RollingHour {

    private static final int SLOTS = 60;

    private final long[] slotMinute = new long[SLOTS];
    private final long[][] counts;

    RollingHour(int width) {
        counts = new long[SLOTS][width];
        Arrays.fill(slotMinute, Long.MIN_VALUE);
    }

    synchronized void add(Instant now, int counter) {
        long minute = Math.floorDiv(now.getEpochSecond(), 60);
        int slot = (int) Math.floorMod(minute, SLOTS);
        if (slotMinute[slot] != minute) {
            slotMinute[slot] = minute;
            Arrays.fill(counts[slot], 0);
        }
        counts[slot][counter]++;
    }

    /** Each counter summed over the last hour. */
    synchronized long[] sum(Instant now) {
        long minute = Math.floorDiv(now.getEpochSecond(), 60);
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
}
