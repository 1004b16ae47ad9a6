package dev.vtexbridge.marketplace;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.vtexbridge.testkit.EngineTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order sources of the marketplace role other than the webhook, on the test profile's connections: shop-queue
 * reads JMS queue test.shop-queue.orders, shop-feed polls the order feed /shop-feed/orders on the stand-in every
 * 200 ms. Both place their orders on the VTEX store stand-in (/vtex-store, affiliates MKQ and MKR).
 */
class MarketplaceOrderSourcesTest extends EngineTest {

    static final String QUEUE = "jms:queue:test.shop-queue.orders";
    static final String FEED = "/shop-feed/orders";
    static final String STORE = MarketplaceOrdersTest.STORE;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    CamelContext camel;

    @Autowired
    OrderFeedCursors cursors;

    @Autowired
    MeterRegistry meters;

    /** The store stand-in places and fulfils order {@code id} of the affiliate. */
    static void storeAccepts(String id, String affiliate) {
        remote.stubFor(post(urlEqualTo(STORE + "/api/checkout/pub/orderForms/simulation?sc=3&affiliateId=" + affiliate))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"items": [{"id": "15", "requestIndex": 0, "quantity": 1, "seller": "1", "price": 9900,
                                    "sellingPrice": 9900, "availability": "available"}],
                         "logisticsInfo": [{"itemIndex": 0, "slas": [
                            {"id": "Normal", "price": 1200, "shippingEstimate": "5bd", "lockTTL": "8d"}]}]}
                        """)));
        remote.stubFor(post(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders"))
                .withRequestBody(matchingJsonPath("$[0].marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("[{\"marketplaceOrderId\": \"" + id + "\", \"orderId\": \"" + affiliate + "-" + id + "\"}]")));
        remote.stubFor(get(urlPathEqualTo(STORE + "/api/oms/pvt/orders/" + affiliate + "-" + id)).atPriority(10)
                .willReturn(aResponse().withStatus(404)));
    }

    String status(String connection, String id) {
        List<String> found = jdbc.queryForList("SELECT status FROM seller_order WHERE connection_id = ? "
                + "AND marketplace_order_id = ?", String.class, connection, id);
        return found.isEmpty() ? null : found.get(0);
    }

    int repeats(String orderId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM order_event WHERE order_id = ? AND outcome = 'REPEATED'",
                Integer.class, orderId);
    }

    List<Map<String, Object>> failed(String route, String marker) {
        return jdbc.queryForList("SELECT connection_id, error_class, error_message, attempts FROM failed_message "
                + "WHERE route_id = ? AND body LIKE ?", route, "%" + marker + "%");
    }

    void send(String body) {
        try (ProducerTemplate producer = camel.createProducerTemplate()) {
            producer.sendBody(QUEUE, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anOrderOnTheQueueIsPlacedOnceAndItsRepeatChangesNothing() {
        String id = MarketplaceOrdersTest.newOrderId();
        storeAccepts(id, "MKQ");

        send(MarketplaceOrdersTest.order(id, "new"));
        await().atMost(WAIT).until(() -> "PLACED".equals(status("shop-queue", id)));
        send(MarketplaceOrdersTest.order(id, "new"));

        await("the repeat taken").atMost(WAIT).until(() -> repeats("MKQ-" + id) == 1);
        await("no second placement").during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> MarketplaceOrdersTest.placements(id) == 1);
        assertThat(status("shop-queue", id)).isEqualTo("PLACED");
        assertThat(failed("marketplace-orders-source-shop-queue", id)).isEmpty();
    }

    @Test
    void theWebhookStillTakesTheOrdersOfAConnectionWithAQueueSource() throws Exception {
        String id = MarketplaceOrdersTest.newOrderId();
        storeAccepts(id, "MKQ");
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(engineUrl("/marketplace/shop-queue/orders")))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer TEST-SHOP-QUEUE-NOTIFICATION-TOKEN-never-stored")
                .POST(HttpRequest.BodyPublishers.ofString(MarketplaceOrdersTest.order(id, "new"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(202);
        await().atMost(WAIT).until(() -> "PLACED".equals(status("shop-queue", id)));
        send(MarketplaceOrdersTest.order(id, "new"));
        await("the queued repeat taken").atMost(WAIT).until(() -> repeats("MKQ-" + id) == 1);
        assertThat(MarketplaceOrdersTest.placements(id)).isEqualTo(1);
    }

    @Test
    void aMalformedMessageOnTheQueueIsStoredWithItsReasonAndNotRetried() {
        String marker = "not-json-" + UUID.randomUUID();
        String incomplete = MarketplaceOrdersTest.newOrderId();
        send("{" + marker);
        send("{\"marketplaceOrderId\": \"" + incomplete + "\"}");

        String route = "marketplace-orders-source-shop-queue";
        await().atMost(WAIT).until(() -> failed(route, marker).size() == 1 && failed(route, incomplete).size() == 1);
        await("stored once, never redelivered").during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> failed(route, marker).size() == 1 && failed(route, incomplete).size() == 1);
        Map<String, Object> notJson = failed(route, marker).get(0);
        assertThat(notJson.get("connection_id")).isEqualTo("shop-queue");
        assertThat(notJson.get("error_class")).isEqualTo("dev.vtexbridge.vtex.VtexErrorException");
        assertThat(notJson.get("error_message").toString()).startsWith("malformed JSON");
        assertThat(notJson.get("attempts")).isEqualTo(1);
        assertThat(failed(route, incomplete).get(0).get("error_message").toString()).contains("'items' is required");
        assertThat(status("shop-queue", incomplete)).isNull();
    }

    /** A page of the feed: these orders and the next cursor. */
    static String page(String cursor, String... orders) {
        return "{\"orders\": [" + String.join(",", orders) + "], \"cursor\": \"" + cursor + "\"}";
    }

    static void feedAnswers(String cursor, String body) {
        remote.stubFor(get(urlPathEqualTo(FEED))
                .withQueryParam("cursor", cursor == null ? absent() : equalTo(cursor))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
    }

    int feedReads(String cursor) {
        return remote.findAll(getRequestedFor(urlPathEqualTo(FEED)).withQueryParam("cursor", equalTo(cursor))).size();
    }

    @Test
    void theFeedIsReadPageByPageAndItsCursorKeptOnceEveryOrderOfThePageIsDurable() {
        String run = UUID.randomUUID().toString();
        String a = MarketplaceOrdersTest.newOrderId();
        String b = MarketplaceOrdersTest.newOrderId();
        String c = MarketplaceOrdersTest.newOrderId();
        String bad = MarketplaceOrdersTest.newOrderId();
        for (String id : List.of(a, b, c)) {
            storeAccepts(id, "MKR");
        }
        // the first page, read without a cursor; the second holds a bad order; the third answers the second's
        // last order again without a new cursor (a re-poll of the same page)
        feedAnswers(null, page(run + "-1", MarketplaceOrdersTest.order(a, "new"), MarketplaceOrdersTest.order(b, "new")));
        feedAnswers(run + "-1", page(run + "-2", MarketplaceOrdersTest.order(c, "new"),
                "{\"marketplaceOrderId\": \"" + bad + "\"}"));
        feedAnswers(run + "-2", page(run + "-2", MarketplaceOrdersTest.order(c, "new")));
        jdbc.update("DELETE FROM marketplace_order_cursor WHERE connection_id = 'shop-feed'");

        await().atMost(WAIT).until(() -> cursors.find("shop-feed").orElse("").equals(run + "-2"));
        await().atMost(WAIT).until(() -> List.of(a, b, c).stream().allMatch(id -> "PLACED".equals(status("shop-feed", id))));
        await("the last page read again, nothing placed twice").atMost(WAIT).until(() -> feedReads(run + "-2") >= 3);
        for (String id : List.of(a, b, c)) {
            assertThat(MarketplaceOrdersTest.placements(id)).as("placements of %s", id).isEqualTo(1);
        }
        assertThat(repeats("MKR-" + c)).isPositive();
        assertThat(cursors.find("shop-feed")).contains(run + "-2");

        List<Map<String, Object>> refused = failed("marketplace-orders-polled", bad);
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).get("connection_id")).isEqualTo("shop-feed");
        assertThat(refused.get(0).get("error_message").toString()).contains("'items' is required");
        assertThat(remote.findAll(getRequestedFor(urlPathEqualTo(FEED)).withQueryParam("cursor", equalTo(run + "-1"))))
                .isNotEmpty().allSatisfy(request -> assertThat(request.getHeader("Authorization"))
                        .isEqualTo("Bearer TEST-SHOP-FEED-KEY-never-stored"));
        assertThat(meters.get("bridge.marketplace.feed.orders").tags("connection", "shop-feed", "outcome", "failed")
                .counter().count()).isPositive();
    }

    @Test
    void aFeedThatFailsKeepsItsCursorAndIsReadOnWhenItAnswersAgain() {
        String run = UUID.randomUUID().toString();
        String later = MarketplaceOrdersTest.newOrderId();
        storeAccepts(later, "MKR");
        remote.stubFor(get(urlPathEqualTo(FEED)).withQueryParam("cursor", equalTo(run + "-1"))
                .willReturn(aResponse().withStatus(500).withBody("feed down")));
        cursors.store("shop-feed", run + "-1");
        double failedPolls = meters.counter("bridge.marketplace.feed.polls", "connection", "shop-feed", "outcome", "failed")
                .count();

        await("read again on the next ticks").atMost(WAIT).until(() -> feedReads(run + "-1") >= 3);
        assertThat(cursors.find("shop-feed")).contains(run + "-1");
        assertThat(meters.counter("bridge.marketplace.feed.polls", "connection", "shop-feed", "outcome", "failed").count())
                .isGreaterThan(failedPolls);

        feedAnswers(run + "-1", page(run + "-2", MarketplaceOrdersTest.order(later, "new")));
        feedAnswers(run + "-2", page(run + "-2"));
        await().atMost(WAIT).until(() -> "PLACED".equals(status("shop-feed", later)));
        await().atMost(WAIT).until(() -> cursors.find("shop-feed").orElse("").equals(run + "-2"));
        assertThat(MarketplaceOrdersTest.placements(later)).isEqualTo(1);
    }
}
