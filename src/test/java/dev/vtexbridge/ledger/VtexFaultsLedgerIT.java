package dev.vtexbridge.ledger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.sync.ConnectionOffers;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.testkit.EmbeddedPostgresSupport;
import dev.vtexbridge.testkit.EngineLauncher;
import dev.vtexbridge.testkit.ErpRows;
import dev.vtexbridge.testkit.ErpStockChanges;
import dev.vtexbridge.testkit.OpsClient;
import dev.vtexbridge.testkit.OrderDriver;
import dev.vtexbridge.testkit.SellerClient;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reduced fault suite of the ledger: one engine (engine database and ERP on embedded PostgreSQL, durable channels
 * on Kafka, the price trigger on a queue of the embedded Artemis broker) and a WireMock stand-in for VTEX, all on
 * 127.0.0.1. Each scenario feeds a {@link Ledger} (ERP stock changes in the ERP's tables, webhook events, seller
 * placements and fulfils, Kafka records, JMS messages), makes VTEX or the delivery misbehave, and ends with the
 * {@link LedgerChecker}: everything acknowledged applied exactly once or in the failed-message store, and every SKU's
 * final stock the ERP's, on both seller connections (default and outlet).
 * <p>
 * The faults: VTEX answering 429 with and without Retry-After, 5xx bursts (within the in-thread retries, beyond them,
 * and beyond every retry: stored, then replayed by an operator), answers slower than the read timeout (on the
 * notifications and on the order invoices); the same placement and fulfil twice, at once and one after the other;
 * a webhook event delivered twice and an older version delivered late; ERP change rows of a SKU whose times disagree
 * with their order; records that are not JSON or not the schema on the Kafka stock and notification channels and on
 * the JMS price queue, each followed by valid changes of the same keys; an ERP ten times faster than a connection's
 * VTEX budget; the ERP's database, the engine's database (with a record failing meanwhile, which cannot reach the
 * failed-message store either), the Kafka broker and the embedded Artemis broker down mid-flight. An answer that came after the read timeout was
 * never seen by the engine, which sent the call again: such answers are counted apart ("late answers").
 * <p>
 * The VTEX faults are on connection default's account; outlet's answers 202 throughout (at a budget of
 * {@value #OUTLET_BUDGET} notifications a second), so each change there is a control. Settings shortened for the test (production in brackets): {@code bridge.vtex.read-timeout} 3 s [20 s], so
 * a slow answer is a 3.5 s delay; {@code bridge.errors.default-retry-after} 1 s [60 s]; the test profile's
 * redeliveries (3, 20 to 100 ms apart [10, 1 to 60 s]) and its 1 s coalescing window [2 s].
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VtexFaultsLedgerIT {

    /**
     * The engine's read timeout here. Not shorter: on a loaded machine (the build runs two ITs at once on two cores) an
     * answer the stand-in gave at once can reach the engine a second later; the engine then sends again, and the
     * stand-in cannot tell that repeat from a duplicate.
     */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /**
     * How long an operator's wait after an outage may take: a message set aside whose hand-off to its channel failed
     * while the broker was down is sent again 30 s later (DeferredDeliveries), so it may reach its channel 30–45 s
     * after the broker is back.
     */
    private static final Duration AFTER_AN_OUTAGE = Duration.ofMinutes(2);
    private static final Duration QUIET = Duration.ofSeconds(2);
    /** How long a database is down in the outage scenarios: the issue's 30 s unless {@code -Dledger.outage=<seconds>}. */
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("ledger.outage", 30));
    /**
     * How many times each fault happens: each scenario's count of SKUs, orders and records, and each outage, times
     * this ({@code -Dledger.rounds=<n>}; bench/faults.sh runs 10).
     */
    private static final int ROUNDS = Integer.getInteger("ledger.rounds", 1);
    /** How long the Kafka broker is down in its outage scenario ({@code -Dledger.broker-outage=<seconds>}). */
    private static final Duration BROKER_OUTAGE = Duration.ofSeconds(Long.getLong("ledger.broker-outage", 20));
    /** Connection outlet's notification budget (a second), and the SKUs the ERP changes at once against it. */
    private static final int OUTLET_BUDGET = 25;
    private static final int FLOOD = Integer.getInteger("ledger.flood", 300);
    private static final String SELLER_KEY = "vtexappkey-ledger";
    private static final String SELLER_TOKEN = "LEDGER-SELLER-TOKEN";
    private static final String ERP_TOKEN = "ledger-erp-token";
    private static final String OPS_TOKEN = "ledger-ops-token";
    private static final String PRICE_QUEUE = "ledger.erp.price";
    private static final String STOCK_CHANNEL = "bridge.erp.stock";
    private static final String NOTIFICATION_CHANNEL = "bridge.offer.notifications";
    private static final String INVENTORY = "inventory";
    private static final List<String> SELLERS = List.of("default", "outlet");

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<LedgerChecker.Verdict> verdicts = new CopyOnWriteArrayList<>();
    private static final List<Long> scenarioMillis = new CopyOnWriteArrayList<>();
    private static long scenarioStarted;
    private static final Random random = new Random(16);
    private static WireMockServer vtex;
    private static EmbeddedPostgresSupport.Database engineDb;
    private static EmbeddedPostgresSupport.Database erpDb;
    private static ConfigurableApplicationContext engine;
    private static JdbcTemplate db;
    private static JdbcTemplate erp;
    private static TransactionTemplate erpTx;
    private static OfferProjection projection;
    private static ConnectionOffers offers;
    private static StoppableKafka kafka;
    private static String brokers;
    private static long started;

    @BeforeAll
    static void start() {
        started = System.nanoTime();
        // the channel topics exist before the engine's consumers subscribe, and groups form at once
        kafka = new StoppableKafka(2, Map.of("num.partitions", "2", "group.initial.rebalance.delay.ms", "0"),
                "bridge.orders.release", "bridge.orders.cancel", "bridge.erp.catalog", "bridge.erp.price",
                "bridge.erp.stock", "bridge.offer.notifications", "bridge.erp.order-events", "bridge.orders.marketplace-calls",
                "bridge.marketplace.notifications", "bridge.marketplace.offers", "bridge.marketplace.orders",
                "bridge.marketplace.events");
        brokers = kafka.brokers();
        vtex = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().asynchronousResponseEnabled(true)
                .containerThreads(32));
        vtex.start();
        vtex.stubFor(post(urlPathMatching("/vtex(-outlet)?/api/notificator/.*")).atPriority(10)
                .willReturn(aResponse().withStatus(202)));
        engineDb = EmbeddedPostgresSupport.newDatabase();
        erpDb = EmbeddedPostgresSupport.newDatabase();
        Flyway.configure().dataSource(erpDb.dataSource()).locations("classpath:db/erp")
                .placeholders(Map.of("demo_changes", "false")).load().migrate();
        erp = new JdbcTemplate(erpDb.dataSource());
        erpTx = new TransactionTemplate(new DataSourceTransactionManager(erpDb.dataSource()));
        for (String table : List.of("erp_attribute", "erp_sku_image", "erp_price", "erp_stock", "erp_change", "erp_sku",
                "erp_product")) {
            erp.update("DELETE FROM " + table);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.address", "127.0.0.1");
        properties.put("test.remote-url", "http://127.0.0.1:" + vtex.port());
        properties.putAll(engineDb.springProperties());
        properties.put("bridge.erp.datasource.url", erpDb.jdbcUrl());
        properties.put("bridge.erp.datasource.username", erpDb.username());
        properties.put("bridge.erp.datasource.password", erpDb.password());
        properties.put("bridge.erp.migrate", "true");
        properties.put("bridge.erp.webhook-token", ERP_TOKEN);
        properties.put("bridge.ops.token", OPS_TOKEN);
        properties.put("bridge.kafka.brokers", brokers);
        // the price trigger reads a queue of the embedded Artemis broker: the JMS side of the suite
        properties.put("bridge.price.trigger", "jms:queue:" + PRICE_QUEUE);
        properties.put("bridge.seller.app-key", SELLER_KEY);
        properties.put("bridge.seller.app-token", SELLER_TOKEN);
        properties.put("bridge.vtex.read-timeout", READ_TIMEOUT.toMillis() + "ms");
        properties.put("bridge.errors.default-retry-after", "1");
        // the faults are what is tested, not the client-side budget
        properties.put("bridge.vtex.rate-limits.notificator.per-second", "2000");
        properties.put("bridge.vtex.rate-limits.notificator.burst", "2000");
        // but connection outlet has a budget, which the flood scenario overruns ten times over
        properties.put("bridge.connections.outlet.rate-limits.notificator.per-second", Integer.toString(OUTLET_BUDGET));
        properties.put("bridge.connections.outlet.rate-limits.notificator.burst", Integer.toString(OUTLET_BUDGET));
        // the marketplace role is not what is tested: two offer consumers (of the topic's two partitions), not 16
        properties.put("bridge.sync.marketplace-offers-consumers", "2");
        properties.put("camel.main.routes-include-pattern", "${bridge.routes-location}**/*.camel.yaml");
        properties.put("logging.level.org.apache.kafka", "WARN");
        engine = EngineLauncher.start("ledger", properties);
        db = new JdbcTemplate(engineDb.dataSource());
        projection = engine.getBean(OfferProjection.class);
        offers = engine.getBean(ConnectionOffers.class);
        System.out.printf("LEDGER engine up after %,d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
        if (vtex != null) {
            vtex.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        StringBuilder summary = new StringBuilder("LEDGER summary of ").append(verdicts.size()).append(" scenarios, ")
                .append(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).append(" ms in all\n");
        for (int i = 0; i < verdicts.size(); i++) {
            String table = verdicts.get(i).table();
            summary.append(i == 0 ? table : table.substring(table.indexOf('\n') + 1))
                    .append(String.format(" %,7d ms", scenarioMillis.get(i))).append('\n');
        }
        System.out.print(summary);
    }

    @BeforeEach
    void startClock() {
        scenarioStarted = System.nanoTime();
    }

    @Test
    @Order(1)
    void vtexAnswering429WithRetryAfterDefersAndThenTellsEachSkuOnce() {
        Ledger ledger = new Ledger("429-retry-after");
        List<String> skus = seed("RA", 6 * ROUNDS);
        skus.forEach(sku -> firstAnswers(sku, aResponse().withStatus(429).withHeader("Retry-After", "1")));
        Map<String, Integer> stock = erpChanges(ledger, skus, 3, false);

        verify(ledger, stock);
        assertThat(answered("LDGRA", 429)).as("429s VTEX answered").isEqualTo(skus.size());
    }

    @Test
    @Order(2)
    void vtexAnswering429WithoutRetryAfterDefersAndThenTellsEachSkuOnce() {
        Ledger ledger = new Ledger("429-no-retry-after");
        List<String> skus = seed("RN", 6 * ROUNDS);
        skus.forEach(sku -> firstAnswers(sku, aResponse().withStatus(429), aResponse().withStatus(429)));
        Map<String, Integer> stock = erpChanges(ledger, skus, 3, false);

        verify(ledger, stock);
        assertThat(answered("LDGRN", 429)).as("429s VTEX answered").isEqualTo(2 * skus.size());
    }

    @Test
    @Order(3)
    void vtexAnswering5xxBurstsIsRetriedUntilEachSkuIsToldOnce() {
        Ledger ledger = new Ledger("5xx-bursts");
        List<String> skus = seed("SB", 10 * ROUNDS);
        int errors = 0;
        for (int i = 0; i < skus.size(); i++) {
            // bursts of none (a control, sent alongside the others) to four errors: within the in-thread retries, and
            // beyond them (set aside, sent back)
            List<ResponseDefinitionBuilder> burst = new ArrayList<>();
            for (int n = 0; n < i % 5; n++) {
                burst.add(aResponse().withStatus(n % 2 == 0 ? 503 : 500).withBody("burst " + n));
            }
            errors += burst.size();
            firstAnswers(skus.get(i), burst.toArray(ResponseDefinitionBuilder[]::new));
        }
        Map<String, Integer> stock = erpChanges(ledger, skus, 2, false);

        verify(ledger, stock);
        assertThat(answered("LDGSB", 503) + answered("LDGSB", 500)).as("5xx VTEX answered").isEqualTo(errors);
    }

    @Test
    @Order(4)
    void vtexAnswering5xxBeyondEveryRetryEndsInTheFailedStoreAndItsReplayTellsOnce() {
        Ledger ledger = new Ledger("5xx-exhausted");
        List<String> skus = seed("SX", 3 * ROUNDS);
        List<StubMapping> down = skus.stream().map(sku -> vtex.stubFor(post(urlPathMatching(notificationPath("vtex", sku,
                INVENTORY))).atPriority(2).willReturn(aResponse().withStatus(503).withBody("down for " + sku)))).toList();
        Map<String, Integer> stock = erpChanges(ledger, skus, 2, false);

        await("each SKU's notification in the failed store").atMost(SETTLE).pollInterval(Duration.ofMillis(250))
                .until(() -> failedRowsNaming(skus).size() == skus.size());
        List<Map<String, Object>> failed = failedRowsNaming(skus);
        assertThat(failed).as("failed rows of the SKUs").allSatisfy(row -> {
            assertThat(row.get("route_id")).isEqualTo("offer-notifications");
            assertThat(row.get("http_status")).isEqualTo(503);
        });
        // nothing was told connection default, and nothing is lost: the ledger holds with the failed rows
        LedgerChecker.Verdict beforeReplay = checker(ledger, Map.of()).check();
        assertThat(beforeReplay.lost()).as(beforeReplay.describe()).isEmpty();
        assertThat(beforeReplay.inFailedStore()).isEqualTo(ledger.events().size());

        // VTEX is back; an operator replays the stored notifications, each once
        down.forEach(vtex::removeStub);
        OpsClient ops = new OpsClient(engineUrl(), OPS_TOKEN);
        for (Map<String, Object> row : failed) {
            OpsClient.Answer replayed = ops.post("/ops/api/failed/" + row.get("id") + "/replay");
            assertThat(replayed.status()).as(replayed.body()).isBetween(200, 299);
        }

        verify(ledger, stock);
    }

    @Test
    @Order(5)
    void vtexAnsweringSlowerThanTheReadTimeoutIsSentAgainAndTellsEachSkuOnce() {
        Ledger ledger = new Ledger("slower-than-read-timeout");
        List<String> skus = seed("SL", 4 * ROUNDS);
        skus.forEach(sku -> firstAnswers(sku, aResponse().withStatus(202)
                .withFixedDelay((int) READ_TIMEOUT.toMillis() + 500)));
        Map<String, Integer> stock = erpChanges(ledger, skus, 2, false);

        LedgerChecker.Verdict verdict = verify(ledger, stock);
        assertThat(verdict.late()).as("answers the engine gave up on").isEqualTo(skus.size());
    }

    @Test
    @Order(6)
    void aPlacementDeliveredTwiceAndFulfilledTwiceIsOneErpOrder() {
        Ledger ledger = new Ledger("placement-twice");
        SellerClient vtexCalls = new SellerClient(engineUrl(), SELLER_KEY, SELLER_TOKEN);
        OrderDriver offers = new OrderDriver(vtexCalls, projection, engine.getBean(OrderLinks.class));
        for (int i = 0; i < 4 * ROUNDS; i++) {
            String marketplaceOrderId = "LDG-" + System.nanoTime() + "-" + i;
            ObjectNode order = SellerClient.fixture("order-placement.json");
            order.put("marketplaceOrderId", marketplaceOrderId)
                    .put("marketplaceServicesEndpoint", "http://127.0.0.1:" + vtex.port() + "/mse");
            ((ObjectNode) order.at("/items/0")).put("id", offers.newSku()).put("quantity", 2);
            List<String> effect = List.of(LedgerChecker.erpOrder(marketplaceOrderId));
            // the repeat at once (two at a time for half of them), as VTEX retries a placement it got no answer to
            List<CompletableFuture<SellerClient.Answer>> placements = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                Ledger.Event placement = ledger.feed("placement", marketplaceOrderId, effect);
                CompletableFuture<SellerClient.Answer> placed = CompletableFuture.supplyAsync(
                        () -> answered(ledger, placement, vtexCalls.post("/seller/pvt/orders", order)));
                if (i % 2 == 0) {
                    placed.join();
                }
                placements.add(placed);
            }
            List<String> orderIds = placements.stream().map(CompletableFuture::join)
                    .map(answer -> answer.json().path("orderId").asText()).distinct().toList();
            assertThat(orderIds).as("seller order ids of %s", marketplaceOrderId).hasSize(1);
            // the fulfil twice as well, at once for the orders placed one after the other
            List<CompletableFuture<SellerClient.Answer>> fulfils = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                Ledger.Event fulfil = ledger.feed("fulfil", marketplaceOrderId, effect);
                CompletableFuture<SellerClient.Answer> fulfilled = CompletableFuture.supplyAsync(() -> answered(ledger,
                        fulfil, vtexCalls.post("/seller/pvt/orders/" + orderIds.get(0) + "/fulfill",
                                "{\"marketplaceOrderId\":\"" + marketplaceOrderId + "\"}")));
                if (i % 2 == 1) {
                    fulfilled.join();
                }
                fulfils.add(fulfilled);
            }
            assertThat(fulfils.stream().map(CompletableFuture::join).map(answer -> answer.json().path("receipt").asText())
                    .distinct().toList()).as("receipts of the fulfils of %s", marketplaceOrderId).hasSize(1);
        }

        verify(ledger, Map.of());
    }

    @Test
    @Order(7)
    void aWebhookEventDeliveredTwiceOrAnOlderVersionDeliveredLateChangesNothingMore() {
        Ledger ledger = new Ledger("webhook-twice-reordered");
        List<String> twice = seed("WT", 4 * ROUNDS);
        List<String> reordered = seed("WR", 4 * ROUNDS);
        Map<String, Integer> stock = new LinkedHashMap<>();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (String sku : twice) {
            int quantity = 20 + random.nextInt(300);
            stock.put(sku, quantity);
            webhook(ledger, sku, stockEvent(sku, quantity, now), now);
        }
        for (String sku : reordered) {
            int newer = 20 + random.nextInt(300);
            stock.put(sku, newer);
            webhook(ledger, sku, stockEvent(sku, newer, now), now);
        }
        // the first deliveries told; then the same events again, and the reordered SKUs' older versions
        checker(ledger, stock).awaitHolds(SETTLE, Duration.ZERO);
        for (String sku : twice) {
            webhook(ledger, sku, stockEvent(sku, stock.get(sku), now), now);
        }
        for (String sku : reordered) {
            OffsetDateTime older = now.minusMinutes(5);
            webhook(ledger, sku, stockEvent(sku, stock.get(sku) + 7, older), older);
        }
        // a delivery that is not JSON is refused as a whole, and nothing of it may be applied
        Ledger.Event broken = ledger.feed("webhook", "not JSON",
                List.of(LedgerChecker.notified(INVENTORY, "default", twice.get(0) + "X")));
        HttpResponse<String> refused = postWebhook("{\"sku\": \"" + twice.get(0) + "X\", \"warehouse\": \"main\", quantity: 3");
        answered(ledger, broken, refused.statusCode(), refused.body());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);

        verify(ledger, stock);
    }

    @Test
    @Order(8)
    void erpChangesOfASkuOutOfOrderEndWithItsLatestStock() {
        Ledger ledger = new Ledger("erp-changes-out-of-order");
        List<String> skus = seed("EO", 6 * ROUNDS);
        Map<String, Integer> stock = erpChanges(ledger, skus, 4, true);

        verify(ledger, stock);
    }

    @Test
    @Order(9)
    void poisonRecordsOnTheKafkaStockChannelGoToTheFailedStoreAndTheChannelGoesOn() throws Exception {
        Ledger ledger = new Ledger("kafka-poison");
        // keyed by SKUs whose valid changes follow: a poison record must not hold up its key
        List<String> skus = seed("KP", 4 * ROUNDS);
        List<String> kinds = List.of("not-json", "wrong-type", "no-sku", "not-a-notification");
        for (int i = 0; i < skus.size(); i++) {
            String kind = kinds.get(i % kinds.size());
            Ledger.Event poison = ledger.feed("kafka-record", kind, List.of());
            String body = switch (kind) {
                case "not-json" -> "stock of " + poison.id() + ": twelve";
                case "wrong-type" -> "{\"sku\":\"" + poison.id() + "\",\"warehouses\":{\"main\":\"many\"}}";
                case "no-sku" -> "{\"warehouse\":\"main\",\"quantity\":3,\"priceList\":\"" + poison.id() + "\"}";
                default -> "{\"notification\":\"" + poison.id() + "\"}";
            };
            // the last one on the notification channel, which is read in batches
            sendRecord(ledger, kind.equals("not-a-notification") ? NOTIFICATION_CHANNEL : STOCK_CHANNEL, skus.get(i), body, poison);
        }
        // valid changes after them, on the same channels and keys
        Map<String, Integer> stock = erpChanges(ledger, skus, 2, false);

        verify(ledger, stock);
    }

    @Test
    @Order(10)
    void poisonMessagesOnTheJmsPriceQueueGoToTheFailedStoreAndTheQueueGoesOn() {
        Ledger ledger = new Ledger("jms-poison");
        ProducerTemplate jms = engine.getBean(ProducerTemplate.class);
        for (String kind : Collections.nCopies(ROUNDS, List.of("not-json", "wrong-type", "no-sku")).stream()
                .flatMap(List::stream).toList()) {
            Ledger.Event poison = ledger.feed("jms-message", kind, List.of());
            String body = switch (kind) {
                case "not-json" -> "price of " + poison.id() + ": cheap";
                case "wrong-type" -> "{\"sku\":\"" + poison.id() + "\",\"price\":\"cheap\"}";
                default -> "{\"price\":52.90,\"priceList\":\"" + poison.id() + "\"}";
            };
            jms.sendBodyAndHeader("jms:queue:" + PRICE_QUEUE, body, "LedgerEventId", poison.id());
            ledger.ack(poison, "sent to Artemis");
        }
        List<String> skus = seed("JP", 4 * ROUNDS);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (int i = 0; i < skus.size(); i++) {
            jmsPrice(ledger, jms, skus.get(i), 60 + i, now);
        }

        verify(ledger, Map.of());
    }

    /**
     * The engine's embedded Artemis broker stopped for {@link #BROKER_OUTAGE} with price changes queued for the price
     * flow, then started again: what was queued is delivered from its journal, each price told once; what the ERP
     * could not send meanwhile (refused) it sends again once the broker is back.
     */
    @Test
    @Order(23)
    void theArtemisBrokerStoppedMidFlightAndStartedAgainLosesNothing() throws Exception {
        Ledger ledger = new Ledger("artemis-broker-restart");
        ActiveMQServer artemis = engine.getBean(EmbeddedActiveMQ.class).getActiveMQServer();
        ProducerTemplate jms = engine.getBean(ProducerTemplate.class);
        int refused = 0;
        for (List<String> skus : rounds("AB", 8)) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            for (int i = 0; i < 4; i++) {
                jmsPrice(ledger, jms, skus.get(i), 70 + i, now);
            }
            long back = System.nanoTime() + BROKER_OUTAGE.toNanos();
            artemis.stop();
            List<Runnable> retries = new ArrayList<>();
            try {
                for (int i = 4; i < 8; i++) {
                    String sku = skus.get(i);
                    int price = 70 + i;
                    try {
                        CompletableFuture.runAsync(() -> jmsPrice(ledger, jms, sku, price, now)).get(15, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notTaken) {
                        retries.add(() -> jmsPrice(ledger, jms, sku, price, now));
                    }
                }
                sleepUntil(back);
            } finally {
                artemis.start();
            }
            refused += retries.size();
            retries.forEach(Runnable::run);
        }
        System.out.printf("LEDGER artemis-broker-restart: %d price changes refused while the broker was down%n", refused);

        verify(ledger, Map.of());
    }

    /** A price change sent to the JMS price queue, an event whose effects are its price notifications. */
    private static void jmsPrice(Ledger ledger, ProducerTemplate jms, String sku, int reais, OffsetDateTime version) {
        Ledger.Event price = ledger.feed("jms-price", sku + "@" + version,
                SELLERS.stream().map(connection -> LedgerChecker.notified("price", connection, sku)).toList(), skuTrace(sku));
        try {
            jms.sendBody("jms:queue:" + PRICE_QUEUE, "{\"sku\":\"" + sku + "\",\"price\":" + reais + ".90,\"listPrice\":"
                    + "99.90,\"updatedAt\":\"" + version + "\"}");
        } catch (RuntimeException e) {
            ledger.refuse(price, "not sent: " + e.getMessage());
            throw e;
        }
        ledger.ack(price, "sent to Artemis");
    }

    @Test
    @Order(11)
    void invoicesToldTheMarketplaceUnderVtexFaultsReachItOnce() {
        Ledger ledger = new Ledger("invoice-faults");
        vtex.stubFor(post(urlPathMatching("/mse/api/oms/pvt/orders/.*")).atPriority(10)
                .willReturn(okJson("{\"date\":\"2026-12-07T10:00:00Z\",\"orderId\":\"x\",\"receipt\":\"r\"}")));
        SellerClient vtexCalls = new SellerClient(engineUrl(), SELLER_KEY, SELLER_TOKEN);
        OrderDriver marketplace = new OrderDriver(vtexCalls, projection, engine.getBean(OrderLinks.class));
        ErpRows erpRows = new ErpRows(new NamedParameterJdbcTemplate(erpDb.dataSource()));
        List<List<ResponseDefinitionBuilder>> faults = List.of(
                List.of(aResponse().withStatus(429).withHeader("Retry-After", "1")),
                List.of(aResponse().withStatus(429)),
                List.of(aResponse().withStatus(503), aResponse().withStatus(502)),
                List.of(aResponse().withStatus(200).withFixedDelay((int) READ_TIMEOUT.toMillis() + 500)
                        .withBody("{\"receipt\":\"late\"}")));
        for (List<ResponseDefinitionBuilder> answers : Collections.nCopies(ROUNDS, faults).stream()
                .flatMap(List::stream).toList()) {
            OrderDriver.Placed order = marketplace.placeFulfilAndAwaitErp("http://127.0.0.1:" + vtex.port() + "/mse/api/oms?an=ledger");
            String path = "/mse/api/oms/pvt/orders/" + order.marketplaceOrderId() + "/invoice";
            String state = Scenario.STARTED;
            for (int i = 0; i < answers.size(); i++) {
                vtex.stubFor(post(urlPathMatching(path)).atPriority(1).inScenario(path).whenScenarioStateIs(state)
                        .willSetStateTo("answered-" + (i + 1)).willReturn(answers.get(i)));
                state = "answered-" + (i + 1);
            }
            Ledger.Event invoice = ledger.feed("erp-invoice", order.marketplaceOrderId() + ":NF-1",
                    List.of(LedgerChecker.invoiced(order.marketplaceOrderId())), List.of(order.marketplaceOrderId()));
            erpRows.invoice(order.erpOrderId(), "NF-" + order.erpOrderId(), "Output", order.sku(), 2,
                    OrderDriver.UNIT_PRICE, OrderDriver.ORDER_VALUE);
            ledger.ack(invoice, "committed in erp_invoice");
        }

        LedgerChecker.Verdict verdict = verify(ledger, Map.of());
        assertThat(verdict.late()).as("answers the engine gave up on").isEqualTo(ROUNDS);
    }

    /**
     * The ERP's database down for {@link #OUTAGE} (new connections refused, open ones cut) while stock changes come by
     * webhook and orders are placed and fulfilled: once it is back every change is told and every fulfilled order
     * reaches the ERP once, or its failure is in the failed-message store.
     */
    @Test
    @Order(20)
    void theErpDatabaseDownLosesNoChangeAndNoOrder() throws Exception {
        Ledger ledger = new Ledger("erp-database-down");
        Map<String, Integer> stock = new LinkedHashMap<>();
        for (List<String> skus : rounds("ED", 6)) {
            long back = System.nanoTime() + OUTAGE.toNanos();
            erpDb.allowConnections(false);
            try {
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                for (String sku : skus) {
                    int quantity = 20 + random.nextInt(300);
                    stock.put(sku, quantity);
                    webhook(ledger, sku, stockEvent(sku, quantity, now), now);
                }
                placeAndFulfil(ledger, 4);
                sleepUntil(back);
            } finally {
                erpDb.allowConnections(true);
            }
            replayWhatWasStored(ledger);
        }

        verify(ledger, stock);
    }

    /**
     * The engine's own database down for {@link #OUTAGE} while stock changes come by webhook and orders are placed:
     * what the engine answered 2xx is applied once it is back (or stored, or parked and then stored), what it refused
     * is sent again, as VTEX and an ERP retry, and is then applied once.
     */
    @Test
    @Order(21)
    void theEngineDatabaseDownLosesNothingItTookOn() throws Exception {
        Ledger ledger = new Ledger("engine-database-down");
        Map<String, Integer> stock = new LinkedHashMap<>();
        for (List<String> skus : rounds("DD", 6)) {
            List<Runnable> retries = new ArrayList<>();
            long back = System.nanoTime() + OUTAGE.toNanos();
            engineDb.allowConnections(false);
            try {
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                for (String sku : skus) {
                    int quantity = 20 + random.nextInt(300);
                    stock.put(sku, quantity);
                    String body = stockEvent(sku, quantity, now);
                    webhookOrRetryLater(ledger, sku, body, now, retries);
                }
                // a record that fails every time, while the failed-message store is down too: parked, then stored
                Ledger.Event poison = ledger.feed("kafka-record", "not-json", List.of());
                sendRecord(ledger, STOCK_CHANNEL, skus.get(0), "stock of " + poison.id() + ": many", poison);
                sleepUntil(back);
            } finally {
                engineDb.allowConnections(true);
            }
            retries.forEach(Runnable::run);
            placeAndFulfil(ledger, 2); // and the engine takes orders again
            replayWhatWasStored(ledger);
        }

        verify(ledger, stock);
    }

    /**
     * The Kafka broker stopped for {@link #BROKER_OUTAGE} with changes on their way through the channels, while more
     * ERP changes, webhook events and orders come, then started again: every change is told once and every fulfilled
     * order reaches the ERP once. A webhook event the engine could not hand to its channel is answered 503 (within the
     * producer's 20 s) and sent again once the broker is back, as an ERP does.
     */
    @Test
    @Order(22)
    void theKafkaBrokerStoppedMidFlightAndStartedAgainLosesNothing() throws Exception {
        Ledger ledger = new Ledger("kafka-broker-restart");
        Map<String, Integer> stock = new LinkedHashMap<>();
        int refused = 0;
        for (List<String> skus : rounds("KB", 12)) {
            stock.putAll(erpChanges(ledger, skus.subList(0, 4), 2, false));
            Thread.sleep(200); // claimed, on the channels, coalescing
            long back = System.nanoTime() + BROKER_OUTAGE.toNanos();
            kafka.stopBroker();
            List<CompletableFuture<Void>> webhooks = new ArrayList<>();
            List<Runnable> retries = new CopyOnWriteArrayList<>();
            try {
                stock.putAll(erpChanges(ledger, skus.subList(4, 8), 2, false));
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                for (String sku : skus.subList(8, 12)) {
                    int quantity = 20 + random.nextInt(300);
                    stock.put(sku, quantity);
                    String body = stockEvent(sku, quantity, now);
                    webhooks.add(CompletableFuture.runAsync(() -> webhookOrRetryLater(ledger, sku, body, now, retries)));
                }
                placeAndFulfil(ledger, 2);
                sleepUntil(back);
            } finally {
                kafka.startBroker();
            }
            webhooks.forEach(CompletableFuture::join);
            refused += retries.size();
            retries.forEach(Runnable::run);
            placeAndFulfil(ledger, 2);
            replayWhatWasStored(ledger);
        }
        System.out.printf("LEDGER kafka-broker-restart: %d webhook events refused while the broker was down%n", refused);

        verify(ledger, stock);
    }

    /**
     * As an operator does once an outage is over: waits until everything taken on is applied or in the failed store
     * (a failure parked while the store was down reaches it later), then replays every stored failure of the ledger.
     */
    private void replayWhatWasStored(Ledger ledger) {
        try {
            await("everything applied or in the failed store").atMost(AFTER_AN_OUTAGE).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        LedgerChecker.Verdict verdict = checker(ledger, Map.of()).check();
                        assertThat(verdict.lost()).as(verdict.describe()).isEmpty();
                    });
        } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
            printWhatTheStandInsSaw(ledger);
            throw e;
        }
        List<String> traces = ledger.events().stream().flatMap(event -> event.traces().stream()).distinct().toList();
        OpsClient ops = new OpsClient(engineUrl(), OPS_TOKEN);
        for (Map<String, Object> row : failedRowsNaming(traces)) {
            OpsClient.Answer replayed = ops.post("/ops/api/failed/" + row.get("id") + "/replay");
            assertThat(replayed.status()).as(replayed.body()).isBetween(200, 299);
        }
    }

    /** Places and fulfils {@code count} orders, each one event whose effect is its ERP order. */
    private void placeAndFulfil(Ledger ledger, int count) {
        SellerClient vtexCalls = new SellerClient(engineUrl(), SELLER_KEY, SELLER_TOKEN);
        OrderDriver marketplace = new OrderDriver(vtexCalls, projection, engine.getBean(OrderLinks.class));
        for (int i = 0; i < count; i++) {
            String marketplaceOrderId = "LDG-" + ledger.scope() + "-" + System.nanoTime();
            Ledger.Event order = ledger.feed("order", marketplaceOrderId, List.of(LedgerChecker.erpOrder(marketplaceOrderId)),
                    List.of(marketplaceOrderId));
            marketplace.placeAndFulfil("http://127.0.0.1:" + vtex.port() + "/mse", marketplaceOrderId);
            ledger.ack(order, "fulfilled");
        }
    }

    /**
     * An ERP ten times faster than connection outlet's VTEX budget ({@link #OUTLET_BUDGET} notifications a second):
     * {@link #FLOOD} SKUs change in one ERP transaction. The sending threads wait for the budget's tokens (or set a
     * notification aside in the database when the wait would be long), so what is not sent yet waits on its durable
     * channel, not in memory; every SKU is told once, and never faster than the budget and its burst.
     */
    @Test
    @Order(13)
    void anErpTenTimesFasterThanTheVtexBudgetIsToldEverythingOnce() throws Exception {
        Ledger ledger = new Ledger("ten-times-the-budget");
        Map<String, Integer> stock = new LinkedHashMap<>();
        for (List<String> skus : rounds("FL", FLOOD)) {
            long fed = System.nanoTime();
            stock.putAll(erpChangesAtOnce(ledger, skus));
            double perSecond = skus.size() / Math.max(0.001, (System.nanoTime() - fed) / 1e9);
            System.out.printf("LEDGER ten-times-the-budget: %d changes fed at %.0f/s against outlet's %d/s%n",
                    skus.size(), perSecond, OUTLET_BUDGET);
            checker(ledger, stock).awaitHolds(SETTLE, Duration.ZERO);
        }
        verify(ledger, stock);

        // the budget held: in no second did outlet's account get more than a second's tokens and the burst; every
        // SKU told its stock once (the stale recovery also tells each the seeded price the ERP never changed)
        List<LoggedRequest> told = vtex.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(request -> request.getUrl().startsWith("/vtex-outlet/"))
                .filter(request -> request.getUrl().contains("/changenotification/LDGFL"))
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
        int busiestSecond = 0;
        for (int first = 0, last = 0; last < told.size(); last++) {
            while (told.get(last).getLoggedDate().getTime() - told.get(first).getLoggedDate().getTime() >= 1000) {
                first++;
            }
            busiestSecond = Math.max(busiestSecond, last - first + 1);
        }
        long stockTold = told.stream().filter(request -> request.getUrl().endsWith("/" + INVENTORY)).count();
        System.out.printf("LEDGER ten-times-the-budget: outlet told %d notifications (%d of stock), at most %d in one "
                + "second%n", told.size(), stockTold, busiestSecond);
        assertThat(stockTold).as("outlet's stock notifications of the flood").isEqualTo(FLOOD * ROUNDS);
        assertThat(busiestSecond).as("outlet's notifications in its busiest second").isLessThanOrEqualTo(2 * OUTLET_BUDGET);
    }

    /**
     * The checker's readers of the real stand-ins are not blind: a notification told twice (the test tells VTEX's
     * stand-in once more what the first scenario had the engine tell it) is a duplicate, and an acknowledged change
     * nothing came of is lost.
     */
    @Test
    @Order(12)
    void theCheckerSeesADoubledAndALostEffectAtTheRealStandIns() throws Exception {
        Ledger ledger = new Ledger("checker-self-check");
        String told = LedgerChecker.notified(INVENTORY, "default", "LDGRA00000");
        ledger.ack(ledger.feed("erp-stock-change", "LDGRA00000#1", List.of(told)), "committed");
        Ledger.Event never = ledger.feed("erp-stock-change", "LDGNEVER#1",
                List.of(LedgerChecker.notified(INVENTORY, "default", "LDGNEVER")));
        ledger.ack(never, "committed");
        assertThat(checker(ledger, Map.of()).check().duplicates()).as("told once so far").isEmpty();

        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + vtex.port()
                        + "/vtex/api/notificator/bridgeseller/changenotification/LDGRA00000/inventory"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(202);

        LedgerChecker.Verdict verdict = checker(ledger, Map.of()).check();
        System.out.println("LEDGER (a doubled and a lost effect, on purpose)\n" + verdict.describe());
        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.duplicates()).containsOnlyKeys(told);
        assertThat(verdict.lost()).singleElement().asString().startsWith(never.id());
    }

    // ----- the stand-ins -----

    /** Writes a record to a channel topic as another producer would; the event is acknowledged once Kafka took it. */
    private static void sendRecord(Ledger ledger, String topic, String key, String body, Ledger.Event event)
            throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, body);
            record.headers().add("LedgerEventId", event.id().getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(10, TimeUnit.SECONDS);
        }
        ledger.ack(event, "acked by Kafka");
    }

    /** The engine listens on 127.0.0.1 only. */
    private static String engineUrl() {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) engine).getWebServer().getPort();
    }

    private static LedgerChecker checker(Ledger ledger, Map<String, Integer> erpStock) {
        return new LedgerChecker(ledger,
                LedgerChecker.merged(() -> LedgerChecker.vtexNotifications(vtex, READ_TIMEOUT).effects(),
                        () -> LedgerChecker.invoices(vtex, READ_TIMEOUT).effects(), () -> LedgerChecker.erpOrders(erp)),
                LedgerChecker.merged(() -> LedgerChecker.vtexNotifications(vtex, READ_TIMEOUT).late(),
                        () -> LedgerChecker.invoices(vtex, READ_TIMEOUT).late()),
                () -> LedgerChecker.failedStore(db),
                LedgerChecker.stock(db, projection, SELLERS.stream().map(offers::allocation).toList()),
                erpStock);
    }

    private static LedgerChecker.Verdict verify(Ledger ledger, Map<String, Integer> erpStock) {
        LedgerChecker.Verdict verdict;
        try {
            verdict = checker(ledger, erpStock).awaitHolds(SETTLE, QUIET);
        } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
            printWhatTheStandInsSaw(ledger);
            throw e;
        }
        verdicts.add(verdict);
        scenarioMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - scenarioStarted));
        return verdict;
    }

    /** For a failed scenario: every call VTEX's stand-in got about the ledger's keys, and what the engine recorded. */
    private static void printWhatTheStandInsSaw(Ledger ledger) {
        List<String> keys = ledger.events().stream().map(event -> event.key().replaceAll("[#@:].*", "")).distinct().toList();
        StringBuilder text = new StringBuilder("LEDGER what the stand-ins saw of " + ledger.scope() + ":\n");
        vtex.getAllServeEvents().stream()
                .filter(event -> keys.stream().anyMatch(key -> event.getRequest().getUrl().contains(key)))
                .sorted(java.util.Comparator.comparing(event -> event.getRequest().getLoggedDate()))
                .forEach(event -> text.append(event.getRequest().getLoggedDate().toInstant()).append(' ')
                        .append(event.getRequest().getMethod()).append(' ').append(event.getRequest().getUrl()).append(" → ")
                        .append(event.getResponse().getStatus()).append('\n'));
        for (String key : keys) {
            text.append(key).append(" told: ").append(db.queryForList("SELECT * FROM offer_notified WHERE sku_id = ?", key))
                    .append("; sync: ").append(db.queryForList("SELECT * FROM offer_sync WHERE sku_id = ?", key))
                    .append("; set aside: ").append(db.queryForList("SELECT id, route_id, reason, due_at, released_at, "
                            + "message_key FROM deferred_delivery WHERE body LIKE ?", "%" + key + "%")).append('\n');
        }
        text.append("ledger: ").append(ledger.events()).append('\n');
        System.out.print(text);
    }

    /** VTEX answers a SKU's inventory notifications on connection default with these first, then 202. */
    private static void firstAnswers(String sku, ResponseDefinitionBuilder... answers) {
        String scenario = "first-answers-" + sku;
        String state = Scenario.STARTED;
        for (int i = 0; i < answers.length; i++) {
            String next = "answered-" + (i + 1);
            vtex.stubFor(post(urlPathMatching(notificationPath("vtex", sku, INVENTORY))).atPriority(1)
                    .inScenario(scenario).whenScenarioStateIs(state).willSetStateTo(next).willReturn(answers[i]));
            state = next;
        }
    }

    /**
     * How a failed-message row names a change of a SKU: the SKU as a JSON field of its body (the channel's event, the
     * notification), not merely the SKU anywhere, which a poison record keyed by it would match too.
     */
    private static List<String> skuTrace(String sku) {
        return List.of("\"sku\":\"" + sku + "\"");
    }

    /** How many notifications of SKUs starting with {@code prefix} VTEX's stand-in answered with {@code status}. */
    private static long answered(String prefix, int status) {
        return vtex.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().contains("/changenotification/" + prefix))
                .filter(event -> event.getResponse().getStatus() == status).count();
    }

    private static String notificationPath(String account, String sku, String kind) {
        return "/" + account + "/api/notificator/[^/]+/changenotification/" + sku + "/" + kind;
    }

    /**
     * {@link #ROUNDS} rounds of {@code perRound} new SKUs, one per round of an outage, each round's seeded as it starts:
     * a SKU seeded minutes before its first change would be told its seeded values by the stale recovery first.
     */
    private static Iterable<List<String>> rounds(String prefix, int perRound) {
        return () -> IntStream.range(0, ROUNDS).mapToObj(round -> seed(prefix + round, perRound)).iterator();
    }

    private static List<String> seed(String prefix, int count) {
        return ErpStockChanges.seed(erp, projection, "LDG" + prefix, count);
    }

    /** The FAILED rows whose body holds one of {@code texts} (SKUs, traces). */
    private static List<Map<String, Object>> failedRowsNaming(List<String> texts) {
        return db.queryForList("SELECT id, route_id, http_status, error_message, body, headers FROM failed_message "
                + "WHERE status = 'FAILED'").stream()
                .filter(row -> texts.stream().anyMatch(text -> String.valueOf(row.get("body")).contains(text)))
                .toList();
    }

    /**
     * Writes {@code perSku} stock changes of every SKU into the ERP's tables as an ERP would (its stock row updated,
     * a change row added), one transaction per SKU; with {@code reversed} each later change's row carries an earlier
     * {@code changed_at}. Returns each SKU's last quantity.
     */
    private static Map<String, Integer> erpChanges(Ledger ledger, List<String> skus, int perSku, boolean reversed) {
        Map<String, Integer> last = new LinkedHashMap<>();
        OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC);
        for (String sku : skus) {
            List<Ledger.Event> changes = new ArrayList<>();
            try {
                List<Integer> quantities = new ArrayList<>();
                for (int seq = 1; seq <= perSku; seq++) {
                    quantities.add(20 + random.nextInt(380));
                    changes.add(ledger.feed("erp-stock-change", sku + "#" + seq,
                            SELLERS.stream().map(connection -> LedgerChecker.notified(INVENTORY, connection, sku)).toList(),
                            skuTrace(sku)));
                }
                erpTx.executeWithoutResult(status -> {
                    for (int seq = 1; seq <= perSku; seq++) {
                        erp.update("UPDATE erp_stock SET quantity = ?, updated_at = clock_timestamp() WHERE sku_id = ? "
                                + "AND warehouse_id = 'main'", quantities.get(seq - 1), sku);
                        erp.update("INSERT INTO erp_change (entity, sku_id, changed_at) VALUES ('stock', ?, ?)", sku,
                                reversed ? base.minusSeconds(seq) : base.plusNanos(seq * 1000L));
                    }
                });
                changes.forEach(change -> ledger.ack(change, "committed in erp_change"));
                last.put(sku, quantities.get(perSku - 1));
            } catch (RuntimeException e) {
                changes.forEach(change -> ledger.refuse(change, "ERP transaction failed: " + e.getMessage()));
                throw e;
            }
        }
        return last;
    }

    /** One stock change of every SKU, written in one transaction (as an ERP's bulk import does); returns the quantities. */
    private static Map<String, Integer> erpChangesAtOnce(Ledger ledger, List<String> skus) {
        Map<String, Integer> quantities = new LinkedHashMap<>();
        List<Ledger.Event> changes = new ArrayList<>();
        for (String sku : skus) {
            quantities.put(sku, 20 + random.nextInt(380));
            changes.add(ledger.feed("erp-stock-change", sku + "#1",
                    SELLERS.stream().map(connection -> LedgerChecker.notified(INVENTORY, connection, sku)).toList(),
                    skuTrace(sku)));
        }
        erpTx.executeWithoutResult(status -> {
            erp.batchUpdate("UPDATE erp_stock SET quantity = ?, updated_at = clock_timestamp() WHERE sku_id = ? "
                    + "AND warehouse_id = 'main'", skus.stream().map(sku -> new Object[] {quantities.get(sku), sku}).toList());
            erp.batchUpdate("INSERT INTO erp_change (entity, sku_id, changed_at) VALUES ('stock', ?, clock_timestamp())",
                    skus.stream().map(sku -> new Object[] {sku}).toList());
        });
        changes.forEach(change -> ledger.ack(change, "committed in erp_change"));
        return quantities;
    }

    private static String stockEvent(String sku, int quantity, OffsetDateTime version) {
        return "{\"sku\":\"" + sku + "\",\"warehouse\":\"main\",\"quantity\":" + quantity + ",\"updatedAt\":\"" + version + "\"}";
    }

    /** A stock event by webhook that the engine must take (202). */
    private static void webhook(Ledger ledger, String sku, String body, OffsetDateTime version) {
        HttpResponse<String> answer = webhookAnswer(ledger, sku, body, version);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    }

    /**
     * A stock event by webhook during an outage: one the engine refuses (503) is added to {@code retries}, to be sent
     * again once the outage is over, as an ERP does.
     */
    private static void webhookOrRetryLater(Ledger ledger, String sku, String body, OffsetDateTime version,
                                            List<Runnable> retries) {
        if (webhookAnswer(ledger, sku, body, version).statusCode() != 202) {
            retries.add(() -> webhook(ledger, sku, body, version));
        }
    }

    /** Until the end of an outage ({@link System#nanoTime} value). */
    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
    }

    /** A stock event by webhook, in the ledger as taken or refused by the engine's answer. */
    private static HttpResponse<String> webhookAnswer(Ledger ledger, String sku, String body, OffsetDateTime version) {
        Ledger.Event event = ledger.feed("webhook-stock", sku + "@" + version,
                SELLERS.stream().map(connection -> LedgerChecker.notified(INVENTORY, connection, sku)).toList(), skuTrace(sku));
        HttpResponse<String> answer = postWebhook(body);
        answered(ledger, event, answer.statusCode(), answer.body());
        return answer;
    }

    private static HttpResponse<String> postWebhook(String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(engineUrl() + "/erp/events/stock"))
                    .timeout(Duration.ofSeconds(40))
                    .header("Authorization", "Bearer " + ERP_TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static SellerClient.Answer answered(Ledger ledger, Ledger.Event event, SellerClient.Answer answer) {
        answered(ledger, event, answer.status(), answer.body());
        return answer;
    }

    private static void answered(Ledger ledger, Ledger.Event event, int status, String body) {
        if (status >= 200 && status <= 299) {
            ledger.ack(event, Integer.toString(status));
        } else {
            ledger.refuse(event, status + " " + body);
        }
    }
}
