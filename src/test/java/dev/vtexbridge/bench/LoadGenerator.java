package dev.vtexbridge.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import java.util.function.Predicate;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Sends HTTP load two ways and records latencies in HdrHistograms (microseconds):
 * <ul>
 *   <li>{@link #openLoop open loop}: request i is due at {@code start + i / rate}, whatever happened to earlier ones,
 *   and its latency runs from that due time, not from when it was actually sent, so a stalled server or a busy
 *   generator shows up in the figures instead of silently lowering the rate (coordinated omission corrected);</li>
 *   <li>{@link #closedLoop closed loop}: N workers each send their next request as soon as the previous one answered,
 *   for the saturation throughput.</li>
 * </ul>
 */
final class LoadGenerator implements AutoCloseable {

    private final ExecutorService executor = Executors.newFixedThreadPool(4, daemon("bench-http"));
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();
    private final int maxInFlight;

    LoadGenerator(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /** What one phase measured. Latencies in microseconds; {@code seconds} is from the first due time to the last answer. */
    record Outcome(String name, Histogram latency, long requests, long ok, long errors, double seconds,
                   double sendSeconds, Map<Integer, Long> statuses, List<String> errorSamples, long responseBytes) {

        double ms(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
        }

        double maxMs() {
            return latency.getMaxValue() / 1000.0;
        }

        /** Successful answers per second. */
        double throughput() {
            return ok / seconds;
        }

        /** The rate requests actually left at (below the target rate when the generator could not keep up). */
        double sentRate() {
            return requests / sendSeconds;
        }

        /** This outcome and another one of the same kind taken together (slices of one interleaved phase). */
        Outcome plus(Outcome other) {
            Histogram both = latency.copy();
            both.add(other.latency);
            Map<Integer, Long> counts = new TreeMap<>(statuses);
            other.statuses.forEach((status, n) -> counts.merge(status, n, Long::sum));
            List<String> samples = new ArrayList<>(errorSamples);
            samples.addAll(other.errorSamples);
            return new Outcome(name, both, requests + other.requests, ok + other.ok, errors + other.errors,
                    seconds + other.seconds, sendSeconds + other.sendSeconds, counts,
                    List.copyOf(samples.subList(0, Math.min(3, samples.size()))), responseBytes + other.responseBytes);
        }

        long meanResponseBytes() {
            return ok + errors == 0 ? 0 : responseBytes / (ok + errors);
        }
    }

    HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code rate} requests per second for {@code duration}; the i-th request is {@code requests.apply(i)}. */
    Outcome openLoop(String name, double rate, Duration duration, LongFunction<HttpRequest> requests,
                     Predicate<HttpResponse<byte[]>> success) throws InterruptedException {
        Tally tally = new Tally(success);
        Semaphore slots = new Semaphore(maxInFlight);
        long period = Math.round(1e9 / rate);
        long count = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        for (long i = 0; i < count; i++) {
            long due = start + i * period;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            slots.acquire(); // when too many are in flight the next send waits, and its wait counts in its latency
            http.sendAsync(requests.apply(i), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
                tally.record(System.nanoTime() - due, response, failure);
                slots.release();
            });
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        slots.acquire(maxInFlight);
        slots.release(maxInFlight);
        return tally.outcome(name, count, (System.nanoTime() - start) / 1e9, sendSeconds);
    }

    /** {@code workers} concurrent senders, each waiting for its answer before the next request, for {@code duration}. */
    Outcome closedLoop(String name, int workers, Duration duration, LongFunction<HttpRequest> requests,
                       Predicate<HttpResponse<byte[]>> success) throws InterruptedException {
        Tally tally = new Tally(success);
        AtomicLong sequence = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    HttpRequest request = requests.apply(sequence.getAndIncrement());
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        tally.record(System.nanoTime() - sent, response, null);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        tally.record(System.nanoTime() - sent, null, e);
                    }
                }
            }, "bench-worker-" + w);
            worker.start();
            threads.add(worker);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return tally.outcome(name, sequence.get(), seconds, seconds);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Thread-safe counters of one phase. */
    private static final class Tally {
        private final Predicate<HttpResponse<byte[]>> success;
        private final Histogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
        private final LongAdder ok = new LongAdder();
        private final LongAdder errors = new LongAdder();
        private final LongAdder bytes = new LongAdder();
        private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        private final List<String> errorSamples = new ArrayList<>();

        Tally(Predicate<HttpResponse<byte[]>> success) {
            this.success = success;
        }

        void record(long nanos, HttpResponse<byte[]> response, Throwable failure) {
            latency.recordValue(Math.min(latency.getHighestTrackableValue(), Math.max(1, nanos / 1000)));
            int status = response == null ? -1 : response.statusCode();
            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
            if (response != null) {
                bytes.add(response.body().length);
            }
            if (response != null && success.test(response)) {
                ok.increment();
                return;
            }
            errors.increment();
            synchronized (errorSamples) {
                if (errorSamples.size() < 3) {
                    errorSamples.add(response == null ? String.valueOf(failure)
                            : "HTTP " + status + " " + excerpt(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
        }

        Outcome outcome(String name, long requests, double seconds, double sendSeconds) {
            Map<Integer, Long> counts = new TreeMap<>();
            statuses.forEach((status, n) -> counts.put(status, n.sum()));
            synchronized (errorSamples) {
                return new Outcome(name, latency.copy(), requests, ok.sum(), errors.sum(), seconds, sendSeconds, counts,
                        List.copyOf(errorSamples), bytes.sum());
            }
        }

        private static String excerpt(String body) {
            return body.length() > 300 ? body.substring(0, 300) + "…" : body;
        }
    }
}
