package dev.vtexbridge.infra;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.vtexbridge.cluster.EngineInstances;
import dev.vtexbridge.ledger.Ledger;
import dev.vtexbridge.ledger.LedgerChecker;
import dev.vtexbridge.ledger.ServedNotifications;
import dev.vtexbridge.sync.ConnectionOffers;
import dev.vtexbridge.sync.NotificationCoalescer;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferUpdate;
import dev.vtexbridge.testkit.ChildEngine;
import dev.vtexbridge.testkit.ErpStockChanges;
import dev.vtexbridge.testkit.SellerClient;
import dev.vtexbridge.testkit.TwoEngines;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two engine instances on one PostgreSQL and one Kafka, one of them halted with SIGKILL in the middle of the work
 * (not stopped: it commits no offset, releases no claim, signs off nowhere): the other finishes everything, nothing
 * is lost and nothing is done twice, and the survivor works the channel partitions the dead one held again (how soon
 * is printed: the target is 15 s, measured by {@code bench/instance-killed.sh}). Started again afterwards, the killed instance replays nothing that was already committed.
 * <p>
 * Instance {@code a} runs in the test JVM, instance {@code b} in a JVM of its own ({@link ChildEngine}), so it can
 * really die; both start at once, as the replicas of a deployment do. The work: ERP stock changes over 300 SKUs written to the ERP's tables (polled and claimed by both,
 * {@link ErpStockChanges}), and seller orders placed on one instance and fulfilled on the other, so they go to the
 * ERP ({@code erp_order}). {@code b} is killed once it has done part of the stock work and right after it took the
 * fulfilment of a few orders, so changes it claimed, records it read without committing their offsets, notifications
 * it was coalescing and order releases in its outbox are all left behind.
 * <p>
 * Settings shortened for the test, so it waits seconds instead of minutes (production defaults in brackets):
 * {@code bridge.erp.claim-lease} 5 s [60 s] with {@code bridge.erp.poll-batch} 100 [500], so a killed instance's
 * claimed ERP changes are taken again after 5 s and a batch is still handed over well within its lease;
 * {@code bridge.sync.recovery-interval} 2 s [60 s] (longer for a ledger of over 20,000 SKUs) and {@code recovery-after} 3 s [30 s], the recovery that sends
 * the notifications a dead instance was coalescing. The Kafka settings (10 s session timeout, cooperative-sticky
 * rebalancing) are the production ones, which is what the 15 s target is about. The topics have 8 partitions, so each of
 * the 2 × 4 stock consumers holds one.
 */
@EmbeddedKafka(kraft = true, brokerProperties = "num.partitions=8")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceKilledIT {

    private static final int SKUS = 300;
    private static final int CHANGES_PER_SKU = 6;
    /**
     * The ledger test's size (bench/faults.sh sets larger ones): SKUs, each changed once; how many times b is halted;
     * how many SKUs change every {@value #LEDGER_ROUND_MS} ms (13 a second by default, until the kills are done).
     */
    private static final int LEDGER_SKUS = Integer.getInteger("ledger.skus", 2_000);
    private static final int LEDGER_KILLS = Integer.getInteger("ledger.kills", 3);
    private static final int LEDGER_PER_ROUND = Integer.getInteger("ledger.per-round", 4);
    private static final long LEDGER_ROUND_MS = 300;
    /**
     * The target for the survivor, from the kill, to work again the channel partitions the dead instance held: printed
     * next to the figures, measured by {@code bench/instance-killed.sh} (a wall-clock figure, not asserted here).
     */
    private static final Duration CHANNELS_MOVING_AGAIN = Duration.ofSeconds(15);
    private static final String STOCK_TOPIC = "bridge.erp.stock";
    private static final String NOTIFICATION_TOPIC = "bridge.offer.notifications";
    private static final String RELEASE_TOPIC = "bridge.orders.release";
    private static final List<String> CHANNEL_TOPICS = List.of(STOCK_TOPIC, NOTIFICATION_TOPIC, RELEASE_TOPIC);
    private static final String STOCK_ROUTE = "stock-erp-to-vtex";
    /** Reads the notification channel in batches. */
    private static final String NOTIFICATION_ROUTE = "offer-notifications";
    private static final String NOTIFICATIONS = "/[ab]/vtex(-outlet)?/api/notificator/.*";
    /** A notification by instance a of a workload SKU; group 1 is the SKU. */
    private static final String ORDERS = "/seller/pvt/orders";
    private static final String SELLER_KEY = "vtexappkey-kill-test";
    private static final String SELLER_TOKEN = "KILL-TEST-SELLER-TOKEN";

    private static String brokers;
    private static TwoEngines engines;
    private static ChildEngine b;
    private static Admin kafka;
    private static SellerClient onA;
    private static SellerClient onB;
    private static String orderSku;
    /** The marketplace order ids of the orders placed, and their seller order ids. */
    private static final List<String> orders = new ArrayList<>();
    private static final Map<String, String> sellerOrderIds = new ConcurrentHashMap<>();
    /** When b was killed (epoch ms); 0 until then. */
    private static long killedAt;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        brokers = broker.getBrokersAsString();
        kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers));
        engines = TwoEngines.startWithChild(brokers, Map.of(
                "bridge.erp.claim-lease", "5s",
                "bridge.erp.poll-batch", "100",
                // each recovery reads every SKU: at bench/faults.sh's 100,000 one every 10 s, not every 2 s
                "bridge.sync.recovery-interval", String.valueOf(Math.max(2_000, LEDGER_SKUS / 10)),
                "bridge.sync.recovery-after", "3s",
                // both instances accept the same marketplace credentials (generated ones differ per instance)
                "bridge.seller.app-key", SELLER_KEY,
                "bridge.seller.app-token", SELLER_TOKEN,
                // the test's thousands of notifications are not what is measured: the budget is raised for both
                "bridge.vtex.rate-limits.notificator.per-second", "2000",
                "bridge.vtex.rate-limits.notificator.burst", "2000",
                "logging.level.org.apache.kafka", "WARN"));
        engines.remote.stubFor(post(urlMatching(NOTIFICATIONS)).willReturn(aResponse().withStatus(202)));
        b = engines.child;
        onA = new SellerClient(engines.url(engines.a), SELLER_KEY, SELLER_TOKEN);
        onB = new SellerClient(b.baseUrl(), SELLER_KEY, SELLER_TOKEN);
    }

    @AfterAll
    static void stop() {
        if (engines != null) {
            engines.close();
        }
        if (kafka != null) {
            kafka.close(Duration.ofSeconds(5));
        }
    }

    @Test
    @Order(1)
    void aKilledInstancesWorkIsFinishedByTheOtherOnceAndItsChannelsMoveAgainWithinFifteenSeconds() throws Exception {
        int stockConsumers = engines.a.getEnvironment().getRequiredProperty("bridge.stock.consumers", Integer.class);
        phase("both instances up");
        await("both instances alive").atMost(Duration.ofSeconds(30))
                .until(() -> engines.a.getBean(EngineInstances.class).live() == 2);
        // every consumer of both instances in its group, each holding partitions: b really has channels to lose
        Map<String, Map<String, Set<Integer>>> before = Map.of(
                STOCK_TOPIC, settled(STOCK_TOPIC, 2 * stockConsumers),
                NOTIFICATION_TOPIC, settled(NOTIFICATION_TOPIC, 2));
        phase("both instances' consumers hold partitions");
        FirstRecordWorked stockOnA = FirstRecordWorked.on(engines.a.getBean(CamelContext.class), STOCK_ROUTE);
        FirstRecordWorked notificationsOnA = FirstRecordWorked.on(engines.a.getBean(CamelContext.class), NOTIFICATION_ROUTE);

        List<String> ids = ErpStockChanges.seed(engines.erp, projection(), "KIL", SKUS);
        orderSku = newSku(1_000);
        for (int i = 0; i < 6; i++) {
            orders.add(placeAndFulfil(onA, onB));
            orders.add(placeAndFulfil(onB, onA));
        }
        List<String> placedOnA = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            placedOnA.add(place(onA));
        }

        phase("orders placed");
        int written = SKUS * CHANGES_PER_SKU;
        Map<String, Integer> last = new HashMap<>(ErpStockChanges.write(engines.erp, ids, CHANGES_PER_SKU, 42));
        await("b has done part of the stock work").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> notificationsBy("b") > 0 && ErpStockChanges.pending(engines.erp) < written * 3 / 4);
        phase("stock changes written; b took part of them");
        // b takes the fulfilment of these, and dies while their releases are on their way to the ERP
        for (String marketplaceOrderId : placedOnA) {
            fulfil(onB, marketplaceOrderId);
        }
        int pendingAtKill = ErpStockChanges.pending(engines.erp);
        long notifiedByBAtKill = notificationsBy("b");

        killedAt = System.currentTimeMillis();
        stockOnA.countFrom(killedAt);
        notificationsOnA.countFrom(killedAt);
        b.kill();
        orders.addAll(placedOnA);

        phase("b killed");
        assertThat(pendingAtKill).as("ERP changes not yet handled when b was killed").isPositive();
        // more work after the kill: half of the SKUs change again, orders go on through the survivor
        last.putAll(ErpStockChanges.write(engines.erp, ids.subList(0, SKUS / 2), 2, 43));
        for (int i = 0; i < 6; i++) {
            orders.add(placeAndFulfil(onA, onA));
        }

        Set<Integer> stockOfB = partitionsOfTheDead(STOCK_TOPIC, before.get(STOCK_TOPIC), stockConsumers);
        Set<Integer> notificationsOfB = partitionsOfTheDead(NOTIFICATION_TOPIC, before.get(NOTIFICATION_TOPIC), 1);
        assertThat(stockOfB).as("stock channel partitions b held").isNotEmpty();
        assertThat(notificationsOfB).as("notification channel partitions b held").isNotEmpty();

        JdbcTemplate db = new JdbcTemplate(engines.engineDb.dataSource());
        ConnectionOffers offers = engines.a.getBean(ConnectionOffers.class);
        await("every SKU told its final stock, on both seller connections").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(wrong(db, offers, last))
                        .as(() -> "changes not yet taken: " + ErpStockChanges.pending(engines.erp)).isZero());
        long allToldMs = System.currentTimeMillis() - killedAt;
        phase("every SKU told its final stock");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> wrong(db, offers, last) == 0);

        Map<Integer, Long> stockMoving = stockOnA.sinceCount(stockOfB);
        Map<Integer, Long> notificationsMoving = notificationsOnA.sinceCount(notificationsOfB);
        System.out.printf("INSTANCE-KILLED: b (pid %d) killed with %,d of %,d ERP changes pending and %,d notifications "
                        + "sent by it; the survivor worked again b's stock channel partitions %s after %s ms and its "
                        + "notification channel partitions %s after %s ms (slowest: %,d ms, target %,d ms); every SKU "
                        + "told its final stock %,d ms after the kill%n",
                b.pid(), pendingAtKill, written, notifiedByBAtKill, stockOfB, stockMoving, notificationsOfB,
                notificationsMoving, slowest(stockMoving, notificationsMoving), CHANNELS_MOVING_AGAIN.toMillis(), allToldMs);
        assertThat(stockMoving).as("stock channel partitions of b worked by the survivor (ms after the kill)")
                .containsOnlyKeys(stockOfB);
        assertThat(notificationsMoving).as("notification channel partitions of b worked by the survivor (ms after the kill)")
                .containsOnlyKeys(notificationsOfB);

        await("every order in the ERP").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(erpOrders()).as("ERP orders per marketplace order id")
                        .containsOnlyKeys(orders).allSatisfy((order, count) -> assertThat(count).isOne()));
        await("every order in the ERP once, still after a while").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15))
                .until(() -> erpOrders().values().stream().allMatch(count -> count == 1) && erpOrders().size() == orders.size());
        await("nothing left set aside").atMost(Duration.ofSeconds(30))
                .until(() -> db.queryForObject("SELECT COUNT(*) FROM deferred_delivery", Integer.class) == 0);
        assertThat(db.queryForList("SELECT route_id, error_message FROM failed_message"))
                .as("failed messages").isEmpty();
        System.out.printf("INSTANCE-KILLED: %d orders (%d fulfilled on b just before the kill), each written to the "
                + "ERP once; no failed message, nothing left set aside%n", orders.size(), placedOnA.size());
    }

    @Test
    @Order(2)
    void theKilledInstanceStartedAgainReplaysNoCommittedRecord() throws Exception {
        assertThat(killedAt).as("instance b was killed by the test before").isPositive();
        assertThat(b.isAlive()).isFalse();
        int stockConsumers = engines.a.getEnvironment().getRequiredProperty("bridge.stock.consumers", Integer.class);
        // the survivor committed everything it worked: what the restarted instance could read again is nothing new
        await("the channel groups committed up to the end of their topics").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> CHANNEL_TOPICS.stream().allMatch(InstanceKilledIT::committedToTheEnd));
        AtomicLong seen = new AtomicLong(-1);
        await("no notification going out any more").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30))
                .until(() -> seen.getAndSet(notifications()) == notifications());
        long notificationsBefore = notifications();
        Map<String, Integer> erpOrdersBefore = erpOrders();
        Set<String> survivorMembers = settled(STOCK_TOPIC, stockConsumers).keySet();

        phase("quiet; b starts again");
        engines.startSecond();
        phase("b up again");

        Map<String, Set<Integer>> rejoined = settled(STOCK_TOPIC, 2 * stockConsumers);
        Set<Integer> takenBack = rejoined.entrySet().stream().filter(member -> !survivorMembers.contains(member.getKey()))
                .flatMap(member -> member.getValue().stream()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(takenBack).as("stock channel partitions the restarted instance holds").isNotEmpty();
        MeterRegistry restarted = engines.b.getBean(MeterRegistry.class);
        await("the restarted instance took no message, and nothing was told or written again")
                .during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(messagesTaken(restarted)).as("messages taken by the restarted instance, per route").isEmpty();
                    assertThat(notifications()).as("notifications").isEqualTo(notificationsBefore);
                    assertThat(erpOrders()).as("ERP orders").isEqualTo(erpOrdersBefore);
                });
        System.out.printf("INSTANCE-KILLED: b started again, holds stock channel partitions %s, took no message in 10 s; "
                + "%,d notifications and %d ERP orders before and after%n", takenBack, notificationsBefore, erpOrdersBefore.size());
    }

    /**
     * The ledger through crashes: instance b, in a process of its own again, is halted with SIGKILL three times at
     * random points while ERP stock changes (each of a SKU of its own, so each is owed exactly one notification per
     * seller connection) and orders keep coming, started again each time, and finally stopped with SIGTERM under load.
     * The {@link LedgerChecker} then holds: every change and order taken on is applied once or in the failed-message
     * store, no effect twice, every SKU's final stock the ERP's. A notification b's stand-in answered less than 2 s
     * before or after a kill may go out once more, as b died before recording it; the checker counts such a repeat apart
     * (the marketplace reads the current value, so it tells nothing twice), and any other repeat as a duplicate.
     */
    @Test
    @Order(3)
    void haltedAtRandomPointsAndStoppedUnderLoadNothingIsLostOrDoneTwice() throws Exception {
        if (engines.b != null) {
            engines.b.close(); // the instance test 2 started again in this JVM: b runs as a process of its own here
            engines.b = null;
        }
        if (orderSku == null) {
            orderSku = newSku(1_000_000); // run on its own (bench/faults.sh)
        }
        long seed = Long.getLong("ledger.seed", System.nanoTime());
        Random random = new Random(seed);
        phase("ledger: random seed " + seed + " (-Dledger.seed), " + LEDGER_SKUS + " SKUs, " + LEDGER_KILLS + " kills");
        JdbcTemplate db = new JdbcTemplate(engines.engineDb.dataSource());
        ConnectionOffers offers = engines.a.getBean(ConnectionOffers.class);
        // the seeded SKUs are told nothing until their ERP change: then each is owed exactly one notification
        List<String> ids = ErpStockChanges.seed(engines.erp, projection(), "LGK", LEDGER_SKUS);
        ServedNotifications served = ServedNotifications.on(engines.remote);
        if (engines.child == null || !engines.child.isAlive()) {
            engines.startChild(true);
        }
        phase("ledger: b up as a process of its own");

        Ledger ledger = new Ledger("killed");
        Map<String, Integer> last = new ConcurrentHashMap<>();
        AtomicBoolean feeding = new AtomicBoolean(true);
        CompletableFuture<Void> feeder = CompletableFuture.runAsync(() -> feed(ledger, ids, last, feeding, seed));
        List<Instant> kills = new ArrayList<>();
        for (int i = 1; i <= LEDGER_KILLS; i++) {
            Thread.sleep(1_000 + random.nextInt(4_000));
            kills.add(Instant.now());
            engines.child.kill();
            phase("ledger: b halted (" + i + " of " + LEDGER_KILLS + "), " + last.size() + " changes fed");
            // started again and halted again once it lives, whether or not its consumers joined their groups yet
            // (after a kill that takes from seconds to minutes, and a crash does not wait for it either)
            engines.startChild(false);
            phase("ledger: b live again");
        }
        Thread.sleep(1_000 + random.nextInt(3_000));
        engines.child.close();
        phase("ledger: b stopped with SIGTERM under load, " + last.size() + " changes fed");
        feeding.set(false);
        feeder.get(60, TimeUnit.SECONDS);

        LedgerChecker.StockView stock = LedgerChecker.stock(db, projection(),
                List.of(offers.allocation("default"), offers.allocation("outlet")));
        LedgerChecker checker = new LedgerChecker(ledger,
                LedgerChecker.merged(() -> LedgerChecker.vtexNotificationsAcrossKills(served, "/b", kills,
                        Duration.ofSeconds(2)).effects(), () -> LedgerChecker.erpOrders(engines.erp)),
                () -> LedgerChecker.vtexNotificationsAcrossKills(served, "/b", kills, Duration.ofSeconds(2)).late(),
                () -> LedgerChecker.failedStore(db),
                stock,
                last);
        System.out.printf("INSTANCE-KILLED ledger: b halted %d times and stopped once under load (seed %d)%n",
                LEDGER_KILLS, seed);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
        progress.scheduleWithFixedDelay(() -> phase("ledger: channel backlog " + backlog()), 30, 30, TimeUnit.SECONDS);
        try {
            checker.awaitHolds(Duration.ofSeconds(120), Duration.ofSeconds(5)); // prints the counts
        } catch (AssertionError broken) {
            phase("ledger: channel backlog " + backlog() + ", set aside " + db.queryForObject(
                    "SELECT COUNT(*) FROM deferred_delivery", Integer.class) + ", coalescing "
                    + engines.a.getBean(NotificationCoalescer.class).pendingCount());
            stock.wrong(last).stream().limit(20).forEach(sku -> System.out.println("INSTANCE-KILLED ledger: "
                    + sku + " ERP " + last.get(sku) + ", " + whatTheEngineHolds(db, sku)));
            // what the stand-in answered for each SKU told more than once, next to the kills
            System.out.println("INSTANCE-KILLED ledger: kills at " + kills);
            Map<String, List<ServedNotifications.Served>> bySku = served.all().stream()
                    .collect(Collectors.groupingBy(n -> n.url().replaceAll(".*/changenotification/", "")
                            + (n.url().contains("vtex-outlet") ? " outlet" : " default")));
            bySku.entrySet().stream().filter(sku -> sku.getValue().size() > 1).limit(40).forEach(sku ->
                    System.out.println("INSTANCE-KILLED ledger: " + sku.getKey() + " " + sku.getValue()));
            throw broken;
        } finally {
            progress.shutdownNow();
        }
    }

    /** Per channel topic, the records its group has not committed yet (partition → count), where there are any. */
    private static Map<String, Map<Integer, Long>> backlog() {
        Map<String, Map<Integer, Long>> behind = new TreeMap<>();
        for (String topic : CHANNEL_TOPICS) {
            try {
                Map<Integer, Long> uncommitted = uncommitted(topic);
                if (!uncommitted.isEmpty()) {
                    behind.put(topic, uncommitted);
                }
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                behind.put(topic + " (not read: " + e + ")", Map.of());
            }
        }
        return behind;
    }

    /** What the survivor holds of a SKU: its projection's pool, what each marketplace was told, its pending changes. */
    private static String whatTheEngineHolds(JdbcTemplate db, String sku) {
        return "projection " + projection().find(sku).map(offer -> offer.poolByWarehouse().toString()).orElse("none")
                + ", told " + db.queryForList("SELECT connection_id, notified_quantity FROM offer_notified WHERE sku_id = ?", sku)
                + ", ERP changes pending " + engines.erp.queryForObject(
                        "SELECT COUNT(*) FROM erp_change WHERE sku_id = ? AND processed_at IS NULL", Integer.class, sku);
    }

    /**
     * Until {@code feeding} ends or the SKUs run out: every 300 ms, one stock change each for the next SKUs (a row
     * in {@code erp_stock} and one in {@code erp_change}: taken on once written), and every fifth time an order placed
     * and fulfilled on instance a (taken on once the fulfil is answered 200), whose release either instance may take.
     */
    private static void feed(Ledger ledger, List<String> ids, Map<String, Integer> last, AtomicBoolean feeding, long seed) {
        Random random = new Random(seed + 1);
        int next = 0;
        for (int round = 0; feeding.get() && next + LEDGER_PER_ROUND <= ids.size(); round++) {
            long due = System.currentTimeMillis() + LEDGER_ROUND_MS;
            List<String> block = ids.subList(next, next + LEDGER_PER_ROUND);
            next += LEDGER_PER_ROUND;
            List<Object[]> stock = new ArrayList<>();
            for (String sku : block) {
                stock.add(new Object[] {12 + random.nextInt(300), sku});
            }
            engines.erp.batchUpdate("UPDATE erp_stock SET quantity = ?, updated_at = clock_timestamp() WHERE sku_id = ?"
                    + " AND warehouse_id = 'main'", stock);
            engines.erp.batchUpdate("INSERT INTO erp_change (entity, sku_id, changed_at) VALUES ('stock', ?, now())",
                    block.stream().map(sku -> new Object[] {sku}).toList());
            for (Object[] change : stock) {
                String sku = (String) change[1];
                last.put(sku, (Integer) change[0]);
                ledger.ack(ledger.feed("erp-stock", sku, List.of(LedgerChecker.notified("inventory", "default", sku),
                        LedgerChecker.notified("inventory", "outlet", sku)), List.of(sku)), "committed");
            }
            if (round % 5 == 0) {
                String marketplaceOrderId = place(onA);
                Ledger.Event order = ledger.feed("order", marketplaceOrderId,
                        List.of(LedgerChecker.erpOrder(marketplaceOrderId)), List.of(marketplaceOrderId));
                fulfil(onA, marketplaceOrderId);
                ledger.ack(order, "fulfilled");
            }
            if (round % 50 == 0) {
                engines.remote.resetRequests(); // WireMock's own journal would hold a long run whole (ServedNotifications)
            }
            try {
                Thread.sleep(Math.max(0, due - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void phase(String what) {
        System.out.printf("INSTANCE-KILLED [%s] %s%n", LocalTime.now(), what);
    }

    /**
     * When the survivor first took a record of each partition of the topic a route reads, counted from a moment on: a
     * Camel event notifier on its context, which sees every exchange the route's consumer creates with its record's
     * partition, or with the records of a batch (a list of exchanges, each with its partition).
     */
    static final class FirstRecordWorked extends EventNotifierSupport {

        private final String routeId;
        private final Map<Integer, Long> first = new ConcurrentHashMap<>();
        private volatile long from = Long.MAX_VALUE;

        private FirstRecordWorked(String routeId) {
            this.routeId = routeId;
            setIgnoreCamelContextEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreStepEvents(true);
        }

        static FirstRecordWorked on(CamelContext camel, String routeId) {
            FirstRecordWorked notifier = new FirstRecordWorked(routeId);
            ServiceHelper.startService(notifier);
            camel.getManagementStrategy().addEventNotifier(notifier);
            return notifier;
        }

        void countFrom(long epochMillis) {
            from = epochMillis;
        }

        /** Of those partitions, each one taken from since {@link #countFrom} and how many ms after that it first was. */
        Map<Integer, Long> sinceCount(Set<Integer> partitions) {
            Map<Integer, Long> since = new TreeMap<>();
            first.forEach((partition, at) -> {
                if (partitions.contains(partition)) {
                    since.put(partition, at - from);
                }
            });
            return since;
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.ExchangeCreatedEvent;
        }

        @Override
        public void notify(CamelEvent event) {
            long now = System.currentTimeMillis();
            Exchange exchange = ((CamelEvent.ExchangeCreatedEvent) event).getExchange();
            if (now < from || !routeId.equals(exchange.getFromRouteId())) {
                return;
            }
            List<?> batch = exchange.getIn().getBody() instanceof List<?> records ? records : List.of(exchange);
            for (Object record : batch) {
                if (record instanceof Exchange taken && taken.getIn().getHeader(KafkaConstants.PARTITION) instanceof Integer partition) {
                    first.putIfAbsent(partition, now);
                }
            }
        }
    }

    /**
     * The partitions of the topic each member of its consumer group holds, once the group is stable with
     * {@code members} members holding every partition.
     */
    private static Map<String, Set<Integer>> settled(String topic, int members) {
        Map<String, Set<Integer>> held = new HashMap<>();
        await(topic + ": " + members + " consumers holding all its partitions").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                    int partitions = partitions(topic);
                    ConsumerGroupDescription group = kafka.describeConsumerGroups(List.of(group(topic))).all()
                            .get(5, TimeUnit.SECONDS).get(group(topic));
                    held.clear();
                    for (MemberDescription member : group.members()) {
                        held.put(member.consumerId(), member.assignment().topicPartitions().stream()
                                .filter(p -> p.topic().equals(topic)).map(TopicPartition::partition).collect(Collectors.toSet()));
                    }
                    return group.state() == ConsumerGroupState.STABLE && held.size() == members
                            && held.values().stream().mapToInt(Set::size).sum() == partitions;
                });
        return held;
    }

    /** The partitions held before by members that are gone once the group settled with the survivor's consumers. */
    private static Set<Integer> partitionsOfTheDead(String topic, Map<String, Set<Integer>> before, int survivorMembers) {
        Set<String> alive = settled(topic, survivorMembers).keySet();
        return before.entrySet().stream().filter(member -> !alive.contains(member.getKey()))
                .flatMap(member -> member.getValue().stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static long slowest(Map<Integer, Long> first, Map<Integer, Long> second) {
        return Stream.concat(first.values().stream(), second.values().stream())
                .mapToLong(Long::longValue).max().orElse(-1);
    }

    private static boolean committedToTheEnd(String topic) {
        try {
            return uncommitted(topic).isEmpty();
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** The records of each partition of the topic its group has not committed yet, where there are any. */
    private static Map<Integer, Long> uncommitted(String topic) throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets(group(topic))
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions(topic); p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<Integer, Long> behind = new TreeMap<>();
        kafka.listOffsets(latest).all().get(5, TimeUnit.SECONDS).forEach((partition, end) -> {
            OffsetAndMetadata at = committed.get(partition);
            long count = end.offset() - (at == null ? 0 : at.offset());
            if (count > 0) {
                behind.put(partition.partition(), count);
            }
        });
        return behind;
    }

    private static int partitions(String topic) {
        try {
            return kafka.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions().size();
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("topic " + topic + " not described", e);
        }
    }

    /** Each channel topic is read by its own consumer group (ChannelConfiguration). */
    private static String group(String topic) {
        return "vtex-bridge." + topic;
    }

    /** SKUs whose marketplace, on either seller connection, was not told what the ERP's last quantity exposes. */
    private static long wrong(JdbcTemplate db, ConnectionOffers offers, Map<String, Integer> last) {
        return ErpStockChanges.wrong(db, projection(), offers.allocation("default"), last)
                + ErpStockChanges.wrong(db, projection(), offers.allocation("outlet"), last);
    }

    /** Messages the instance took (bridge.flow.exchanges), per route that took any. */
    private static Map<String, Double> messagesTaken(MeterRegistry registry) {
        Map<String, Double> taken = new TreeMap<>();
        for (Counter counter : registry.find("bridge.flow.exchanges").counters()) {
            if (counter.count() > 0) {
                taken.merge(counter.getId().getTag("routeId"), counter.count(), Double::sum);
            }
        }
        return taken;
    }

    private static long notifications() {
        return engines.remote.countRequestsMatching(postRequestedFor(urlMatching(NOTIFICATIONS)).build()).getCount();
    }

    private static long notificationsBy(String instance) {
        return engines.remote.countRequestsMatching(postRequestedFor(
                urlMatching("/" + instance + "/vtex(-outlet)?/api/notificator/.*")).build()).getCount();
    }

    /** ERP orders per marketplace order id of this test. */
    private static Map<String, Integer> erpOrders() {
        Map<String, Integer> counts = new HashMap<>();
        engines.erp.query("SELECT marketplace_order_id, COUNT(*) FROM erp_order WHERE marketplace_order_id LIKE 'KIL-%' "
                + "GROUP BY marketplace_order_id", rs -> {
                    counts.put(rs.getString(1), rs.getInt(2));
                });
        return counts;
    }

    private static String placeAndFulfil(SellerClient placeOn, SellerClient fulfilOn) {
        String marketplaceOrderId = place(placeOn);
        fulfil(fulfilOn, marketplaceOrderId);
        return marketplaceOrderId;
    }

    /** Places a one-unit order and returns its marketplace order id. */
    private static String place(SellerClient on) {
        ObjectNode order = SellerClient.fixture("order-placement.json");
        String marketplaceOrderId = "KIL-" + UUID.randomUUID();
        order.put("marketplaceOrderId", marketplaceOrderId);
        ((ObjectNode) order.at("/items/0")).put("id", orderSku).put("quantity", 1);
        order.put("marketplacePaymentValue", 4990L + 1500);
        SellerClient.Answer placed = on.post(ORDERS, order);
        assertThat(placed.status()).as(placed.body()).isEqualTo(200);
        sellerOrderIds.put(marketplaceOrderId, placed.json().path("orderId").asText());
        return marketplaceOrderId;
    }

    private static void fulfil(SellerClient on, String marketplaceOrderId) {
        SellerClient.Answer fulfilled = on.post(ORDERS + "/" + sellerOrderIds.get(marketplaceOrderId) + "/fulfill",
                "{\"marketplaceOrderId\":\"" + marketplaceOrderId + "\"}");
        assertThat(fulfilled.status()).as(fulfilled.body()).isEqualTo(200);
    }

    private static String newSku(int stock) {
        String sku = "KILORD-" + UUID.randomUUID().toString().substring(0, 8);
        projection().upsert(new OfferUpdate(sku, 4990L, 5990L, null, true, "un", 1, 300, new BigDecimal("2"),
                new BigDecimal("30"), new BigDecimal("40"), Map.of("main", stock)));
        return sku;
    }

    private static OfferProjection projection() {
        return engines.a.getBean(OfferProjection.class);
    }
}
