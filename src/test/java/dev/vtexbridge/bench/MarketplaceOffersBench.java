package dev.vtexbridge.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.vtexbridge.VtexBridgeApplication;
import dev.vtexbridge.marketplace.NotificationWindow;
import dev.vtexbridge.metrics.Backlog;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Benchmark {@code bench/marketplace-offers.sh}: the External Marketplace role's offers flow at the connection's VTEX
 * budget. 100,000 affiliate notifications over 20,000 SKUs go through the real notification endpoint
 * ({@code POST /marketplace/shop/api/notification?token=}); the engine coalesces them per SKU, reads each SKU and its
 * simulation from a loopback VTEX store ({@link StoreStandIn}) within the connection's token buckets, maps it with
 * {@code mappings/connections/shop/} and publishes it to a loopback REST sink (the same stand-in).
 * <ul>
 *   <li>Engine: the real application in this JVM (default profile: H2 engine database, embedded Artemis channels),
 *       one marketplace connection {@code shop} with {@code rate-limits.catalog} and {@code rate-limits.checkout} set
 *       to {@code --rate} per second with burst {@code --burst} (100 and 100 by default, so the run ends in a few
 *       minutes), every other setting at its production default (coalescing window 2 s, dispatch every 100 ms).</li>
 *   <li>Notifications: 5 per SKU, {@code IsActive: true}, {@code StockModified: true}; SKUs in blocks of 100 whose
 *       notifications are shuffled together, so a SKU's come close together and its window folds them. Before each
 *       notification the store's stock of its SKU is set to a new value, and its {@code DateModified} is unique: the
 *       SKU's last offer must carry the last value and the last date. {@code --senders} threads send them, one request
 *       per notification (as VTEX does); each SKU always from the same thread, so its notifications stay in order.</li>
 *   <li>Memory: after every 10 % of the notifications accepted, every 10 % of the offers published and at the end, a
 *       full collection ({@code System.gc()}) and the heap used right after it: the live set.</li>
 * </ul>
 * Arguments: {@code --notifications=100000 --skus=20000 --rate=100 --burst=100 --senders=8 --results=bench/RESULTS.md};
 * {@code --no-record} prints the entry without appending it (trial runs).
 */
public final class MarketplaceOffersBench {

    private static final String CONNECTION = "shop";
    private static final String TOKEN = "BENCH-NOTIFICATION-TOKEN";
    /** Live set at the end may exceed the one at 10 % of the notifications by this much. */
    private static final long HEAP_MARGIN = 16L * 1024 * 1024;

    record Notification(String sku, int stock, Instant dateModified) {
    }

    record Checkpoint(String label, double seconds, long liveBytes) {
    }

    private MarketplaceOffersBench() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Map<String, String> options = MappingBench.options(args);
        int total = Integer.parseInt(options.getOrDefault("notifications", "100000"));
        int skus = Integer.parseInt(options.getOrDefault("skus", "20000"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "100"));
        int burst = Integer.parseInt(options.getOrDefault("burst", "100"));
        int senders = Integer.parseInt(options.getOrDefault("senders", "8"));
        Path results = Path.of(options.getOrDefault("results", "bench/RESULTS.md"));
        Path work = Path.of(options.getOrDefault("work", "target/bench/marketplace-offers")).toAbsolutePath();
        Files.createDirectories(work);

        List<Notification> notifications = workload(total, skus, new Random(42));
        Map<String, Notification> last = new HashMap<>();
        notifications.forEach(n -> last.put(n.sku(), n));

        BenchReport report = new BenchReport("marketplace offers, " + String.format("%,d", total)
                + " affiliate notifications over " + String.format("%,d", skus) + " SKUs at " + rate
                + " VTEX calls/s per family", "bench/marketplace-offers.sh" + (args.length > 0 ? " " + String.join(" ", args) : ""));
        StoreStandIn store = new StoreStandIn();
        VtexStandIn sellerSide = new VtexStandIn();
        ConfigurableApplicationContext engine = null;
        try {
            long startEngine = System.nanoTime();
            engine = new SpringApplicationBuilder(VtexBridgeApplication.class).run(
                    "--server.port=0",
                    "--bridge.data-dir=" + work.resolve("data-" + UUID.randomUUID()),
                    "--bridge.erp.demo-changes=false",
                    "--bridge.sandbox.enabled=false",
                    // connection default (seller role) is idle here; its VTEX calls, if any, go to a separate stand-in
                    "--bridge.vtex.account=benchmarketplace",
                    "--bridge.vtex.app-key=vtexappkey-benchmarketplace-BENCH",
                    "--bridge.vtex.app-token=BENCH-TOKEN",
                    "--bridge.vtex.api-url=" + sellerSide.baseUrl() + "/vtex",
                    "--bridge.vtex.suggestions-url=" + sellerSide.baseUrl() + "/vtex-suggestions/benchmarketplace",
                    "--bridge.connections." + CONNECTION + ".role=marketplace",
                    "--bridge.connections." + CONNECTION + ".vtex.account=benchstore",
                    "--bridge.connections." + CONNECTION + ".vtex.app-key=vtexappkey-benchstore-BENCH",
                    "--bridge.connections." + CONNECTION + ".vtex.app-token=BENCH-STORE-TOKEN",
                    "--bridge.connections." + CONNECTION + ".vtex.affiliate-id=MKP",
                    "--bridge.connections." + CONNECTION + ".vtex.sales-channel=1",
                    "--bridge.connections." + CONNECTION + ".vtex.api-url=" + store.baseUrl() + "/store",
                    "--bridge.connections." + CONNECTION + ".endpoint.token=" + TOKEN,
                    "--bridge.connections." + CONNECTION + ".public-url=" + store.baseUrl(),
                    "--bridge.connections." + CONNECTION + ".offers.sink=rest",
                    "--bridge.connections." + CONNECTION + ".offers.rest.url=" + store.baseUrl() + "/offers",
                    "--bridge.connections." + CONNECTION + ".rate-limits.catalog.per-second=" + rate,
                    "--bridge.connections." + CONNECTION + ".rate-limits.catalog.burst=" + burst,
                    "--bridge.connections." + CONNECTION + ".rate-limits.checkout.per-second=" + rate,
                    "--bridge.connections." + CONNECTION + ".reconcile.enabled=false",
                    "--bridge.connections." + CONNECTION + ".rate-limits.checkout.burst=" + burst);
            System.out.printf("Engine started in %.1f s%n", (System.nanoTime() - startEngine) / 1e9);
            String port = engine.getEnvironment().getProperty("local.server.port");
            URI endpoint = URI.create("http://127.0.0.1:" + port + "/marketplace/" + CONNECTION + "/api/notification?token=" + TOKEN);
            Duration window = engine.getEnvironment().getProperty("bridge.sync.coalesce-window", Duration.class);
            NotificationWindow pending = engine.getBean(NotificationWindow.class);
            Backlog backlog = engine.getBean(Backlog.class);
            int consumers = engine.getEnvironment().getProperty("bridge.sync.marketplace-offers-consumers", Integer.class);
            // Per second since the stand-in started: the fewest SKUs seen waiting on the offers channel (window closed,
            // not yet taken). A second where that never fell below the consumers had work queued all through.
            int[] fewestWaiting = new int[3600];
            Arrays.fill(fewestWaiting, Integer.MAX_VALUE);
            JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);

            // Senders: each SKU always from the same thread, in order.
            List<List<Notification>> perSender = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                perSender.add(new ArrayList<>());
            }
            for (Notification n : notifications) {
                perSender.get(Math.floorMod(n.sku().hashCode(), senders)).add(n);
            }
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            AtomicLong lastAccepted = new AtomicLong();
            List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (List<Notification> mine : perSender) {
                Thread thread = new Thread(() -> {
                    for (Notification n : mine) {
                        store.setStock(n.sku(), n.stock());
                        try {
                            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(endpoint)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body(n))).build(), HttpResponse.BodyHandlers.ofString());
                            if (answer.statusCode() == 200 && answer.body().contains("\"accepted\": 1")) {
                                accepted.incrementAndGet();
                                lastAccepted.set(System.nanoTime());
                            } else {
                                error(errors, firstErrors, answer.statusCode() + " " + answer.body());
                            }
                        } catch (Exception e) {
                            error(errors, firstErrors, e.toString());
                        }
                    }
                }, "notification-sender");
                thread.start();
                threads.add(thread);
            }

            // Until every SKU's last offer is there, nothing is pending and no offer came for the window + 2 s.
            List<Checkpoint> checkpoints = new ArrayList<>();
            int nextIntake = 1;
            int nextOffers = 1;
            long deadline = start + Duration.ofMinutes(Integer.parseInt(options.getOrDefault("timeout-minutes", "30"))).toNanos();
            long lastReport = start;
            boolean done = false;
            while (!done) {
                long now = System.nanoTime();
                int sent = accepted.get() + errors.get();
                if (nextIntake <= 10 && sent >= (long) total * nextIntake / 10) {
                    checkpoints.add(checkpoint(nextIntake * 10 + " % of the notifications answered", start));
                    nextIntake++;
                }
                if (nextOffers <= 9 && store.offerCount() >= (long) skus * nextOffers / 10) {
                    checkpoints.add(checkpoint(String.format("%,d offers published", store.offerCount()), start));
                    nextOffers++;
                }
                if (sent >= total && store.offerCount() >= skus && now - store.lastOfferNanos() > window.toNanos() + 2_000_000_000L
                        && pending.pendingCount() == 0 && wrong(store, last) == 0) {
                    done = true;
                } else if (now > deadline) {
                    System.out.println("NOT DONE at the time limit");
                    break;
                }
                if (now - lastReport > 10_000_000_000L) {
                    System.out.printf("  %5.0f s: %,d notifications answered, %,d offers, VTEX calls catalog %,d checkout %,d, %,d pending%n",
                            (now - start) / 1e9, sent, store.offerCount(), store.calls(StoreStandIn.CATALOG),
                            store.calls(StoreStandIn.CHECKOUT), pending.pendingCount());
                    lastReport = now;
                }
                Long waiting = backlog.depth("marketplace-offers");
                int second = (int) Math.min(fewestWaiting.length - 1, (System.nanoTime() - store.startNanos()) / 1_000_000_000L);
                fewestWaiting[second] = Math.min(fewestWaiting[second], waiting == null ? 0 : waiting.intValue());
                Thread.sleep(50);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            checkpoints.add(checkpoint("end (every offer published, nothing pending)", start));

            // Figures.
            double intakeSeconds = (lastAccepted.get() - start) / 1e9;
            double intakeRate = accepted.get() / intakeSeconds;
            double offerSeconds = (store.lastOfferNanos() - store.firstOfferNanos()) / 1e9;
            Map<String, StoreStandIn.Received> received = store.offers();
            int maxPerSku = received.values().stream().mapToInt(StoreStandIn.Received::count).max().orElse(0);
            int missing = (int) last.keySet().stream().filter(s -> !received.containsKey(s)).count();
            int wrong = wrong(store, last);
            Integer listed = jdbc.queryForObject("SELECT COUNT(*) FROM marketplace_listing WHERE connection_id = ? AND status = 'LISTED'",
                    Integer.class, CONNECTION);
            Integer failed = jdbc.queryForObject("SELECT COUNT(*) FROM failed_message", Integer.class);

            report.target("notifications accepted (200, accepted 1)", errors.get() == 0,
                    String.format("%,d of %,d in %.1f s = **%,.0f notifications/s** (%d senders, one per request); %d errors%s",
                            accepted.get(), total, intakeSeconds, intakeRate, senders, errors.get(),
                            firstErrors.isEmpty() ? "" : " (first: " + firstErrors.get(0) + ")"));
            for (String family : List.of(StoreStandIn.CATALOG, StoreStandIn.CHECKOUT)) {
                Budget b = budget(store, family, rate, burst, fewestWaiting, consumers);
                report.target("VTEX " + family + " calls within the budget (" + rate + "/s, burst " + burst + "): ≤ 100 %",
                        b.maxExcess() <= 0,
                        String.format("%,d calls; at most %d calls above the token-bucket allowance (burst + %d/s since the "
                                + "first call, 10 ms bins); busiest 1 s after the first: %d calls = %.0f %% of %d/s",
                                b.calls(), Math.max(0, b.maxExcess()), rate, b.maxSecond(), 100.0 * b.maxSecond() / rate, rate));
                report.target("VTEX " + family + " budget used while work is queued: ≥ 90 %", b.queuedSeconds() > 0
                                && b.whileQueued() >= 0.90,
                        String.format("**%.1f %%** in the %d s during which at least %d SKUs (the consumers) waited on the "
                                + "offers channel all through (%,.1f calls/s); over the whole run from 1 s after the first "
                                + "call to the last (%.0f s, work arriving at the notifications' pace) %.1f %%, per full "
                                + "second min %d, max %d", b.whileQueued() * 100, b.queuedSeconds(), consumers,
                                b.whileQueued() * rate, b.seconds(), b.sustained() * 100, b.minSecond(), b.maxSecond()));
            }
            Checkpoint at10 = checkpoints.get(0);
            Checkpoint end = checkpoints.get(checkpoints.size() - 1);
            long maxLive = checkpoints.stream().mapToLong(Checkpoint::liveBytes).max().orElse(0);
            report.target("heap flat: live set at the end ≤ at 10 % of the notifications + 16 MB", end.liveBytes() <= at10.liveBytes() + HEAP_MARGIN,
                    String.format("end %s, at 10 %% %s, largest checkpoint %s (full GC at each checkpoint)", HeapWatch.mb(end.liveBytes()),
                            HeapWatch.mb(at10.liveBytes()), HeapWatch.mb(maxLive)));
            report.target("every SKU's last notification → its offer published", done && missing == 0 && wrong == 0
                            && listed != null && listed == skus && store.unexpected() == 0,
                    String.format("%,d SKUs: %d without an offer, %d whose last offer lacks its last notification's stock or "
                            + "DateModified; %,d listings LISTED; %d unexpected calls to the stand-in; %d failed messages",
                            skus, missing, wrong, listed, store.unexpected(), failed));
            report.line(String.format("Offers: %,d published for %,d SKUs = %.3f per SKU (max %d for one SKU; %,d notifications "
                    + "folded into them), %,.1f offers/s from the first to the last (%.1f s); whole run %.1f s from the first "
                    + "notification to the last offer.", store.offerCount(), skus, store.offerCount() / (double) skus, maxPerSku,
                    total, store.offerCount() / offerSeconds, offerSeconds, (store.lastOfferNanos() - start) / 1e9));
            report.line(String.format("Notifications: %,d over %,d SKUs (%d each), SKUs in blocks of 100 whose notifications are "
                    + "shuffled together; before each one the store's stock of its SKU changes and its DateModified is unique.",
                    total, skus, total / skus));
            report.line(String.format("Engine: default profile (H2 engine database, embedded Artemis channels), one marketplace "
                    + "connection '%s' (mappings/connections/shop/, REST sink), rate-limits.catalog and rate-limits.checkout "
                    + "%d/s burst %d (production defaults: catalog 250/s, checkout 50/s), coalescing window %s and dispatch "
                    + "every %s ms (production defaults); per SKU one catalog GET and one checkout simulation.", CONNECTION,
                    rate, burst, window, engine.getEnvironment().getProperty("bridge.sync.dispatch-interval")));
            report.line("Live set (heap used right after a full collection) through the run:");
            for (Checkpoint c : checkpoints) {
                report.line(String.format("  %6.1f s  %-52s %s", c.seconds(), c.label(), HeapWatch.mb(c.liveBytes())));
            }
            report.line("Largest heap left after any collection (from -Xlog:gc): " + MappingBench.maxAfterGc(work.resolve("gc.log"))
                    + "; seller-side stand-in calls (connection default, idle): " + sellerSide.notifications() + " + "
                    + sellerSide.unexpected() + " other.");
            report.line("JVM: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
                    + "; engine, stand-ins and load generator share it.");
        } finally {
            if (engine != null) {
                engine.close();
            }
            store.close();
            sellerSide.close();
        }
        if (!options.containsKey("no-record")) {
            report.appendTo(results);
        }
        System.exit(report.allPassed() ? 0 : 1);
    }

    private static void error(AtomicInteger errors, List<String> firstErrors, String what) {
        errors.incrementAndGet();
        if (firstErrors.size() < 3) {
            firstErrors.add(what);
        }
    }

    static String body(Notification n) {
        return "{\"IdSku\": \"" + n.sku() + "\", \"ProductId\": " + n.sku() + ", \"An\": \"benchstore\", \"IdAffiliate\": \"MKP\","
                + " \"DateModified\": \"" + n.dateModified() + "\", \"IsActive\": true, \"StockModified\": true,"
                + " \"PriceModified\": false, \"HasStockKeepingUnitModified\": false}";
    }

    /** SKUs in blocks of 100, each with total/skus notifications (the first ones one more for a remainder), shuffled per block. */
    static List<Notification> workload(int total, int skus, Random random) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < skus; i++) {
            ids.add(String.valueOf(1_000_000 + i));
        }
        Collections.shuffle(ids, random);
        List<String> order = new ArrayList<>(total);
        int block = 100;
        for (int from = 0; from < skus; from += block) {
            List<String> part = new ArrayList<>();
            for (int i = from; i < Math.min(skus, from + block); i++) {
                int count = total / skus + (i < total % skus ? 1 : 0);
                for (int c = 0; c < count; c++) {
                    part.add(ids.get(i));
                }
            }
            Collections.shuffle(part, random);
            order.addAll(part);
        }
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        List<Notification> notifications = new ArrayList<>(total);
        for (int seq = 0; seq < order.size(); seq++) {
            notifications.add(new Notification(order.get(seq), 1 + random.nextInt(500), base.plusMillis(seq)));
        }
        return notifications;
    }

    /** SKUs whose last offer received does not carry their last notification's stock and DateModified. */
    static int wrong(StoreStandIn store, Map<String, Notification> last) {
        int wrong = 0;
        for (Notification n : last.values()) {
            StoreStandIn.Received r = store.offers().get(n.sku());
            if (r == null || r.lastStock() != n.stock() || r.lastChangedAt() == null
                    || !Instant.parse(r.lastChangedAt()).equals(n.dateModified())) {
                wrong++;
            }
        }
        return wrong;
    }

    static Checkpoint checkpoint(String label, long start) {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Checkpoint c = new Checkpoint(label, (System.nanoTime() - start) / 1e9, used);
        System.out.printf("  %6.1f s  %s: live set %s%n", c.seconds(), label, HeapWatch.mb(used));
        return c;
    }

    /**
     * One API family's calls against its budget: {@code maxExcess}, the most calls counted by the end of a 10 ms bin
     * above what the token bucket allows by then (burst + rate × time since the first call, + 1 for the bin
     * rounding); per full second from 1 s after the first call (the burst spent) to the last call, the fewest and most
     * calls; {@code sustained}, the calls of that period over rate × its length.
     */
    record Budget(int calls, int maxExcess, int minSecond, int maxSecond, double sustained, double seconds,
                  double whileQueued, int queuedSeconds) {
    }

    static Budget budget(StoreStandIn store, String family, int rate, int burst, int[] fewestWaiting, int consumers) {
        int[] bins = store.bins(family);
        int calls = 0;
        for (int c : bins) {
            calls += c;
        }
        if (calls == 0) {
            return new Budget(0, 0, 0, 0, 0, 0, 0, 0);
        }
        long binNanos = StoreStandIn.BIN_NANOS;
        long first = store.firstCallNanos(family) - store.startNanos();
        long lastCall = store.lastCallNanos(family) - store.startNanos();
        int firstBin = (int) (first / binNanos);
        int maxExcess = Integer.MIN_VALUE;
        int cumulative = 0;
        for (int k = firstBin; k < bins.length; k++) {
            cumulative += bins[k];
            double allowed = burst + rate * (((k + 1) * binNanos - first) / 1e9) + 1;
            maxExcess = Math.max(maxExcess, (int) Math.ceil(cumulative - allowed));
        }
        int binsPerSecond = (int) (1_000_000_000L / binNanos);
        int from = firstBin + binsPerSecond;
        int lastBin = (int) (lastCall / binNanos);
        int min = Integer.MAX_VALUE;
        int max = 0;
        int sustainedCalls = 0;
        for (int s = from; s < lastBin; s += binsPerSecond) {
            int inSecond = 0;
            for (int k = s; k < Math.min(s + binsPerSecond, bins.length); k++) {
                inSecond += bins[k];
            }
            if (s + binsPerSecond <= lastBin) {
                min = Math.min(min, inSecond);
                max = Math.max(max, inSecond);
            }
        }
        for (int k = from; k < bins.length; k++) {
            sustainedCalls += bins[k];
        }
        double seconds = (lastBin + 1 - from) * binNanos / 1e9;
        double sustained = seconds <= 0 ? 0 : sustainedCalls / (rate * seconds);
        int queuedSeconds = 0;
        int queuedCalls = 0;
        for (int second = 0; second < fewestWaiting.length; second++) {
            if (fewestWaiting[second] != Integer.MAX_VALUE && fewestWaiting[second] >= consumers) {
                queuedSeconds++;
                for (int k = second * binsPerSecond; k < Math.min((second + 1) * binsPerSecond, bins.length); k++) {
                    queuedCalls += bins[k];
                }
            }
        }
        double whileQueued = queuedSeconds == 0 ? 0 : queuedCalls / (double) (rate * queuedSeconds);
        return new Budget(calls, maxExcess, min == Integer.MAX_VALUE ? 0 : min, max, sustained, seconds, whileQueued,
                queuedSeconds);
    }
}
