package dev.vtexbridge.marketplace;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.vtexbridge.testkit.EngineTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The External Marketplace role's orders end to end: the marketplace posts its orders to /marketplace/shop/orders;
 * the engine simulates, places and authorizes them on connection shop's VTEX store (WireMock, /vtex-store) and tells
 * the marketplace what became of them (WireMock, /shop-marketplace/events); the store calls back on the services
 * endpoint /marketplace/shop/mse/<token>/...
 */
class MarketplaceOrdersTest extends EngineTest {

    static final String TOKEN = "TEST-SHOP-NOTIFICATION-TOKEN-never-stored";
    static final String EVENTS = "/shop-marketplace/events";
    static final String STORE = "/vtex-store";
    private static final AtomicInteger IDS = new AtomicInteger((int) (System.currentTimeMillis() % 1_000_000) * 10);
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void marketplaceTakesEvents() {
        remote.stubFor(post(urlEqualTo(EVENTS)).willReturn(aResponse().withStatus(200)));
    }

    static String newOrderId() {
        return "MO" + IDS.incrementAndGet();
    }

    static String order(String id, String status) {
        return """
                {"marketplaceOrderId": "%s", "marketplaceOrderStatus": "%s", "marketplacePaymentValue": 11100,
                 "items": [{"id": "15", "quantity": 1, "price": 9900}],
                 "clientProfileData": {"email": "buyer@example.com", "firstName": "Ana", "lastName": "Silva",
                   "documentType": "cpf", "document": "12345678909", "phone": "+5511999990000"},
                 "shippingData": {"address": {"addressType": "residential", "receiverName": "Ana Silva",
                   "postalCode": "04321100", "city": "Sao Paulo", "state": "SP", "country": "BRA", "street": "Rua X",
                   "number": "10", "neighborhood": "Centro"}}}
                """.formatted(id, status);
    }

    /** The store: the simulation answers SKU 15 available with two SLAs, placement and fulfil accept. */
    static void storeAccepts(String id) {
        remote.stubFor(post(urlEqualTo(STORE + "/api/checkout/pub/orderForms/simulation?sc=3&affiliateId=MKP"))
                .withRequestBody(matchingJsonPath("$.postalCode", equalTo("04321100")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"items": [{"id": "15", "requestIndex": 0, "quantity": 1, "seller": "1", "price": 9900,
                                    "sellingPrice": 9900, "availability": "available"}],
                         "logisticsInfo": [{"itemIndex": 0, "slas": [
                            {"id": "Express", "price": 2500, "shippingEstimate": "1bd", "lockTTL": "8d"},
                            {"id": "Normal", "price": 1200, "shippingEstimate": "5bd", "lockTTL": "8d"}]}]}
                        """)));
        remote.stubFor(post(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders"))
                .withRequestBody(matchingJsonPath("$[0].marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("[{\"marketplaceOrderId\": \"" + id + "\", \"orderId\": \"MKP-" + id + "\"}]")));
        remote.stubFor(post(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders/MKP-" + id + "/fulfill"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\": \"success\", \"orderId\": \"MKP-" + id + "\"}")));
        remote.stubFor(get(urlPathEqualTo(STORE + "/api/oms/pvt/orders/MKP-" + id)).atPriority(10)
                .willReturn(aResponse().withStatus(404)));
    }

    HttpResponse<String> send(String path, String body, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(engineUrl(path)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postOrder(String body) throws Exception {
        return send("/marketplace/shop/orders", body, TOKEN);
    }

    static int placements(String id) {
        return remote.findAll(postRequestedFor(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders"))
                .withRequestBody(matchingJsonPath("$[0].marketplaceOrderId", equalTo(id)))).size();
    }

    static List<JsonNode> events(String id) {
        List<JsonNode> events = new ArrayList<>();
        remote.findAll(postRequestedFor(urlEqualTo(EVENTS))).forEach(request -> {
            try {
                JsonNode event = JSON.readTree(request.getBodyAsString());
                if (id.equals(event.path("marketplaceOrderId").asText())) {
                    events.add(event);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return events;
    }

    static List<String> eventTypes(String id) {
        return events(id).stream().map(e -> e.path("type").asText()).toList();
    }

    String status(String id) {
        return jdbc.queryForObject("SELECT status FROM seller_order WHERE connection_id = 'shop' AND marketplace_order_id = ?",
                String.class, id);
    }

    @Test
    void anOrderPostedTwiceAndConcurrentlyIsPlacedOnceWithTheCheapestSlaThenApprovedIsDispatchedOnce() throws Exception {
        String id = newOrderId();
        storeAccepts(id);

        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            posts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return postOrder(order(id, "new"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<HttpResponse<String>> answer : posts) {
            assertThat(answer.get().statusCode()).isEqualTo(202);
            assertThat(JSON.readTree(answer.get().body()))
                    .isEqualTo(JSON.readTree("{\"marketplaceOrderId\": \"" + id + "\", \"status\": \"new\"}"));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("placed"));
        assertThat(postOrder(order(id, "new")).statusCode()).isEqualTo(202);
        Thread.sleep(500);
        assertThat(placements(id)).isEqualTo(1);
        assertThat(status(id)).isEqualTo("PLACED");

        JsonNode placement = JSON.readTree(remote.findAll(postRequestedFor(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders"))
                .withRequestBody(matchingJsonPath("$[0].marketplaceOrderId", equalTo(id)))).get(0).getBodyAsString()).get(0);
        assertThat(placement.path("marketplaceServicesEndpoint").asText())
                .isEqualTo("http://localhost/marketplace/shop/mse/" + TOKEN);
        assertThat(placement.path("shippingData").path("logisticsInfo").get(0).path("selectedSla").asText()).isEqualTo("Normal");
        assertThat(placement.path("shippingData").path("logisticsInfo").get(0).path("price").asLong()).isEqualTo(1200);
        assertThat(placement.path("items").get(0).path("seller").asText()).isEqualTo("1");
        assertThat(placement.path("paymentData").isNull()).isTrue();

        HttpResponse<String> approved = postOrder("{\"marketplaceOrderId\": \"" + id + "\", \"marketplaceOrderStatus\": \"approved\"}");
        assertThat(approved.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(approved.body()).path("status").asText()).isEqualTo("approved");
        postOrder("{\"marketplaceOrderId\": \"" + id + "\", \"marketplaceOrderStatus\": \"approved\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("dispatch-authorized"));
        Thread.sleep(500);
        remote.verify(1, postRequestedFor(urlEqualTo(STORE + "/api/fulfillment/pvt/orders/MKP-" + id
                + "/fulfill?sc=3&affiliateId=MKP")).withRequestBody(equalToJson("{\"marketplaceOrderId\": \"" + id + "\"}")));
        assertThat(eventTypes(id)).containsExactly("placed", "dispatch-authorized");
        JsonNode placed = events(id).get(0);
        assertThat(placed.path("connection").asText()).isEqualTo("shop");
        assertThat(placed.path("vtexOrderId").asText()).isEqualTo("MKP-" + id);
        assertThat(placed.path("at").asText()).isNotBlank();
        assertThat(status(id)).isEqualTo("READY_FOR_HANDLING");
    }

    @Test
    void anAnswerLostAfterTheStoreAcceptedThePlacementIsFoundByLookupAndNeverPlacedAgain() throws Exception {
        String id = newOrderId();
        storeAccepts(id);
        // the store takes the placement, but its answer never arrives (connection reset)
        remote.stubFor(post(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders"))
                .withRequestBody(matchingJsonPath("$[0].marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        remote.stubFor(get(urlPathEqualTo(STORE + "/api/oms/pvt/orders/MKP-" + id))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"orderId\": \"MKP-" + id + "\", \"status\": \"waiting-ffmt-authorization\"}")));

        assertThat(postOrder(order(id, "new")).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("placed"));
        assertThat(placements(id)).isEqualTo(1);
        assertThat(status(id)).isEqualTo("PLACED");
    }

    @Test
    void aDuplicateAnswerOfTheStoreOnARetryCountsAsPlaced() throws Exception {
        String id = newOrderId();
        storeAccepts(id);
        // first placement: the answer is lost; the lookup does not see the order yet; the second placement is answered
        // as a duplicate
        remote.stubFor(post(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders")).inScenario(id)
                .whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(matchingJsonPath("$[0].marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("placed"));
        remote.stubFor(post(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders")).inScenario(id)
                .whenScenarioStateIs("placed")
                .withRequestBody(matchingJsonPath("$[0].marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"code\": \"FMT009\", \"message\": \"Order already exists\"}}"))
                .willSetStateTo("visible"));
        remote.stubFor(get(urlPathEqualTo(STORE + "/api/oms/pvt/orders/MKP-" + id)).inScenario(id)
                .whenScenarioStateIs("visible")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"orderId\": \"MKP-" + id + "\"}")));

        assertThat(postOrder(order(id, "new")).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("placed"));
        assertThat(status(id)).isEqualTo("PLACED");
        assertThat(eventTypes(id)).containsExactly("placed");
    }

    @Test
    void aRefusalOfTheStoreFailsTheOrderAndTellsTheMarketplaceWhy() throws Exception {
        String id = newOrderId();
        storeAccepts(id);
        remote.stubFor(post(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders"))
                .withRequestBody(matchingJsonPath("$[0].marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"code\": \"FMT007\", \"message\": \"Price divergence\"}}")));

        assertThat(postOrder(order(id, "new")).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("failed"));
        JsonNode failed = events(id).get(0);
        assertThat(failed.path("code").asText()).isEqualTo("FMT007");
        assertThat(failed.path("reason").asText()).contains("Price divergence");
        assertThat(status(id)).isEqualTo("FAILED");
        assertThat(placements(id)).isEqualTo(1);
    }

    @Test
    void a429OfTheStoreDefersThePlacementInsteadOfFailingIt() throws Exception {
        String id = newOrderId();
        storeAccepts(id);
        remote.stubFor(post(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders")).inScenario(id)
                .whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(matchingJsonPath("$[0].marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("open"));
        remote.stubFor(post(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders")).inScenario(id)
                .whenScenarioStateIs("open")
                .withRequestBody(matchingJsonPath("$[0].marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"orderId\": \"MKP-" + id + "\", \"status\": \"success\"}")));

        assertThat(postOrder(order(id, "new")).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM deferred_delivery "
                + "WHERE route_id = 'marketplace-orders' AND body LIKE ?", Integer.class, "%MKP-" + id + "%") > 0
                || eventTypes(id).contains("placed"));
        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("placed"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM failed_message WHERE body LIKE ?", Integer.class,
                "%MKP-" + id + "\"%")).isZero();
        assertThat(status(id)).isEqualTo("PLACED");
    }

    @Test
    void aWrongTokenIs401BeforeTheBodyAndAMalformedOrderIs400NamingTheField() throws Exception {
        HttpResponse<String> wrong = send("/marketplace/shop/orders", order(newOrderId(), "new"), "not-the-token");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(send("/marketplace/shop/orders", order(newOrderId(), "new"), null).statusCode()).isEqualTo(401);

        HttpResponse<String> noQuantity = postOrder(order(newOrderId(), "new").replace("\"quantity\": 1", "\"quantity\": 0"));
        assertThat(noQuantity.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noQuantity.body()).path("error").path("message").asText()).contains("items[0].quantity");

        HttpResponse<String> noPostalCode = postOrder(order(newOrderId(), "new").replace("\"postalCode\": \"04321100\",", ""));
        assertThat(noPostalCode.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noPostalCode.body()).path("error").path("message").asText())
                .contains("shippingData.address.postalCode");

        HttpResponse<String> badStatus = postOrder(order(newOrderId(), "paid"));
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badStatus.body()).path("error").path("message").asText()).contains("marketplaceOrderStatus");

        HttpResponse<String> unknown = postOrder("{\"marketplaceOrderId\": \"" + newOrderId() + "\", \"marketplaceOrderStatus\": \"approved\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).path("error").path("message").asText()).contains("'items'");

        assertThat(postOrder("[1, 2]").statusCode()).isEqualTo(400);
        assertThat(postOrder("{\"marketplaceOrderId\": ").statusCode()).isEqualTo(400);
    }
    /** An order placed on the store (event "placed" seen). */
    String placedOrder() throws Exception {
        String id = newOrderId();
        storeAccepts(id);
        assertThat(postOrder(order(id, "new")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("placed"));
        return id;
    }

    @Test
    void theStoresInvoiceTwiceIsOneRelayWithTheSameReceiptAndTrackingFollows() throws Exception {
        String id = placedOrder();
        String mse = "/marketplace/shop/mse/" + TOKEN;
        String invoice = """
                {"type": "Output", "invoiceNumber": "NF-77", "invoiceValue": 11100, "issuanceDate": "2024-03-05",
                 "courier": "", "trackingNumber": "", "trackingUrl": "", "items": [{"id": "15", "quantity": 1, "price": 9900}]}
                """;
        HttpResponse<String> first = send(mse + "/pub/orders/" + id + "/invoice", invoice, null);
        HttpResponse<String> again = send(mse + "/pub/orders/" + id + "/invoice", invoice, null);
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(first.body());
        assertThat(answer.path("orderId").asText()).isEqualTo("MKP-" + id);
        assertThat(answer.path("receipt").asText()).matches("[0-9a-f-]{36}");
        assertThat(answer.path("date").asText()).isNotBlank();
        assertThat(JSON.readTree(again.body())).isEqualTo(answer);

        HttpResponse<String> tracking = send(mse + "/pub/orders/" + id + "/invoice",
                invoice.replace("\"trackingNumber\": \"\"", "\"trackingNumber\": \"TRK-1\"")
                        .replace("\"courier\": \"\"", "\"courier\": \"Correios\""), null);
        assertThat(tracking.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(tracking.body()).path("receipt").asText()).isNotEqualTo(answer.path("receipt").asText());

        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("tracking"));
        Thread.sleep(500);
        assertThat(eventTypes(id)).containsExactly("placed", "invoiced", "tracking");
        JsonNode invoiced = events(id).get(1);
        assertThat(invoiced.path("invoiceNumber").asText()).isEqualTo("NF-77");
        assertThat(invoiced.path("invoiceValue").asLong()).isEqualTo(11100);
        assertThat(invoiced.path("vtexOrderId").asText()).isEqualTo("MKP-" + id);
        assertThat(events(id).get(2).path("courier").asText()).isEqualTo("Correios");
        assertThat(status(id)).isEqualTo("SHIPPED");

        HttpResponse<String> timeline = http.send(HttpRequest.newBuilder(URI.create(engineUrl("/ops/api/orders/MKP-" + id
                + "?connection=shop"))).header("Authorization", "Bearer " + OPS_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(timeline.statusCode()).isEqualTo(200);
        JsonNode view = JSON.readTree(timeline.body());
        assertThat(view.path("connection").asText()).isEqualTo("shop");
        assertThat(view.path("marketplaceOrderId").asText()).isEqualTo(id);
        List<String> steps = new ArrayList<>();
        view.path("events").forEach(e -> steps.add(e.path("event").asText() + ":" + e.path("outcome").asText()));
        assertThat(steps).contains("RECEIVED:ACCEPTED", "PLACEMENT:ACCEPTED", "INVOICE:ACCEPTED", "INVOICE:REPEATED",
                "TRACKING:ACCEPTED");
        assertThat(timeline.body()).doesNotContain(TOKEN);
    }

    @Test
    void aCanceledOrderIsCancelledOnTheStoreAndItsNoticeAnsweredOnce() throws Exception {
        String id = placedOrder();
        remote.stubFor(post(urlEqualTo(STORE + "/api/oms/pvt/orders/MKP-" + id + "/cancel"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"date\": \"2024-03-05T12:00:00Z\", \"orderId\": \"MKP-" + id + "\", \"receipt\": \"r-1\"}")));

        assertThat(postOrder("{\"marketplaceOrderId\": \"" + id + "\", \"marketplaceOrderStatus\": \"canceled\"}")
                .statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("canceled"));
        remote.verify(1, postRequestedFor(urlEqualTo(STORE + "/api/oms/pvt/orders/MKP-" + id + "/cancel"))
                .withRequestBody(matchingJsonPath("$.reason")));
        assertThat(status(id)).isEqualTo("CANCELED");

        String mse = "/marketplace/shop/mse/" + TOKEN;
        HttpResponse<String> notice = send(mse + "/pvt/orders/" + id + "/cancel", "", null);
        HttpResponse<String> repeat = send(mse + "/pvt/orders/MKP-" + id + "/cancel", "", null);
        assertThat(notice.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(repeat.body())).isEqualTo(JSON.readTree(notice.body()));
        Thread.sleep(500);
        assertThat(eventTypes(id)).containsExactly("placed", "canceled");
    }

    @Test
    void theServicesEndpointRefusesAWrongTokenAndAMalformedInvoice() throws Exception {
        String id = placedOrder();
        assertThat(send("/marketplace/shop/mse/wrong-token/pub/orders/" + id + "/invoice", "{}", null).statusCode())
                .isEqualTo(401);
        HttpResponse<String> noNumber = send("/marketplace/shop/mse/" + TOKEN + "/pub/orders/" + id + "/invoice",
                "{\"type\": \"Output\"}", null);
        assertThat(noNumber.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noNumber.body()).path("error").path("message").asText()).contains("invoiceNumber");
        assertThat(send("/marketplace/shop/mse/" + TOKEN + "/pub/orders/unknown-order/invoice",
                "{\"invoiceNumber\": \"1\"}", null).statusCode()).isEqualTo(404);
    }
}
