package dev.vtexbridge.web;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Holds the requests of the test route {@code held-http} until {@link #release()}; counts those being held. */
public final class HeldRequests {

    private static volatile CountDownLatch gate = new CountDownLatch(0);
    private static final AtomicInteger held = new AtomicInteger();

    public static void close() {
        gate = new CountDownLatch(1);
    }

    public static void release() {
        gate.countDown();
    }

    public static int held() {
        return held.get();
    }

    public static String hold() throws InterruptedException {
        held.incrementAndGet();
        try {
            gate.await(30, TimeUnit.SECONDS);
            return "released";
        } finally {
            held.decrementAndGet();
        }
    }
}
