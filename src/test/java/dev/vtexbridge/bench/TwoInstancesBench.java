package dev.vtexbridge.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.cluster.EngineInstances;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.errors.RetryLaterException;
import dev.vtexbridge.seller.SellerCredentials;
import dev.vtexbridge.sync.ConnectionOffers;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferUpdate;
import dev.vtexbridge.sync.StockAllocation;
import dev.vtexbridge.testkit.ErpStockChanges;
import dev.vtexbridge.testkit.SellerClient;
import dev.vtexbridge.testkit.TwoEngines;
import dev.vtexbridge.vtex.VtexApi;
import org.HdrHistogram.Histogram;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;

/**
 * Benchmark {@code bench/two-instances.sh}: ERP stock changes per second with one engine instance and with two on the
 * same PostgreSQL and Kafka, and how long a hold placed on one instance takes to show in the other's projection.
 * <ul>
 *   <li>One JVM: embedded Kafka (KRaft, 4 partitions per topic), embedded PostgreSQL (engine and ERP databases),
 *       WireMock as VTEX, and the engines of {@link TwoEngines} (test profile: coalescing window 1 s, ERP polled every
 *       200 ms; the notificator budget raised so the stand-in is not throttled by design).</li>
 *   <li>Stock: the same workload twice, with one instance and then with two: {@code --skus} SKUs, ten changes each,
 *       written to the ERP's tables as fast as PostgreSQL takes them ({@link ErpStockChanges}); time from the first
 *       write until every SKU's marketplace was told what the ERP's last quantity exposes.</li>
 *   <li>Budget: with one instance and with two, 8 threads per instance take VTEX call tokens of one connection's
 *       {@value #BUDGET_FAMILY} family ({@code vtexApi.prepare}, the gate every VTEX call passes) for
 *       {@value #BUDGET_SECONDS} s; the calls granted per second by all instances together, after the first 2 s (the
 *       burst), against the family's budget.</li>
 *   <li>Holds: {@code --orders} placements of one unit, one after the other, on instance a; after each answer
 *       (committed), the time until instance b's projection shows the hold.</li>
 * </ul>
 * Arguments: {@code --skus=2000 --orders=500 --results=bench/RESULTS.md}; {@code --no-record} prints only.
 */
public final class TwoInstancesBench {

    /** The family whose budget is measured (application.yaml: 100 calls/s, burst 100, per account). */
    private static final String BUDGET_FAMILY = "oms";
    private static final int BUDGET_SECONDS = 12;

    private TwoInstancesBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = MappingBench.options(args);
        int skus = Integer.parseInt(options.getOrDefault("skus", "2000"));
        int orders = Integer.parseInt(options.getOrDefault("orders", "500"));
        Path results = Path.of(options.getOrDefault("results", "bench/RESULTS.md"));
        BenchReport report = new BenchReport(String.format("two instances: %,d stock changes over %,d SKUs with one and "
                + "two instances, hold propagation over %,d orders", skus * 10, skus, orders),
                "bench/two-instances.sh" + (args.length > 0 ? " " + String.join(" ", args) : ""));
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 4);
        kafka.brokerProperties(Map.of("num.partitions", "4"));
        kafka.afterPropertiesSet();
        TwoEngines engines = null;
        try {
            engines = TwoEngines.startFirst(kafka.getBrokersAsString(), Map.of(
                    "bridge.vtex.rate-limits.notificator.per-second", "100000",
                    "bridge.vtex.rate-limits.notificator.burst", "100000",
                    "logging.level.org.apache.kafka", "WARN",
                    "logging.level.org.apache.camel.component.kafka", "WARN"));
            engines.remote.stubFor(post(urlMatching("/[ab]/vtex(-outlet)?/api/notificator/.*")).willReturn(aResponse().withStatus(202)));
            double one = stock(engines, "ONE", skus, report);
            budget(engines, report);
            engines.startSecond();
            double two = stock(engines, "TWO", skus, report);
            budget(engines, report);
            report.target("two instances not slower than one", two >= one * 0.95,
                    String.format("%,.0f changes/s with two, %,.0f with one (ratio %.2f)", two, one, two / one));

            Histogram delays = holds(engines, orders);
            double p50 = delays.getValueAtPercentile(50) / 1e6;
            double p99 = delays.getValueAtPercentile(99) / 1e6;
            report.target("hold on one instance seen by the other, p99 ≤ 100 ms", p99 <= 100,
                    String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms over %,d holds", p50, p99,
                            delays.getMaxValue() / 1e6, delays.getTotalCount()));
            report.line("Stock path: ERP tables (erp_stock, erp_change) → SQL trigger on each instance (claims on PostgreSQL) → "
                    + "Kafka channel bridge.erp.stock → stock flow → projection (pg_notify to the other instance) → coalescer → "
                    + "bridge.offer.notifications → POST to the stand-in; done when offer_notified holds every SKU's value.");
            report.line("Hold path: POST /seller/pvt/orders on instance a (hold under the SKU's row lock, committed before the "
                    + "answer) → pg_notify → instance b re-reads the SKU; measured from a's answer to b's projection showing it.");
        } finally {
            if (engines != null) {
                engines.close();
            }
            kafka.destroy();
        }
        if (!options.containsKey("no-record")) {
            report.appendTo(results);
        }
        System.exit(report.allPassed() ? 0 : 1);
    }

    /** One run of the stock workload over new SKUs; changes per second. */
    private static double stock(TwoEngines engines, String prefix, int skus, BenchReport report) {
        OfferProjection projection = engines.a.getBean(OfferProjection.class);
        StockAllocation rules = engines.a.getBean(ConnectionOffers.class).allocation("default");
        JdbcTemplate db = new JdbcTemplate(engines.engineDb.dataSource());
        List<String> ids = ErpStockChanges.seed(engines.erp, projection, prefix, skus);
        int instances = engines.b == null ? 1 : 2;
        long start = System.nanoTime();
        Map<String, Integer> last = ErpStockChanges.write(engines.erp, ids, 10, 42);
        double written = (System.nanoTime() - start) / 1e9;
        long deadline = start + TimeUnit.MINUTES.toNanos(20);
        long wrong;
        while ((wrong = ErpStockChanges.wrong(db, projection, rules, last)) > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = skus * 10 / seconds;
        report.target(instances + " instance(s): every SKU told the ERP's final stock", wrong == 0,
                String.format("%,.0f changes/s (%,d changes in %.1f s, written in %.1f s; %d SKUs wrong)", rate, skus * 10,
                        seconds, written, wrong));
        return rate;
    }

    /** The calls granted per second by the live instances together, measured at the gate, against the budget. */
    private static void budget(TwoEngines engines, BenchReport report) throws InterruptedException {
        List<ConfigurableApplicationContext> live = engines.b == null ? List.of(engines.a) : List.of(engines.a, engines.b);
        await(live);
        double budget = engines.a.getBean(Connections.class).require(Connection.DEFAULT).rateLimit(BUDGET_FAMILY).perSecond();
        long start = System.nanoTime();
        long counted = start + TimeUnit.SECONDS.toNanos(2);
        long end = start + TimeUnit.SECONDS.toNanos(BUDGET_SECONDS);
        Map<String, LongAdder> granted = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (ConfigurableApplicationContext engine : live) {
            String name = engine == engines.a ? "a" : "b";
            VtexApi api = engine.getBean(VtexApi.class);
            CamelContext camel = engine.getBean(CamelContext.class);
            for (int t = 0; t < 8; t++) {
                Thread thread = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        Exchange exchange = new DefaultExchange(camel);
                        exchange.getIn().setHeader(Connection.HEADER, Connection.DEFAULT);
                        try {
                            api.prepare(exchange, BUDGET_FAMILY);
                            long at = System.nanoTime();
                            if (at >= counted && at < end) {
                                granted.computeIfAbsent(name, n -> new LongAdder()).increment();
                            }
                        } catch (RetryLaterException e) {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // deferred: not a call
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (end - counted) / 1e9;
        double total = granted.values().stream().mapToLong(LongAdder::sum).sum() / seconds;
        Map<String, String> perInstance = new TreeMap<>();
        granted.forEach((name, count) -> perInstance.put(name, String.format("%.1f", count.sum() / seconds)));
        report.target(String.format("%d instance(s) together within the %s budget of one account (%.0f calls/s)",
                live.size(), BUDGET_FAMILY, budget), total <= budget * 1.05,
                String.format("%.1f calls/s granted (per instance %s) over %.0f s", total, perInstance, seconds));
    }

    /** Until every instance counts all of them alive (heartbeats), so each takes its part of the budget. */
    private static void await(List<ConfigurableApplicationContext> live) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (live.stream().anyMatch(engine -> engine.getBean(EngineInstances.class).live() != live.size())
                && System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static Histogram holds(TwoEngines engines, int orders) {
        String sku = "HOLD-" + UUID.randomUUID().toString().substring(0, 8);
        OfferProjection onA = engines.a.getBean(OfferProjection.class);
        OfferProjection onB = engines.b.getBean(OfferProjection.class);
        onA.upsert(new OfferUpdate(sku, 4990L, 5990L, null, true, "un", 1, 300, null, null, null, Map.of("main", orders * 2)));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (onB.find(sku).isEmpty() && System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        SellerCredentials credentials = engines.a.getBean(SellerCredentials.class);
        SellerClient vtex = new SellerClient(engines.url(engines.a), credentials.appKey(), credentials.appToken());
        Histogram delays = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        for (int i = 1; i <= orders; i++) {
            ObjectNode order = SellerClient.fixture("order-placement.json");
            order.put("marketplaceOrderId", "BENCH-" + UUID.randomUUID());
            ((ObjectNode) order.at("/items/0")).put("id", sku).put("quantity", 1);
            order.put("marketplacePaymentValue", 4990 + 1500);
            SellerClient.Answer placed = vtex.post("/seller/pvt/orders", order);
            long answered = System.nanoTime();
            if (placed.status() != 200) {
                throw new IllegalStateException("placement " + i + " answered " + placed.status() + ": " + placed.body());
            }
            int held = i;
            long limit = answered + TimeUnit.SECONDS.toNanos(10);
            while (onB.find(sku).map(offer -> offer.held() < held).orElse(true) && System.nanoTime() < limit) {
                Thread.onSpinWait();
            }
            delays.recordValue(Math.min(System.nanoTime() - answered, TimeUnit.SECONDS.toNanos(10)));
        }
        return delays;
    }

}
