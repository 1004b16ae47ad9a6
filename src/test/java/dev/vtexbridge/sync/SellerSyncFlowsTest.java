package dev.vtexbridge.sync;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seller flows end to end on the shared engine (demo ERP on H2, WireMock as the VTEX marketplace): ERP change
 * table, webhook and CSV drop as triggers; suggestion body and notification paths; guardrail; coalescing; versions.
 */
class SellerSyncFlowsTest extends EngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SELLER = "bridgeseller";

    @Autowired
    @Qualifier("erpJdbc")
    NamedParameterJdbcTemplate erp;
    @Autowired
    OfferProjection projection;
    @Autowired
    StockSync stockSync;
    @Autowired
    OfferSyncStore syncStore;
    @Autowired
    OfferNotifications offerNotifications;
    @Autowired
    MeterRegistry meters;
    @Autowired
    CamelContext camel;
    @Value("${bridge.erp.drop-dir}")
    String dropDir;
    @Value("${bridge.erp.drop-max-file-bytes}")
    long maxDropFileBytes;

    OpsClient ops;

    @BeforeEach
    void marketplace() {
        ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        remote.stubFor(post(urlMatching("/vtex/api/sku-binding/pvt/skuseller/changenotification/.*"))
                .willReturn(aResponse().withStatus(404).withBody("Seller StockKeepingUnit not found")));
        remote.stubFor(put(urlMatching("/vtex-suggestions/testmarketplace/suggestions/.*")).willReturn(aResponse().withStatus(200)));
        remote.stubFor(post(urlMatching("/vtex/api/notificator/.*")).willReturn(aResponse().withStatus(202)));
    }

    @Test
    void erpChangeRowsReachTheMarketplaceAsSuggestionAndNotifications() throws Exception {
        String sku = "P0002-1";
        change("catalog", sku);
        change("price", sku);
        change("stock", sku);

        await().atMost(Duration.ofSeconds(15)).until(() -> !requests(putRequestedFor(urlEqualTo(
                "/vtex-suggestions/testmarketplace/suggestions/" + SELLER + "/" + sku))).isEmpty());
        JsonNode suggestion = JSON.readTree(requests(putRequestedFor(urlEqualTo(
                "/vtex-suggestions/testmarketplace/suggestions/" + SELLER + "/" + sku))).get(0).getBodyAsString());
        assertThat(suggestion.path("ProductId").asText()).isEqualTo("P0002");
        assertThat(suggestion.path("SellerId").asText()).isEqualTo(SELLER);
        assertThat(suggestion.path("CategoryFullPath").asText()).isEqualTo("Apparel/Shirts");
        assertThat(suggestion.path("BrandName").asText()).isEqualTo("Cobalt");
        assertThat(suggestion.path("RefId").asText()).isEqualTo(sku);
        assertThat(suggestion.path("EAN").asText()).hasSize(13);
        assertThat(suggestion.path("Images").get(0).path("imageUrl").asText())
                .isEqualTo("https://images.seller.example/products/P0002-1-1.jpg");
        assertThat(suggestion.path("SkuSpecifications").toString()).contains("\"Color\"").contains("\"Blue\"");
        long erpCents = erpPriceCents(sku);
        assertThat(suggestion.path("Pricing").path("SalePrice").isIntegralNumber()).isTrue();
        assertThat(suggestion.path("Pricing").path("SalePrice").asLong()).isEqualTo(erpCents);
        assertThat(suggestion.path("Pricing").path("Currency").asText()).isEqualTo("BRL");
        assertThat(remote.findAll(postRequestedFor(urlEqualTo("/vtex/api/sku-binding/pvt/skuseller/changenotification/"
                + SELLER + "/" + sku)))).isNotEmpty();

        await().atMost(Duration.ofSeconds(15)).until(() -> notifications(sku, "price") == 1 && notifications(sku, "inventory") == 1);
        OfferState offer = projection.find(sku).orElseThrow();
        assertThat(offer.price()).isEqualTo(erpCents);
        int erpStock = erp.queryForObject("SELECT SUM(quantity) FROM erp_stock WHERE sku_id = :sku", Map.of("sku", sku), Integer.class);
        assertThat(offer.stock()).isEqualTo(Math.max(0, erpStock - 1)); // stock-rules.yaml: safety buffer 1
        assertThat(ops.get("/ops/api/offers/" + sku).json().path("status").asText()).isEqualTo("suggested");

        // a later ERP price change: a new price notification, and the projection (the simulation) has the new price
        erp.update("UPDATE erp_price SET price = 123.45, updated_at = :at WHERE sku_id = :sku",
                Map.of("sku", sku, "at", OffsetDateTime.now(ZoneOffset.UTC)));
        change("price", sku);
        await().atMost(Duration.ofSeconds(10)).until(() -> notifications(sku, "price") == 2);
        assertThat(projection.find(sku).orElseThrow().price()).isEqualTo(12345L);
    }

    @Test
    void webhookEventsAreAcceptedOnlyWithTheTokenAndFeedTheStockFlow() {
        String sku = "P0003-1";
        OpsClient erpClient = new OpsClient(engineUrl(""), "test-erp-token");
        String event = "{\"sku\":\"" + sku + "\",\"warehouses\":{\"main\":7,\"north\":2},\"updatedAt\":\"" + OffsetDateTime.now(ZoneOffset.UTC) + "\"}";

        assertThat(new OpsClient(engineUrl(""), "wrong").post("/erp/events/stock", event).status()).isEqualTo(401);
        assertThat(erpClient.post("/erp/events/stock", "{\"warehouses\":{\"main\":-1}}").status()).isEqualTo(400);
        OpsClient.Answer accepted = erpClient.post("/erp/events/stock", event);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json().path("accepted").asInt()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> notifications(sku, "inventory") == 1);
        assertThat(projection.find(sku).orElseThrow().stock()).isEqualTo(8);
        assertThat(projection.find(sku).orElseThrow().stockByWarehouse()).isEqualTo(Map.of("main", 7, "north", 1));
    }

    @Test
    void csvDropFeedsThePriceFlow() throws Exception {
        String sku = "P0004-1";
        Path folder = Path.of(dropDir, "price");
        Files.createDirectories(folder);
        Path temp = folder.resolve("prices.tmp");
        Files.writeString(temp, "sku,price,listPrice,updatedAt\n" + sku + ",55.50,60.00," + OffsetDateTime.now(ZoneOffset.UTC) + "\n");
        Files.move(temp, folder.resolve("prices.csv"));

        await().atMost(Duration.ofSeconds(15)).until(() -> notifications(sku, "price") == 1);
        assertThat(projection.find(sku).orElseThrow().price()).isEqualTo(5550L);
        assertThat(projection.find(sku).orElseThrow().listPrice()).isEqualTo(6000L);
    }

    @Test
    void aDroppedFileOverTheLimitIsNotLoadedAndIsNotedInTheFailedStore() throws Exception {
        Path folder = Path.of(dropDir, "stock");
        Files.createDirectories(folder);
        Path temp = folder.resolve("huge.tmp");
        String row = "P0004-9,main,1," + OffsetDateTime.now(ZoneOffset.UTC) + "\n";
        Files.writeString(temp, "sku,warehouse,quantity,updatedAt\n" + row.repeat((int) (maxDropFileBytes / row.length()) + 1));
        Files.move(temp, folder.resolve("huge.csv"));

        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM failed_message WHERE route_id = 'erp-csv-drop-stock'", Integer.class) == 1);
        Map<String, Object> failed = jdbc.queryForMap(
                "SELECT body, error_message FROM failed_message WHERE route_id = 'erp-csv-drop-stock'");
        assertThat((String) failed.get("error_message")).contains("huge.csv").contains("bridge.erp.drop-max-file-bytes");
        assertThat((String) failed.get("body")).startsWith("(not kept: ").doesNotContain("P0004-9");
        assertThat(projection.find("P0004-9")).isEmpty();
    }

    @Test
    void aLargeDropIsHeldUntilApproved() {
        String sku = "P0005-1";
        OpsClient erpClient = new OpsClient(engineUrl(""), "test-erp-token");
        assertThat(erpClient.post("/erp/events/price", priceEvent(sku, "100.00", 1)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> projection.find(sku).map(o -> o.price() != null && o.price() == 10000L).orElse(false));

        assertThat(erpClient.post("/erp/events/price", priceEvent(sku, "10.00", 2)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> "held".equals(ops.get("/ops/api/offers/" + sku).json().path("status").asText()));
        assertThat(projection.find(sku).orElseThrow().price()).isEqualTo(10000L);
        assertThat(ops.get("/ops/api/offers?status=held").json().path("items").toString()).contains(sku);

        OpsClient.Answer approved = ops.post("/ops/api/offers/" + sku + "/price/approve");
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(projection.find(sku).orElseThrow().price()).isEqualTo(1000L);
        assertThat(ops.post("/ops/api/offers/" + sku + "/price/approve").status()).isEqualTo(409);
    }

    @Test
    void tenUpdatesWithinTheWindowMakeOneNotificationWithTheLastValueAndOlderVersionsAreIgnored() {
        String sku = "P0006-1";
        OpsClient erpClient = new OpsClient(engineUrl(""), "test-erp-token");
        StringBuilder events = new StringBuilder("[");
        for (int i = 1; i <= 10; i++) {
            events.append(i > 1 ? "," : "").append(priceEvent(sku, (40 + i) + ".00", i));
        }
        assertThat(erpClient.post("/erp/events/price", events.append("]").toString()).status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> notifications(sku, "price") == 1);
        assertThat(projection.find(sku).orElseThrow().price()).isEqualTo(5000L);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> notifications(sku, "price") == 1);

        // an older version arriving late changes nothing
        assertThat(erpClient.post("/erp/events/price", priceEvent(sku, "1.00", 3)).status()).isEqualTo(202);
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                .until(() -> projection.find(sku).orElseThrow().price() == 5000L);
    }

    @Test
    void stockToZeroGoesOutWithoutWaitingForTheWindow() {
        String sku = "P0007-1";
        OpsClient erpClient = new OpsClient(engineUrl(""), "test-erp-token");
        assertThat(erpClient.post("/erp/events/stock", "{\"sku\":\"" + sku + "\",\"warehouses\":{\"main\":0}}").status()).isEqualTo(202);
        await().atMost(Duration.ofMillis(900)).until(() -> notifications(sku, "inventory") == 1);
        assertThat(projection.find(sku).orElseThrow().stock()).isZero();
    }

    @Test
    void aBatchAppliesExactlyWhatTheChangesOneByOneWouldAndNotifiesEachSkuOnce() {
        // BATCH-A: newer, newer, an older one (ignored), then one warehouse merged into the newest; BATCH-B: an older one last
        List<ErpChange> batch = List.of(stock("BATCH-A", Map.of("main", 20), 1), stock("BATCH-B", Map.of("main", 30), 5),
                stock("BATCH-A", Map.of("main", 40), 3), stock("BATCH-A", Map.of("main", 10), 2),
                stock("BATCH-B", Map.of("main", 31), 4),
                new ErpChange(null, "BATCH-A", at(4), null, null, null, "north", 6, null));
        assertThat(stockSync.applyAll(batch)).isEqualTo("applied 4, ignored-older 2");
        // the same changes one at a time, on other SKUs
        for (ErpChange change : batch) {
            stockSync.apply(new ErpChange(change.kind(), change.sku().replace("BATCH", "SINGLE"), change.updatedAt(),
                    null, null, null, change.warehouse(), change.quantity(), change.warehouses()));
        }
        assertThat(projection.find("BATCH-A").orElseThrow().stock()).isEqualTo(projection.find("SINGLE-A").orElseThrow().stock())
                .isEqualTo(45); // main 40 + north 6, minus the safety buffer of 1
        assertThat(projection.find("BATCH-B").orElseThrow().stock()).isEqualTo(projection.find("SINGLE-B").orElseThrow().stock())
                .isEqualTo(29);

        await().atMost(Duration.ofSeconds(10)).until(() -> notifications("BATCH-A", "inventory") == 1
                && notifications("BATCH-B", "inventory") == 1);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> notifications("BATCH-A", "inventory") == 1 && notifications("BATCH-B", "inventory") == 1);
        // a later batch holding only older versions changes nothing
        assertThat(stockSync.applyAll(List.of(stock("BATCH-A", Map.of("main", 1), 2)))).isEqualTo("applied 0, ignored-older 1");
        assertThat(projection.find("BATCH-A").orElseThrow().stock()).isEqualTo(45);
    }

    @Test
    void aBatchOfNotificationsAsksOnceForEachSkuAndOnlyWhereTheMarketplaceWasToldSomethingElse() throws Exception {
        stockSync.applyAll(List.of(stock("DUE-A", Map.of("main", 5), 1), stock("DUE-B", Map.of("main", 8), 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> notifications("DUE-A", "inventory") == 1 && notifications("DUE-B", "inventory") == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(7).equals(notified("DUE-B")));
        stockSync.applyAll(List.of(stock("DUE-B", Map.of("main", 12), 2)));

        // a batching consumer's delivery: DUE-A (already told its value), DUE-B twice (once inside a replayed batch, an
        // array), and a record that is no notification
        Exchange batch = new DefaultExchange(camel);
        batch.getIn().setBody(List.of(record("{\"sku\":\"DUE-A\",\"kind\":\"inventory\"}"),
                record("{\"sku\":\"DUE-B\",\"kind\":\"inventory\"}"),
                record("[{\"sku\":\"DUE-B\",\"kind\":\"inventory\"},{\"sku\":\"DUE-A\",\"kind\":\"inventory\"}]"),
                record("not a notification")));
        List<String> due = offerNotifications.due(batch).stream().map(message -> message.getBody(String.class)).toList();
        assertThat(due).containsExactlyInAnyOrder("not a notification", "{\"sku\":\"DUE-B\",\"kind\":\"inventory\",\"value\":11}");
    }

    /** A notification this instance has no offer for is not sent, and not silently: it is counted. */
    @Test
    void aNotificationForASkuWithoutAnOfferIsCountedNotSent() throws Exception {
        Exchange delivery = new DefaultExchange(camel);
        delivery.getIn().setBody(List.of(record("{\"sku\":\"NO-OFFER-" + System.nanoTime() + "\",\"kind\":\"inventory\"}")));
        double before = dropped();

        assertThat(offerNotifications.due(delivery)).isEmpty();
        assertThat(dropped()).isEqualTo(before + 1);
    }

    private double dropped() {
        Counter counter = meters.find("bridge.notifications.dropped")
                .tags("connection", "default", "reason", "no-offer").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aRefusedNotificationDoesNotKeepTheOthersOfItsDeliveryFromBeingRecorded() throws Exception {
        stockSync.applyAll(List.of(stock("SPLIT-NO", Map.of("main", 5), 1), stock("SPLIT-OK", Map.of("main", 8), 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(4).equals(notified("SPLIT-NO"))
                && Integer.valueOf(7).equals(notified("SPLIT-OK")));
        remote.stubFor(post(urlMatching("/vtex/api/notificator/.*/SPLIT-NO/inventory")).willReturn(aResponse().withStatus(400)));
        projection.updateStockAll(Map.of("SPLIT-NO", Map.of("main", 20), "SPLIT-OK", Map.of("main", 30)), Map.of());

        // one delivery asking for both (a replayed batch); the refused one comes first, so its POST ends first
        try (ProducerTemplate producer = camel.createProducerTemplate()) {
            producer.sendBody("{{bridge.channels.offer-notifications}}",
                    "[{\"sku\":\"SPLIT-NO\",\"kind\":\"inventory\"},{\"sku\":\"SPLIT-OK\",\"kind\":\"inventory\"}]");
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(30).equals(notified("SPLIT-OK")));
        assertThat(notified("SPLIT-NO")).as("refused: the marketplace still knows the old value").isEqualTo(4);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM failed_message WHERE route_id = 'offer-notifications' "
                + "AND body LIKE '%SPLIT-NO%'", Integer.class)).isEqualTo(1);
    }

    /**
     * A delivery read again before it was committed (its consumer lost the partition while still sending, or its
     * instance died) does not POST twice what was already told: each value is recorded right after its own 202, not
     * once the whole delivery is through.
     */
    @Test
    void aValueToldIsRecordedAtOnceSoADeliveryReadAgainDoesNotTellItTwice() throws Exception {
        stockSync.applyAll(List.of(stock("AGAIN-SLOW", Map.of("main", 5), 1), stock("AGAIN-OK", Map.of("main", 8), 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(4).equals(notified("AGAIN-SLOW"))
                && Integer.valueOf(7).equals(notified("AGAIN-OK")));
        remote.stubFor(post(urlMatching("/vtex/api/notificator/.*/AGAIN-SLOW/inventory"))
                .willReturn(aResponse().withStatus(202).withFixedDelay(3_000)));
        projection.updateStockAll(Map.of("AGAIN-SLOW", Map.of("main", 20), "AGAIN-OK", Map.of("main", 30)), Map.of());
        int toldBefore = notifications("AGAIN-OK", "inventory");
        String delivery = "[{\"sku\":\"AGAIN-SLOW\",\"kind\":\"inventory\"},{\"sku\":\"AGAIN-OK\",\"kind\":\"inventory\"}]";

        try (ProducerTemplate producer = camel.createProducerTemplate()) {
            producer.sendBody("{{bridge.channels.offer-notifications}}", delivery);
            await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(30).equals(notified("AGAIN-OK")));
            assertThat(notified("AGAIN-SLOW")).as("the other notification of the delivery is still being sent").isEqualTo(4);
            // the same delivery again, while the first is still sending
            producer.sendBody("{{bridge.channels.offer-notifications}}", delivery);
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> Integer.valueOf(20).equals(notified("AGAIN-SLOW")));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> notifications("AGAIN-OK", "inventory") == toldBefore + 1);
    }

    @Test
    void aStockRecordWithoutSkuOnTheChannelIsStoredWithThatReason() throws Exception {
        String body = "{\"warehouses\":{\"main\":" + System.nanoTime() % 1_000_000 + "}}";
        try (ProducerTemplate producer = camel.createProducerTemplate()) {
            producer.sendBody("{{bridge.channels.stock-changes}}", body);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForList("SELECT error_message FROM failed_message"
                + " WHERE route_id = 'stock-erp-to-vtex' AND body = ?", String.class, body),
                reasons -> reasons.equals(List.of("invalid event on the channel: sku required")));
    }

    private Exchange record(String body) {
        Exchange record = new DefaultExchange(camel);
        record.getIn().setBody(body);
        return record;
    }

    private Integer notified(String sku) {
        return jdbc.queryForObject("SELECT (SELECT notified_quantity FROM offer_notified WHERE connection_id = 'default' AND sku_id = ?)", Integer.class, sku);
    }

    private static ErpChange stock(String sku, Map<String, Integer> warehouses, int minute) {
        return new ErpChange(null, sku, at(minute), null, null, null, null, null, warehouses);
    }

    private static OffsetDateTime at(int minute) {
        return OffsetDateTime.of(2030, 1, 1, 10, minute, 0, 0, ZoneOffset.UTC);
    }

    @Test
    void theOfferListPagesAndSortsOnTheServer() {
        String prefix = "SORT" + UUID.randomUUID().toString().substring(0, 6) + "-";
        syncStore.status(Connection.DEFAULT, prefix + "a", OfferSyncStore.CatalogStatus.ERROR, "marketplace answered HTTP 400: b", null);
        syncStore.status(Connection.DEFAULT, prefix + "b", OfferSyncStore.CatalogStatus.ERROR, "marketplace answered HTTP 400: c", null);
        syncStore.status(Connection.DEFAULT, prefix + "c", OfferSyncStore.CatalogStatus.ERROR, "marketplace answered HTTP 400: a", null);

        JsonNode firstPage = ops.get("/ops/api/offers?sku=" + prefix + "&size=2").json();
        assertThat(firstPage.path("total").asLong()).isEqualTo(3);
        assertThat(firstPage.path("items").findValuesAsText("sku")).containsExactly(prefix + "a", prefix + "b");
        assertThat(ops.get("/ops/api/offers?sku=" + prefix + "&size=2&page=1").json().path("items").findValuesAsText("sku"))
                .containsExactly(prefix + "c");
        assertThat(ops.get("/ops/api/offers?sku=" + prefix + "&sort=sku,desc").json().path("items").findValuesAsText("sku"))
                .containsExactly(prefix + "c", prefix + "b", prefix + "a");
        assertThat(ops.get("/ops/api/offers?sku=" + prefix + "&sort=reason").json().path("items").findValuesAsText("sku"))
                .containsExactly(prefix + "c", prefix + "a", prefix + "b");
        assertThat(ops.get("/ops/api/offers?sku=" + prefix + "&reason=HTTP%20400:%20c").json().path("total").asLong()).isEqualTo(1);

        OpsClient.Answer badSort = ops.get("/ops/api/offers?sort=price");
        assertThat(badSort.status()).as("the projection's price is not a column of the list").isEqualTo(400);
        assertThat(badSort.json().path("message").asText()).contains("notifiedPrice");
    }

    private static String priceEvent(String sku, String price, int minute) {
        return "{\"sku\":\"" + sku + "\",\"price\":" + new BigDecimal(price) + ",\"updatedAt\":\"2026-05-01T10:"
                + String.format("%02d", minute) + ":00Z\"}";
    }

    private void change(String entity, String sku) {
        erp.update("INSERT INTO erp_change (entity, sku_id, changed_at) VALUES (:entity, :sku, :at)",
                Map.of("entity", entity, "sku", sku, "at", OffsetDateTime.now(ZoneOffset.UTC)));
    }

    private long erpPriceCents(String sku) {
        return erp.queryForObject("SELECT price FROM erp_price WHERE sku_id = :sku AND price_list = 'default'",
                Map.of("sku", sku), BigDecimal.class).movePointRight(2).longValueExact();
    }

    private static int notifications(String sku, String kind) {
        return remote.findAll(postRequestedFor(urlEqualTo("/vtex/api/notificator/" + SELLER + "/changenotification/" + sku + "/" + kind))).size();
    }

    private static List<LoggedRequest> requests(com.github.tomakehurst.wiremock.matching.RequestPatternBuilder pattern) {
        return remote.findAll(pattern);
    }
}
