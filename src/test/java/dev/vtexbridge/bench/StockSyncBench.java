package dev.vtexbridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vtexbridge.VtexBridgeApplication;
import dev.vtexbridge.sync.NotificationCoalescer;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferState;
import dev.vtexbridge.sync.OfferUpdate;
import dev.vtexbridge.sync.StockRules;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Benchmark (b), {@code bench/stock-sync.sh}: 50,000 stock changes over 10,000 SKUs from Kafka to a loopback VTEX
 * stand-in, through the engine, versus a raw KafkaConsumer + Jackson + HttpClient loop doing the same job, in one run.
 * <ul>
 *   <li>Embedded Kafka (KRaft, 1 broker, 2 partitions per topic) and the {@link VtexStandIn} (JDK HttpServer, 202,
 *       counts inventory notifications per SKU).</li>
 *   <li>Engine: the real application in this JVM (default profile, H2 engine database, embedded H2 demo ERP),
 *       Kafka channels ({@code bridge.kafka.brokers}), stock trigger {@code kafka:erp.stock}, VTEX api-url at the
 *       stand-in, the client-side notificator rate limit raised (else the stand-in is throttled by design), every
 *       other setting at its production default (coalescing window 2 s, dispatch every 100 ms). The projection is
 *       seeded with the 10,000 SKUs first.</li>
 *   <li>Raw loop ({@link RawStockLoop}): same events on its own topic, same stock rules, same coalescing window,
 *       one notification per SKU whose exposed quantity changed, no database and no durable hop.</li>
 *   <li>Each side: a warm-up of 5,000 changes over 1,000 other SKUs, then the measured 50,000; time from the first
 *       publish until the last notification arrives (once every SKU's final value has been applied and notified and
 *       nothing arrived for the window + 1 s).</li>
 * </ul>
 * Arguments: {@code --changes=50000 --skus=10000 --order=burst|random --results=bench/RESULTS.md}; {@code --no-record}
 * prints the entry without appending it (trial runs). Order {@code burst}
 * (default): each SKU's changes come close together (SKUs in blocks of 100, their changes shuffled within the block);
 * {@code random}: all changes shuffled over the whole stream.
 */
public final class StockSyncBench {

    static final String ENGINE_TOPIC = "erp.stock";
    static final String RAW_TOPIC = "erp.stock.raw";

    record Event(String sku, String json) {
    }

    record Workload(List<Event> events, Map<String, Integer> expected) {
    }

    record Result(String name, int changes, int skus, double seconds, int notifications, int maxPerSku, int wrong) {
        double rate() {
            return changes / seconds;
        }

        double perSku() {
            return notifications / (double) skus;
        }
    }

    private StockSyncBench() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Map<String, String> options = MappingBench.options(args);
        int changes = Integer.parseInt(options.getOrDefault("changes", "50000"));
        int skus = Integer.parseInt(options.getOrDefault("skus", "10000"));
        String order = options.getOrDefault("order", "burst");
        // The engine's stock trigger and hand-off: by default the configuration README "Triggers" gives for a
        // SKU-keyed Kafka topic (batched, applied straight from the topic, a consumer thread per partition); --hand-off=copy measures the copy onto the
        // internal channel instead, --trigger=<uri> any other consumer URI on the topic.
        String handOff = options.getOrDefault("hand-off", "apply");
        String trigger = options.getOrDefault("trigger", "apply".equals(handOff)
                ? "kafka:" + ENGINE_TOPIC + "?batching=true&maxPollRecords=500&batchingIntervalMs=100&pollTimeoutMs=100&autoCommitEnable=false&breakOnFirstError=true&consumersCount=2"
                : "kafka:" + ENGINE_TOPIC);
        Path results = Path.of(options.getOrDefault("results", "bench/RESULTS.md"));
        Path work = Path.of(options.getOrDefault("work", "target/bench/stock-sync")).toAbsolutePath();
        Files.createDirectories(work);
        ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        StockRules rules = new ObjectMapper(new YAMLFactory()).readValue(Path.of("mappings", "stock-rules.yaml").toFile(), StockRules.class);

        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 2, ENGINE_TOPIC, RAW_TOPIC, "bridge.erp.stock",
                "bridge.erp.price", "bridge.erp.catalog", "bridge.offer.notifications", "bridge.orders.release",
                "bridge.orders.cancel");
        kafka.afterPropertiesSet();
        String brokers = kafka.getBrokersAsString();
        VtexStandIn vtex = new VtexStandIn();
        ConfigurableApplicationContext engine = null;
        BenchReport report = new BenchReport("(b) stock sync, " + String.format("%,d", changes) + " changes over "
                + String.format("%,d", skus) + " SKUs, Kafka → engine → VTEX stand-in vs raw loop",
                "bench/stock-sync.sh" + (args.length > 0 ? " " + String.join(" ", args) : ""));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 65536,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            long startEngine = System.nanoTime();
            engine = new SpringApplicationBuilder(VtexBridgeApplication.class).run(
                    "--server.port=0",
                    "--bridge.data-dir=" + work.resolve("data-" + UUID.randomUUID()),
                    "--bridge.kafka.brokers=" + brokers,
                    "--bridge.stock.trigger=" + trigger,
                    "--bridge.stock.hand-off=direct:stock-erp-to-vtex-" + handOff,
                    "--bridge.erp.demo-changes=false",
                    "--bridge.sandbox.enabled=false",
                    "--bridge.vtex.account=benchmarketplace",
                    "--bridge.vtex.app-key=vtexappkey-benchmarketplace-BENCH",
                    "--bridge.vtex.app-token=BENCH-TOKEN",
                    "--bridge.vtex.api-url=" + vtex.baseUrl() + "/vtex",
                    "--bridge.vtex.suggestions-url=" + vtex.baseUrl() + "/vtex-suggestions/benchmarketplace",
                    // The client-side token bucket (50/s by default) would throttle the stand-in by design: raised here.
                    "--bridge.vtex.rate-limits.notificator.per-second=1000000",
                    "--bridge.vtex.rate-limits.notificator.burst=1000000",
                    "--camel.component.kafka.consumers-count=" + options.getOrDefault("consumers", "1"),
                    "--logging.level.org.apache.kafka=WARN",
                    "--logging.level.kafka=WARN",
                    "--logging.level.state.change.logger=WARN",
                    "--logging.level.org.apache.camel.component.kafka=WARN");
            System.out.printf("Engine started in %.1f s%n", (System.nanoTime() - startEngine) / 1e9);
            Duration window = engine.getEnvironment().getProperty("bridge.sync.coalesce-window", Duration.class);
            OfferProjection projection = engine.getBean(OfferProjection.class);
            NotificationCoalescer coalescer = engine.getBean(NotificationCoalescer.class);
            JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);

            long seedStart = System.nanoTime();
            for (int i = 0; i < skus; i++) {
                projection.upsert(new OfferUpdate(sku("BS", i), 4990L, 5990L, null, true, "un", 1, 500,
                        null, null, null, Map.of("main", 10, "north", 0)));
            }
            System.out.printf("Projection seeded with %,d SKUs in %.1f s%n", skus, (System.nanoTime() - seedStart) / 1e9);

            // Engine: warm-up, then measured.
            Workload warm = workload("WE", Math.min(1000, skus), Math.min(5000, changes), order, rules, json, 7);
            runEngine("engine warm-up", warm, producer, vtex, projection, coalescer, window, jdbc);
            Workload measured = workload("BS", skus, changes, order, rules, json, 42);
            vtex.reset();
            Result engineResult = runEngine("engine", measured, producer, vtex, projection, coalescer, window, jdbc);

            // Raw loop: its own consumer and topic, the same events, the same stand-in.
            Result rawResult;
            try (RawStockLoop raw = new RawStockLoop(brokers, RAW_TOPIC, vtex.baseUrl() + "/vtex", rules, window, json)) {
                raw.start();
                Workload rawWarm = workload("WR", Math.min(1000, skus), Math.min(5000, changes), order, rules, json, 7);
                vtex.reset();
                runRaw("raw warm-up", rawWarm, producer, vtex, raw, window);
                vtex.reset();
                rawResult = runRaw("raw loop", measured, producer, vtex, raw, window);
            }

            double ratio = engineResult.rate() / rawResult.rate();
            report.target("engine ≥ 5,000 changes/s", engineResult.rate() >= 5000, String.format("%,.0f changes/s", engineResult.rate()));
            report.target("engine ≥ 60 % of the raw loop", ratio >= 0.60,
                    String.format("%.1f %% (raw loop %,.0f changes/s)", ratio * 100, rawResult.rate()));
            report.target("≤ 1.1 notifications per SKU", engineResult.perSku() <= 1.1,
                    String.format("%.3f (%,d notifications for %,d SKUs, at most %d for one SKU)",
                            engineResult.perSku(), engineResult.notifications(), engineResult.skus(), engineResult.maxPerSku()));
            report.target("every SKU's final quantity applied and notified", engineResult.wrong() == 0 && rawResult.wrong() == 0,
                    "engine " + engineResult.wrong() + " wrong, raw loop " + rawResult.wrong() + " wrong");
            report.line(String.format("Events: %,d stock changes ({\"sku\",\"warehouses\":{\"main\",\"north\"},\"updatedAt\"}, key = SKU) "
                    + "over %,d SKUs, order '%s'; never zero after the stock rules (so none skips the window).", changes, skus, order));
            report.line(String.format("Coalescing window %s (production default), dispatch every %s ms; notificator rate limit "
                    + "raised to 1,000,000/s for the run (default 50/s would throttle the stand-in by design).", window,
                    engine.getEnvironment().getProperty("bridge.sync.dispatch-interval")));
            for (Result r : List.of(engineResult, rawResult)) {
                report.line(String.format("  %-9s %,8.0f changes/s  (%.2f s from first publish to last notification; "
                        + "%,d notifications, %.3f per SKU, max %d)", r.name(), r.rate(), r.seconds(), r.notifications(),
                        r.perSku(), r.maxPerSku()));
            }
            report.line("Engine path: " + trigger + " → stock-erp-to-vtex-trigger (parse, check) → "
                    + ("apply".equals(handOff)
                        ? "stock-erp-to-vtex-apply (stockSync.applyAll: per delivery one H2 transaction with batched statements, "
                            + "each SKU's changes folded, version check, rules, projection + offer_sync written once per SKU; "
                            + "offsets committed after it; one consumer thread per partition)"
                        : "Kafka channel bridge.erp.stock → stock-erp-to-vtex (version check, rules, H2 projection + offer_sync "
                            + "in one transaction per change)")
                    + " → coalescer → Kafka channel bridge.offer.notifications → offer-notifications (read in batches: one "
                    + "read of what was told, the POSTs in parallel, the values told recorded together).");
            report.line("Raw loop: one KafkaConsumer thread, Jackson → ErpChange, same stock rules and version check in memory, same "
                    + "coalescing window per SKU, one java.net.http.HttpClient POST (sync, HTTP/1.1) per SKU whose exposed quantity "
                    + "differs from the last notified; no database, no durable hop.");
            report.line("JVM: " + String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
                    + "; broker, engine, raw loop and stand-in share it.");
        } finally {
            if (engine != null) {
                engine.close();
            }
            vtex.close();
            kafka.destroy();
        }
        if (!options.containsKey("no-record")) {
            report.appendTo(results);
        }
        System.exit(report.allPassed() ? 0 : 1);
    }

    static String sku(String prefix, int i) {
        return String.format("%s%05d", prefix, i);
    }

    /** The events, in publish order, and each SKU's exposed quantity after its last change. */
    static Workload workload(String prefix, int skus, int changes, String order, StockRules rules, ObjectMapper json, long seed)
            throws Exception {
        Random random = new Random(seed);
        List<String> slots = new ArrayList<>(changes);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < skus; i++) {
            ids.add(sku(prefix, i));
        }
        Collections.shuffle(ids, random);
        int block = 100;
        for (int from = 0; from < skus; from += block) {
            List<String> part = new ArrayList<>();
            for (int i = from; i < Math.min(skus, from + block); i++) {
                int count = changes / skus + (i < changes % skus ? 1 : 0);
                for (int c = 0; c < count; c++) {
                    part.add(ids.get(i));
                }
            }
            if ("burst".equals(order)) {
                Collections.shuffle(part, random);
            }
            slots.addAll(part);
        }
        if ("random".equals(order)) {
            Collections.shuffle(slots, random);
        } else if (!"burst".equals(order)) {
            throw new IllegalArgumentException("--order: burst or random");
        }
        OffsetDateTime base = OffsetDateTime.of(2026, 6, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusSeconds(seed);
        List<Event> events = new ArrayList<>(changes);
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            String sku = slots.get(i);
            Map<String, Integer> warehouses = new LinkedHashMap<>();
            warehouses.put("main", 2 + random.nextInt(400));
            warehouses.put("north", random.nextInt(100));
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("sku", sku);
            event.put("warehouses", warehouses);
            event.put("updatedAt", base.plusNanos(i * 1000L).toString());
            events.add(new Event(sku, json.writeValueAsString(event)));
            expected.put(sku, rules.expose("1", warehouses).values().stream().mapToInt(Integer::intValue).sum());
        }
        return new Workload(events, expected);
    }

    static long publish(KafkaProducer<String, String> producer, String topic, Workload workload) {
        long start = System.nanoTime();
        for (Event event : workload.events()) {
            producer.send(new ProducerRecord<>(topic, event.sku(), event.json()));
        }
        producer.flush();
        System.out.printf("  published %,d events in %.2f s%n", workload.events().size(), (System.nanoTime() - start) / 1e9);
        return start;
    }

    static Result runEngine(String name, Workload workload, KafkaProducer<String, String> producer, VtexStandIn vtex,
                            OfferProjection projection, NotificationCoalescer coalescer, Duration window, JdbcTemplate jdbc)
            throws InterruptedException {
        System.out.println(name + ": " + workload.events().size() + " changes");
        long start = publish(producer, ENGINE_TOPIC, workload);
        await(name, vtex, workload, window, start, () -> workload.expected().entrySet().stream()
                .allMatch(e -> projection.find(e.getKey()).map(OfferState::stock).orElse(-1).equals(e.getValue())),
                () -> coalescer.pendingCount() == 0);
        Result result = result(name, workload, vtex, start, countWrong(jdbc, workload));
        print(result);
        return result;
    }

    static Result runRaw(String name, Workload workload, KafkaProducer<String, String> producer, VtexStandIn vtex,
                         RawStockLoop raw, Duration window) throws InterruptedException {
        System.out.println(name + ": " + workload.events().size() + " changes");
        long start = publish(producer, RAW_TOPIC, workload);
        await(name, vtex, workload, window, start, () -> workload.expected().entrySet().stream()
                .allMatch(e -> e.getValue().equals(raw.exposed(e.getKey()))), raw::idle);
        int wrong = (int) workload.expected().entrySet().stream().filter(e -> !e.getValue().equals(raw.notified(e.getKey()))).count();
        Result result = result(name, workload, vtex, start, wrong);
        print(result);
        return result;
    }

    /**
     * Waits until every SKU was notified, every SKU holds its final value, the side is idle, and nothing arrived for
     * window + 1 s. Prints when every final value was first in place (how long applying took, before notifying).
     */
    static void await(String name, VtexStandIn vtex, Workload workload, Duration window, long start, BooleanSupplier applied,
                      BooleanSupplier idle) throws InterruptedException {
        long quietNanos = window.toNanos() + 1_000_000_000L;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long lastReport = System.nanoTime();
        boolean allApplied = false;
        while (true) {
            long now = System.nanoTime();
            if (!allApplied && applied.getAsBoolean()) {
                allApplied = true;
                System.out.printf("  every final value applied %.2f s after the first publish%n", (System.nanoTime() - start) / 1e9);
            }
            if (allApplied && vtex.skusNotified() >= workload.expected().size() && now - vtex.lastArrivalNanos() > quietNanos
                    && idle.getAsBoolean() && applied.getAsBoolean()) {
                return;
            }
            if (now > deadline) {
                throw new IllegalStateException(name + ": not done after 10 minutes (" + vtex.skusNotified() + " SKUs notified)");
            }
            if (now - lastReport > 5_000_000_000L) {
                System.out.printf("  ... %,d SKUs notified, %,d notifications%n", vtex.skusNotified(), vtex.notifications());
                lastReport = now;
            }
            Thread.sleep(20);
        }
    }

    static Result result(String name, Workload workload, VtexStandIn vtex, long start, int wrong) {
        return new Result(name, workload.events().size(), workload.expected().size(),
                (vtex.lastArrivalNanos() - start) / 1e9, vtex.notifications(), vtex.maxPerSku(), wrong);
    }

    static void print(Result r) {
        System.out.printf("  %s: %,.0f changes/s (%.2f s), %,d notifications, %.3f per SKU (max %d), %d wrong%n",
                r.name(), r.rate(), r.seconds(), r.notifications(), r.perSku(), r.maxPerSku(), r.wrong());
    }

    /** SKUs whose recorded notified quantity (offer_notified, connection default) is not their final exposed quantity. */
    static int countWrong(JdbcTemplate jdbc, Workload workload) {
        Map<String, Integer> told = new HashMap<>();
        jdbc.query("SELECT sku_id, notified_quantity FROM offer_notified WHERE connection_id = 'default'", rs -> {
            told.put(rs.getString(1), (Integer) rs.getObject(2, Integer.class));
        });
        return (int) workload.expected().entrySet().stream().filter(e -> !e.getValue().equals(told.get(e.getKey()))).count();
    }
}
