package dev.vtexbridge.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak heap of a phase, two ways: the highest heap use sampled every 5 ms (MemoryMXBean), and the sum of the
 * per-pool peaks the JVM tracks itself (an upper bound: the pools need not peak at the same moment). Plus the
 * collections and their total time.
 */
final class HeapWatch implements AutoCloseable {

    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long sampledPeak;
    private final long gcCountAtStart = gcCount();
    private final long gcMillisAtStart = gcMillis();

    HeapWatch() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        sampler = new Thread(() -> {
            while (running) {
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                if (used > sampledPeak) {
                    sampledPeak = used;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    long sampledPeakBytes() {
        return sampledPeak;
    }

    static long poolPeaksBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    long collections() {
        return gcCount() - gcCountAtStart;
    }

    long collectionMillis() {
        return gcMillis() - gcMillisAtStart;
    }

    static String mb(long bytes) {
        return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
