package dev.vtexbridge.infra;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.vtexbridge.cluster.EngineInstances;
import dev.vtexbridge.mapping.MappingRegistry;
import dev.vtexbridge.testkit.TwoEngines;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The External Marketplace role on two engine instances sharing one PostgreSQL and one Kafka ({@link TwoEngines}),
 * both configured with the same marketplace connections: connection {@code shop} (the test profile's: its VTEX store
 * and its marketplace's offers endpoint on the WireMock stand-in, under each instance's own path prefix) and
 * {@value #STREAM}, whose orders come from the Kafka topic {@value #ORDER_TOPIC} that both instances read.
 * <p>
 * What it proves: VTEX may post a SKU's affiliate notifications to either instance, and post one again to the other
 * (a retry), yet the marketplace gets exactly one offer per SKU change, carrying the store's final state, because a
 * SKU's notifications all join one coalescing window in the shared table {@code marketplace_pending}, which exactly one
 * instance hands on when it closes. Likewise a marketplace order sent to either instance, or twice at once to both
 * (webhook), or twice on two partitions of the order topic, is placed on the VTEX store exactly once, because both
 * instances take it through the same order store. Both instances do part of the work (calls under {@code /a} and
 * {@code /b}), so this is two instances sharing work, not one doing it while the other idles.
 */
@EmbeddedKafka(kraft = true, partitions = 4, topics = TwoInstancesMarketplaceIT.ORDER_TOPIC,
        brokerProperties = "num.partitions=4")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesMarketplaceIT {

    static final String ORDER_TOPIC = "marketplace.shop-stream.orders";
    private static final String STREAM = "shop-stream";
    private static final String TOKEN = "TEST-SHOP-NOTIFICATION-TOKEN-never-stored";
    private static final String OFFERS = "/[ab]/shop-marketplace/offers";
    private static final String PLACEMENTS = "/[ab]/vtex-store/api/fulfillment/pvt/orders";
    /** SKU ids of the offers test; the orders' SKU is 15, outside that range. */
    private static final int FIRST_SKU = 8_100_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TwoEngines engines;
    private static String brokers;
    /** Sends the notifications of several SKUs at once, as the store's broadcaster does. */
    private static final ExecutorService senders = Executors.newFixedThreadPool(8);

    @BeforeAll
    static void start(EmbeddedKafkaBroker kafka) {
        brokers = kafka.getBrokersAsString();
        String stream = "bridge.connections." + STREAM + ".";
        engines = TwoEngines.start(brokers, Map.ofEntries(
                // the calls this test makes are not what is measured: the budgets (shared by the live instances) are
                // raised, so no call waits for a token or is set aside as rate-limited
                Map.entry("bridge.vtex.rate-limits.catalog.per-second", "2000"),
                Map.entry("bridge.vtex.rate-limits.catalog.burst", "2000"),
                Map.entry("bridge.vtex.rate-limits.checkout.per-second", "2000"),
                Map.entry("bridge.vtex.rate-limits.checkout.burst", "2000"),
                Map.entry("bridge.vtex.rate-limits.fulfillment.per-second", "2000"),
                Map.entry("bridge.vtex.rate-limits.fulfillment.burst", "2000"),
                // twice the production default (the test profile's is 1 s): a SKU's notifications, sent within
                // milliseconds of each other, are far inside it even when a Kafka partition lags on a busy build machine
                // (a notification joining after its window closed opens a window of its own: a second offer)
                Map.entry("bridge.sync.coalesce-window", "4s"),
                // two offers consumers per instance on the 4 partitions: each instance gets two (with the default 16,
                // the first instance's consumers already hold every partition and the sticky assignor leaves them so)
                Map.entry("bridge.sync.marketplace-offers-consumers", "2"),
                // the test profile's other marketplace connections are not part of this test
                Map.entry("bridge.connections.shop-noi.enabled", "false"),
                Map.entry("bridge.connections.shop-feed.enabled", "false"),
                // a second marketplace connection on the same store stand-in, whose orders come from a Kafka topic
                Map.entry(stream + "role", "marketplace"),
                Map.entry(stream + "vtex.account", "teststore"),
                Map.entry(stream + "vtex.app-key", "vtexappkey-teststore-MNOPQR"),
                Map.entry(stream + "vtex.app-token", "TEST-STORE-VTEX-APP-TOKEN-never-stored"),
                Map.entry(stream + "vtex.affiliate-id", "MKS"),
                Map.entry(stream + "vtex.sales-channel", "3"),
                Map.entry(stream + "vtex.api-url", "${test.remote-url}/vtex-store"),
                Map.entry(stream + "public-url", "http://localhost"),
                Map.entry(stream + "endpoint.token", "TEST-SHOP-STREAM-TOKEN-never-stored"),
                Map.entry(stream + "offers.sink", "rest"),
                Map.entry(stream + "offers.rest.url", "${test.remote-url}/shop-stream-marketplace/offers"),
                Map.entry(stream + "orders.source", "kafka"),
                Map.entry(stream + "orders.kafka.topic", ORDER_TOPIC),
                Map.entry(stream + "reconcile.enabled", "false"),
                Map.entry("logging.level.org.apache.kafka", "WARN")));
        engines.remote.stubFor(put(urlMatching(OFFERS)).willReturn(aResponse().withStatus(200)));
        engines.remote.stubFor(post(urlMatching("/[ab]/shop-marketplace/events")).willReturn(aResponse().withStatus(200)));
        // Work is split by Kafka partitions: wait until each instance holds its share of every topic this test uses,
        // so the split is not left to how long the second instance's consumers took to join.
        awaitBothInstancesConsume("vtex-bridge.bridge.marketplace.notifications", 2);
        awaitBothInstancesConsume("vtex-bridge.bridge.marketplace.offers", 4);
        awaitBothInstancesConsume("vtex-bridge.bridge.marketplace.orders", 2);
        awaitBothInstancesConsume("vtex-bridge-orders-" + STREAM, 2);
    }

    @AfterAll
    static void stop() {
        senders.shutdownNow();
        if (engines != null) {
            engines.close();
        }
    }

    /**
     * 200 SKUs change on the store, then 100 of them change again once the first offers are out: 300 SKU changes.
     * Each change is two notifications (stock, price) to one instance, alternating by SKU and round, and for every
     * third SKU the stock notification again to the other instance, as VTEX retries one. All notifications of one
     * change arrive within milliseconds, inside one coalescing window, so the marketplace is owed exactly one offer
     * per change: 200 + 100, each with the store's state of that change.
     */
    @Test
    @Order(1)
    void skuChangesNotifiedToBothInstancesArePublishedOncePerChangeWithTheStoresFinalState() throws Exception {
        assertThat(engines.a.getBean(EngineInstances.class).live()).as("instances alive").isEqualTo(2);
        int skus = 200;
        Map<String, Integer> changes = new TreeMap<>();
        Map<String, StoreState> last = new TreeMap<>();
        Map<String, Integer> notificationsSent = new ConcurrentHashMap<>();
        for (int round = 1; round <= 2; round++) {
            List<String> changed = new ArrayList<>();
            for (int i = 0; i < skus; i++) {
                if (round == 1 || i % 2 == 0) {
                    changed.add(String.valueOf(FIRST_SKU + i));
                }
            }
            for (String sku : changed) {
                StoreState state = new StoreState(5_000 + (Integer.parseInt(sku) % 1_000) * 10L + round * 100L,
                        1 + (Integer.parseInt(sku) * 7 + round * 13) % 50);
                storeHas(sku, state);
                last.put(sku, state);
                changes.merge(sku, 1, Integer::sum);
            }
            long sending = System.nanoTime();
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < changed.size(); i++) {
                String sku = changed.get(i);
                ConfigurableApplicationContext first = (i + round) % 2 == 0 ? engines.a : engines.b;
                ConfigurableApplicationContext other = first == engines.a ? engines.b : engines.a;
                boolean retried = i % 3 == 0;
                // one SKU's notifications one after the other, within milliseconds; several SKUs at once
                sent.add(CompletableFuture.runAsync(() -> {
                    notify(first, sku, "StockModified", notificationsSent);
                    notify(first, sku, "PriceModified", notificationsSent);
                    if (retried) {
                        notify(other, sku, "StockModified", notificationsSent); // VTEX retrying on the other instance
                    }
                }, senders));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            long notified = System.nanoTime();
            System.out.printf("Round %d: %d SKU changes notified in %d ms%n", round, changed.size(),
                    (notified - sending) / 1_000_000);
            // the next round changes the store only once this round's offers are all out
            await("round " + round + ": every change published").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        Map<String, List<PublishedOffer>> published = publishedOffers();
                        return changes.entrySet().stream().allMatch(change -> published.getOrDefault(change.getKey(),
                                List.of()).size() >= change.getValue());
                    });
            System.out.printf("Round %d: published %d ms after the last notification%n", round,
                    (System.nanoTime() - notified) / 1_000_000);
        }

        int expected = changes.values().stream().mapToInt(Integer::intValue).sum();
        // a window handed on twice, or a retry opening a window of its own, would show as a further offer afterwards
        await("no further offer").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(publishedOffers()).as("SKUs published more often than they changed")
                        .allSatisfy((sku, offers) -> assertThat(offers).as("offers of SKU %s", sku)
                                .hasSize(changes.get(sku))));
        Map<String, List<PublishedOffer>> published = publishedOffers();
        Map<String, Long> perInstance = published.values().stream().flatMap(Collection::stream)
                .collect(Collectors.groupingBy(PublishedOffer::instance, TreeMap::new, Collectors.counting()));
        System.out.printf("Two instances, marketplace role: %d SKU changes, %d notifications (per instance %s), "
                        + "%d offers published (%.3f per change), per instance %s%n", expected,
                notificationsSent.values().stream().mapToInt(Integer::intValue).sum(), new TreeMap<>(notificationsSent),
                perInstance.values().stream().mapToLong(Long::longValue).sum(),
                perInstance.values().stream().mapToLong(Long::longValue).sum() / (double) expected, perInstance);

        assertThat(published.keySet()).as("SKUs published").isEqualTo(changes.keySet());
        assertThat(changes).allSatisfy((sku, count) -> assertThat(published.get(sku)).as("offers of SKU %s", sku)
                .hasSize(count));
        var prices = engines.a.getBean(MappingRegistry.class).forConnection("shop").prices();
        assertThat(last).allSatisfy((sku, state) -> {
            PublishedOffer latest = published.get(sku).get(published.get(sku).size() - 1);
            assertThat(latest.stock()).as("stock of SKU %s", sku).isEqualTo(state.stock());
            // the store's selling price through connection shop's price rules (fees grossed up, rounded)
            assertThat(latest.price()).as("price of SKU %s", sku).isEqualTo(prices.sellingPrice("3", "59", state.price()));
        });
        assertThat(perInstance).as("offers published by each instance").containsKeys("a", "b");
        assertThat(storeReads()).as("SKUs read from the store by each instance").containsKeys("a", "b");
    }

    /**
     * 30 orders by webhook on connection shop, each to one instance (alternating) and every third one at the same
     * moment to the other as well (a retry that overlaps the first attempt); 20 orders on connection shop-stream's
     * Kafka topic, every third one on each of its four partitions (a producer's retries), so both instances take it.
     * Each of the 50 is placed on the VTEX store exactly once, and still once after a quiet period.
     */
    @Test
    @Order(2)
    void ordersSentToEitherInstanceOrTwiceAreEachPlacedOnceOnTheStore() throws Exception {
        storeAcceptsOrders("MKP");
        storeAcceptsOrders("MKS");
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> ordered = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = "HK" + run + "-" + i;
            ordered.add(id);
            ConfigurableApplicationContext first = i % 2 == 0 ? engines.a : engines.b;
            ConfigurableApplicationContext other = first == engines.a ? engines.b : engines.a;
            answers.add(postOrder(first, order(id)));
            if (i % 3 == 0) {
                answers.add(postOrder(other, order(id))); // sent before the first has its answer
            }
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (int i = 0; i < 20; i++) {
                String id = "KF" + run + "-" + i;
                ordered.add(id);
                // every third on each of the four partitions, so both instances read it, at about the same time
                for (int partition : i % 3 == 0 ? List.of(0, 1, 2, 3) : List.of(i % 4)) {
                    producer.send(new ProducerRecord<>(ORDER_TOPIC, partition, id, order(id))).get();
                }
            }
        }

        await("every order placed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> placements().keySet().containsAll(ordered));
        await("still one placement per order").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .until(() -> placements().values().stream().allMatch(calls -> calls.size() == 1));
        Map<String, List<String>> placements = placements();
        Map<String, Long> perInstance = placements.values().stream().flatMap(Collection::stream)
                .collect(Collectors.groupingBy(instance -> instance, TreeMap::new, Collectors.counting()));
        System.out.printf("Two instances, marketplace role: %d marketplace orders, %d placements on the store, "
                + "per instance %s%n", ordered.size(), placements.values().stream().mapToInt(List::size).sum(), perInstance);

        assertThat(placements.keySet()).as("orders placed").containsExactlyInAnyOrderElementsOf(ordered);
        assertThat(placements).allSatisfy((id, calls) -> assertThat(calls).as("placements of %s", id).hasSize(1));
        assertThat(perInstance).as("placements made by each instance").containsKeys("a", "b");
    }

    /** What the store says of a SKU at one change: its net selling price (cents) and its stock. */
    private record StoreState(long price, int stock) {
    }

    /** One offer the marketplace got: from which instance, and what it said. */
    private record PublishedOffer(String instance, long price, int stock) {
    }

    /**
     * The store's answers for the SKU from now on, under both instances' prefixes (the newest stub wins in WireMock):
     * the Catalog API's SKU (MarketplaceOffersTest's example) and the checkout simulation with its price and stock.
     */
    private static void storeHas(String sku, StoreState state) {
        engines.remote.stubFor(get(urlMatching("/[ab]/vtex-store/api/catalog_system/pvt/sku/stockkeepingunitbyid/" + sku
                + "\\?sc=3")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"Id": %s, "ProductId": 2001426, "NameComplete": "Tabela de Basquete", "ProductName": "Tabela de Basquete",
                         "ProductDescription": "Tabela de basquete infantil", "SkuName": "Tabela", "IsActive": true,
                         "IsProductActive": true, "BrandId": "2000018", "BrandName": "MARCA",
                         "ImageUrl": "http://img.example/1-55-55.jpg",
                         "Dimension": {"cubicweight": 81.6833, "height": 65, "length": 58, "weight": 10000, "width": 130},
                         "Images": [{"ImageUrl": "http://img.example/1.jpg", "ImageName": "", "FileId": 1}],
                         "SkuSpecifications": [{"FieldId": 102, "FieldName": "Cor", "FieldValues": ["Padrão"]}],
                         "ProductSpecifications": [{"FieldId": 23, "FieldName": "Fabricante", "FieldValues": ["Xalingo"]}],
                         "ProductCategoryIds": "/59/", "ProductCategories": {"59": "Brinquedos"},
                         "AlternateIds": {"Ean": "8781", "RefId": "878181"}, "MeasurementUnit": "un", "UnitMultiplier": 1.0,
                         "SalesChannels": [1, 3]}
                        """.formatted(sku))));
        engines.remote.stubFor(post(urlMatching("/[ab]/vtex-store/api/checkout/pub/orderForms/simulation"
                        + "\\?sc=3&affiliateId=MKP"))
                .withRequestBody(containing("\"id\":\"" + sku + "\""))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"items": [{"id": "%s", "requestIndex": 0, "quantity": 1, "seller": "1", "price": %d,
                          "listPrice": 99000, "sellingPrice": %d, "availability": "available"}],
                         "logisticsInfo": [{"itemIndex": 0, "quantity": 1, "shipsTo": ["BRA"], "slas": [],
                          "stockBalance": %d}],
                         "postalCode": null, "country": null}
                        """.formatted(sku, state.price(), state.price(), state.stock()))));
    }

    private static void notify(ConfigurableApplicationContext engine, String sku, String flag,
                               Map<String, Integer> sent) {
        String body = "{\"IdSku\": \"" + sku + "\", \"ProductId\": 2001426, \"An\": \"teststore\", \"IdAffiliate\": \"MKP\","
                + " \"IsActive\": true, \"" + flag + "\": true}";
        HttpResponse<String> answer = HTTP.sendAsync(HttpRequest.newBuilder(
                        URI.create(engines.url(engine) + "/marketplace/shop/api/notification?token=" + TOKEN))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).join();
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        sent.merge(engine == engines.a ? "a" : "b", 1, Integer::sum);
    }

    /** Offers the marketplace got, per SKU in the order they came. */
    private static Map<String, List<PublishedOffer>> publishedOffers() throws Exception {
        Map<String, List<PublishedOffer>> offers = new TreeMap<>();
        for (ServeEvent event : inArrivalOrder()) {
            if (event.getRequest().getMethod().getName().equals("PUT") && event.getRequest().getUrl().matches(OFFERS)) {
                JsonNode offer = JSON.readTree(event.getRequest().getBodyAsString());
                offers.computeIfAbsent(offer.path("skuId").asText(), sku -> new ArrayList<>()).add(new PublishedOffer(
                        instanceOf(event), offer.path("price").asLong(), offer.path("stock").asInt()));
            }
        }
        return offers;
    }

    /** SKU reads (Catalog API) per instance. */
    private static Map<String, Long> storeReads() {
        return inArrivalOrder().stream()
                .filter(event -> event.getRequest().getUrl().matches("/[ab]/vtex-store/api/catalog_system/pvt/sku/.*"))
                .collect(Collectors.groupingBy(TwoInstancesMarketplaceIT::instanceOf, TreeMap::new, Collectors.counting()));
    }

    /** Placement calls on the store (fulfillment API), per marketplace order id: the instance of each. */
    private static Map<String, List<String>> placements() throws Exception {
        Map<String, List<String>> calls = new LinkedHashMap<>();
        for (ServeEvent event : inArrivalOrder()) {
            if (event.getRequest().getMethod().getName().equals("POST")
                    && event.getRequest().getUrl().replaceAll("\\?.*", "").matches(PLACEMENTS)) {
                for (JsonNode placement : JSON.readTree(event.getRequest().getBodyAsString())) {
                    calls.computeIfAbsent(placement.path("marketplaceOrderId").asText(), id -> new ArrayList<>())
                            .add(instanceOf(event));
                }
            }
        }
        return calls;
    }

    /** WireMock's journal, oldest first (it lists the newest first). */
    private static List<ServeEvent> inArrivalOrder() {
        List<ServeEvent> events = new ArrayList<>(engines.remote.getAllServeEvents());
        Collections.reverse(events);
        return events;
    }

    private static String instanceOf(ServeEvent event) {
        return event.getRequest().getUrl().substring(1, 2);
    }

    /** The store's simulation (SKU 15 available, two SLAs), placement and lookup answers for an affiliate's orders. */
    private static void storeAcceptsOrders(String affiliate) {
        engines.remote.stubFor(post(urlMatching("/[ab]/vtex-store/api/checkout/pub/orderForms/simulation\\?sc=3&affiliateId="
                + affiliate)).withRequestBody(containing("\"postalCode\":\"04321100\""))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"items": [{"id": "15", "requestIndex": 0, "quantity": 1, "seller": "1", "price": 9900,
                                    "sellingPrice": 9900, "availability": "available"}],
                         "logisticsInfo": [{"itemIndex": 0, "slas": [
                            {"id": "Express", "price": 2500, "shippingEstimate": "1bd", "lockTTL": "8d"},
                            {"id": "Normal", "price": 1200, "shippingEstimate": "5bd", "lockTTL": "8d"}]}]}
                        """)));
        // no orderId in the answer: the order keeps <affiliate>-<marketplace order id> as its store id
        engines.remote.stubFor(post(urlPathMatching(PLACEMENTS)).withQueryParam("affiliateId", equalTo(affiliate))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));
        engines.remote.stubFor(get(urlPathMatching("/[ab]/vtex-store/api/oms/pvt/orders/" + affiliate + "-.*"))
                .willReturn(aResponse().withStatus(404)));
    }

    private static String order(String id) {
        return """
                {"marketplaceOrderId": "%s", "marketplaceOrderStatus": "new", "marketplacePaymentValue": 11100,
                 "items": [{"id": "15", "quantity": 1, "price": 9900}],
                 "clientProfileData": {"email": "buyer@example.com", "firstName": "Ana", "lastName": "Silva",
                   "documentType": "cpf", "document": "12345678909", "phone": "+5511999990000"},
                 "shippingData": {"address": {"addressType": "residential", "receiverName": "Ana Silva",
                   "postalCode": "04321100", "city": "Sao Paulo", "state": "SP", "country": "BRA", "street": "Rua X",
                   "number": "10", "neighborhood": "Centro"}}}
                """.formatted(id);
    }

    private static CompletableFuture<HttpResponse<String>> postOrder(ConfigurableApplicationContext engine, String body) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(engines.url(engine) + "/marketplace/shop/orders"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits until the consumer group has {@code members} members (both instances' consumers) and its partitions are
     * spread over them, i.e. neither instance holds them all.
     */
    private static void awaitBothInstancesConsume(String group, int members) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            await("group " + group + " spread over both instances").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                                .describedGroups().get(group).get();
                        Collection<MemberDescription> all = description.members();
                        return all.size() == members
                                && all.stream().allMatch(member -> !member.assignment().topicPartitions().isEmpty());
                    });
        }
    }
}
