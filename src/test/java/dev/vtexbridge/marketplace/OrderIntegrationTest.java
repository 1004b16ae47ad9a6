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
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connection shop-noi places its marketplace's orders through the New Order Integration API (orders.placement:
 * order-integration): the engine simulates, enqueues POST /api/order-integration/orders on its store (WireMock,
 * /vtex-noi), the store posts the processing result to the services endpoint, and the marketplace hears of it
 * (WireMock, /shop-noi-marketplace/events).
 */
class OrderIntegrationTest extends EngineTest {

    static final String TOKEN = "TEST-SHOP-NOI-TOKEN-never-stored";
    static final String STORE = "/vtex-noi";
    static final String EVENTS = "/shop-noi-marketplace/events";
    static final String ENQUEUE = STORE + "/api/order-integration/orders";
    static final String STATUS = STORE + "/api/order-integration/orders/status";
    static final String MSE = "/marketplace/shop-noi/mse/" + TOKEN;
    static final String RESULT = MSE + "/order-integration/notification/processing-result?an=noistore";
    private static final AtomicInteger IDS = new AtomicInteger((int) (System.currentTimeMillis() % 1_000_000) * 10);
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void marketplaceTakesEvents() {
        remote.stubFor(post(urlEqualTo(EVENTS)).willReturn(aResponse().withStatus(200)));
    }

    static String newOrderId() {
        return "NOI" + IDS.incrementAndGet();
    }

    /** Two items: SKU 15 (one at 99.00) and SKU 16 (two at 45.50), no SLA chosen. */
    static String order(String id) {
        return """
                {"marketplaceOrderId": "%s", "marketplaceOrderStatus": "new", "marketplacePaymentValue": 21400,
                 "items": [{"id": "15", "quantity": 1, "price": 9900}, {"id": "16", "quantity": 2, "price": 4550}],
                 "clientProfileData": {"email": "buyer@example.com", "firstName": "Ana", "lastName": "Silva",
                   "documentType": "cpf", "document": "12345678909", "phone": "+5511999990000"},
                 "shippingData": {"address": {"addressType": "residential", "receiverName": "Ana Silva",
                   "postalCode": "04321100", "city": "Sao Paulo", "state": "SP", "country": "BRA", "street": "Rua X",
                   "number": "10", "neighborhood": "Centro"}},
                 "invoiceData": {"userPaymentInfo": {"paymentMethods": ["creditCardPaymentGroup"]}}}
                """.formatted(id);
    }

    static String envelope(String id, String code, String flow, boolean success, String mainOrderId, String errors) {
        return """
                {"marketplaceOrderId": %s, "accountName": "noistore", "code": "%s", "flow": "%s", "success": %s,
                 "operationId": "op-1", "errors": %s, "fields": %s, "message": "%s"}
                """.formatted(id == null ? "null" : "\"" + id + "\"", code, flow, success, errors,
                mainOrderId == null ? "null" : "{\"mainOrderId\": \"" + mainOrderId + "\"}", code + " message");
    }

    /** The store: the simulation answers both SKUs with two SLAs each, the enqueue with {@code answer}. */
    static void storeAnswers(String id, String answer) {
        remote.stubFor(post(urlEqualTo(STORE + "/api/checkout/pub/orderForms/simulation?sc=4&affiliateId=NWK"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"items": [{"id": "15", "requestIndex": 0, "quantity": 1, "availability": "available"},
                                   {"id": "16", "requestIndex": 1, "quantity": 2, "availability": "available"}],
                         "logisticsInfo": [
                           {"itemIndex": 0, "slas": [
                             {"id": "Express", "deliveryChannel": "delivery", "price": 2500, "shippingEstimate": "1bd",
                              "lockTTL": "8d", "deliveryIds": [{"courierId": "1", "warehouseId": "wh-fast"}]},
                             {"id": "Normal", "deliveryChannel": "delivery", "price": 1200, "shippingEstimate": "5bd",
                              "lockTTL": "8d", "deliveryIds": [{"courierId": "2", "warehouseId": "wh-main"}]}]},
                           {"itemIndex": 1, "slas": [
                             {"id": "Normal", "deliveryChannel": "delivery", "price": 400, "shippingEstimate": "5bd",
                              "lockTTL": "8d", "deliveryIds": [{"courierId": "2", "warehouseId": "wh-main"}]}]}]}
                        """)));
        remote.stubFor(post(urlPathEqualTo(ENQUEUE)).withRequestBody(matchingJsonPath("$.marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(answer)));
        remote.stubFor(put(urlPathEqualTo(STATUS)).withRequestBody(matchingJsonPath("$.marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(envelope(id, "SOI003", "ApproveOrder", true, null, "null"))));
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
        return send("/marketplace/shop-noi/orders", body, TOKEN);
    }

    HttpResponse<String> postResult(String body) throws Exception {
        return send(RESULT, body, null);
    }

    static List<JsonNode> enqueues(String id) {
        return remote.findAll(postRequestedFor(urlPathEqualTo(ENQUEUE))
                .withRequestBody(matchingJsonPath("$.marketplaceOrderId", equalTo(id)))).stream().map(r -> {
                    try {
                        return JSON.readTree(r.getBodyAsString());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
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

    String column(String column, String id) {
        return jdbc.queryForObject("SELECT " + column + " FROM seller_order WHERE connection_id = 'shop-noi' "
                + "AND marketplace_order_id = ?", String.class, id);
    }

    /** An order taken and enqueued (SOI003): the enqueue request seen and recorded. */
    String enqueuedOrder() throws Exception {
        String id = newOrderId();
        storeAnswers(id, envelope(null, "SOI003", "PlaceOrder", true, null, "null"));
        assertThat(postOrder(order(id)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> column("integration_enqueued_at", id) != null);
        return id;
    }

    @Test
    void anOrderPostedTwiceAndConcurrentlyIsEnqueuedOnceToTheSpecThenPlacedByItsResultAndApprovedByOneStatusUpdate()
            throws Exception {
        String id = newOrderId();
        storeAnswers(id, envelope(null, "SOI003", "PlaceOrder", true, null, "null"));
        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            posts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return postOrder(order(id));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<HttpResponse<String>> answer : posts) {
            assertThat(answer.get().statusCode()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> column("integration_enqueued_at", id) != null);
        assertThat(postOrder(order(id)).statusCode()).isEqualTo(202);
        Thread.sleep(500);
        assertThat(enqueues(id)).hasSize(1);
        assertThat(column("status", id)).isEqualTo("RECEIVED");
        assertThat(eventTypes(id)).isEmpty();

        remote.verify(1, postRequestedFor(urlEqualTo(ENQUEUE + "?affiliateId=NWK&an=noistore"))
                .withHeader("X-VTEX-API-AppKey", equalTo("vtexappkey-noistore-STUVWX")));
        JsonNode body = enqueues(id).get(0);
        assertThat(body.path("connectorName").asText()).isEqualTo("vtex-bridge-shop-noi");
        assertThat(body.path("connectorEndpoint").asText()).isEqualTo("http://localhost/marketplace/shop-noi/mse/" + TOKEN);
        assertThat(body.path("marketplaceOrderStatus").asText()).isEqualTo("new");
        assertThat(body.path("marketplacePaymentValue").isIntegralNumber()).isTrue();
        assertThat(body.path("marketplacePaymentValue").asLong()).isEqualTo(21400);
        assertThat(body.path("allowFranchises").asBoolean(true)).isFalse();
        assertThat(body.path("items")).hasSize(2);
        assertThat(body.path("items").get(0)).isEqualTo(JSON.readTree("{\"id\": \"15\", \"price\": 9900, \"quantity\": 1}"));
        assertThat(body.path("items").get(1)).isEqualTo(JSON.readTree("{\"id\": \"16\", \"price\": 4550, \"quantity\": 2}"));
        JsonNode shipping = body.path("shippingData");
        assertThat(shipping.path("logisticsInfo")).hasSize(2);
        assertThat(shipping.path("logisticsInfo").get(0)).isEqualTo(JSON.readTree("""
                {"price": 1200, "selectedDeliveryChannel": "delivery", "selectedSla": "Normal", "lockTTL": "8d",
                 "shippingEstimate": "5bd", "deliveryIds": [{"warehouseId": "wh-main"}]}"""));
        assertThat(shipping.path("logisticsInfo").get(1).path("price").asLong()).isEqualTo(400);
        assertThat(shipping.path("isFob").asBoolean(true)).isFalse();
        assertThat(shipping.path("isMarketplaceFulfillment").asBoolean(true)).isFalse();
        assertThat(shipping.path("selectedAddresses")).hasSize(1);
        JsonNode address = shipping.path("selectedAddresses").get(0);
        assertThat(address.path("addressType").asText()).isEqualTo("residential");
        assertThat(address.path("addressId").asText()).isNotBlank();
        assertThat(address.path("receiverName").asText()).isEqualTo("Ana Silva");
        assertThat(address.path("postalCode").asText()).isEqualTo("04321100");
        assertThat(address.path("country").asText()).isEqualTo("BRA");
        JsonNode profile = body.path("clientProfileData");
        assertThat(profile.path("email").asText()).isEqualTo("buyer@example.com");
        assertThat(profile.has("corporateDocument") && profile.path("corporateDocument").isNull()).isTrue();
        assertThat(profile.has("documentType")).as("not a field of the spec").isFalse();
        assertThat(body.path("invoiceData").path("userPaymentInfo").path("paymentMethods").get(0).asText())
                .isEqualTo("creditCardPaymentGroup");
        assertThat(body.has("paymentData")).isFalse();

        String result = envelope(id, "SOI001", "PlaceOrder", true, "NWK-" + id + "-01", "null");
        HttpResponse<String> first = postResult(result);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(postResult(result).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("placed"));
        assertThat(column("status", id)).isEqualTo("PLACED");
        assertThat(column("vtex_order_id", id)).isEqualTo("NWK-" + id + "-01");

        assertThat(postOrder("{\"marketplaceOrderId\": \"" + id + "\", \"marketplaceOrderStatus\": \"approved\"}")
                .statusCode()).isEqualTo(202);
        postOrder("{\"marketplaceOrderId\": \"" + id + "\", \"marketplaceOrderStatus\": \"approved\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> column("approval_requested_at", id) != null);
        String approved = envelope(id, "SOI002", "ApproveOrder", true, "NWK-" + id + "-01", "null");
        assertThat(postResult(approved).statusCode()).isEqualTo(200);
        assertThat(postResult(approved).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("dispatch-authorized"));
        Thread.sleep(500);
        remote.verify(1, putRequestedFor(urlEqualTo(STATUS + "?an=noistore")).withRequestBody(equalToJson("""
                {"marketplaceOrderId": "%s", "marketplaceOrderStatus": "approved", "connectorName": "vtex-bridge-shop-noi",
                 "connectorEndpoint": "http://localhost/marketplace/shop-noi/mse/%s"}""".formatted(id, TOKEN))));
        remote.verify(0, postRequestedFor(urlPathEqualTo(STORE + "/api/fulfillment/pvt/orders")));
        assertThat(eventTypes(id)).containsExactly("placed", "dispatch-authorized");
        assertThat(events(id).get(0).path("vtexOrderId").asText()).isEqualTo("NWK-" + id + "-01");
        assertThat(events(id).get(0).path("connection").asText()).isEqualTo("shop-noi");
        assertThat(column("status", id)).isEqualTo("READY_FOR_HANDLING");
        assertThat(enqueues(id)).hasSize(1);
    }

    @Test
    void aDuplicateAnswerToTheEnqueueIsNotSentAgainAndTheOrderIsPlacedWhenItsResultArrives() throws Exception {
        String id = newOrderId();
        storeAnswers(id, envelope(id, "EOI007", "PlaceOrder", false, null,
                "[{\"source\": \"Order Integration\", \"code\": \"EOI007\", \"description\": \"Duplicate order\"}]"));
        assertThat(postOrder(order(id)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> column("integration_enqueued_at", id) != null);
        Thread.sleep(500);
        assertThat(enqueues(id)).hasSize(1);
        assertThat(column("status", id)).isEqualTo("RECEIVED");

        assertThat(postResult(envelope(id, "SOI001", "PlaceOrder", true, "NWK-" + id, "null")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("placed"));
        assertThat(column("status", id)).isEqualTo("PLACED");
        assertThat(enqueues(id)).hasSize(1);
    }

    @Test
    void anEnqueueWhoseAnswerWasLostIsSentAgainAndTheStoresDuplicateAnswerMakesItOneOrder() throws Exception {
        String id = newOrderId();
        storeAnswers(id, envelope(null, "SOI003", "PlaceOrder", true, null, "null"));
        remote.stubFor(post(urlPathEqualTo(ENQUEUE)).inScenario(id).whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(matchingJsonPath("$.marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("taken"));
        remote.stubFor(post(urlPathEqualTo(ENQUEUE)).inScenario(id).whenScenarioStateIs("taken")
                .withRequestBody(matchingJsonPath("$.marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(envelope(id, "EOI007", "PlaceOrder", false, null, "null"))));
        assertThat(postOrder(order(id)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> column("integration_enqueued_at", id) != null);
        assertThat(enqueues(id)).hasSize(2);
        assertThat(enqueues(id).get(1)).isEqualTo(enqueues(id).get(0));
        assertThat(column("placement_attempts", id)).isEqualTo("2");

        assertThat(postResult(envelope(id, "SOI001", "PlaceOrder", true, "NWK-" + id, "null")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("placed"));
        Thread.sleep(500);
        assertThat(eventTypes(id)).containsExactly("placed");
        assertThat(enqueues(id)).hasSize(2);
    }

    @Test
    void aFailureResultFailsTheOrderOnceWithTheStoresReason() throws Exception {
        String id = enqueuedOrder();
        String failure = envelope(id, "EOI002", "PlaceOrder", false, null,
                "[{\"source\": \"Fulfillment\", \"code\": \"FMT003\", \"description\": \"No SLA for SKU 16\"}]");
        assertThat(postResult(failure).statusCode()).isEqualTo(200);
        assertThat(postResult(failure).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("failed"));
        Thread.sleep(500);
        assertThat(eventTypes(id)).containsExactly("failed");
        JsonNode failed = events(id).get(0);
        assertThat(failed.path("code").asText()).isEqualTo("EOI002");
        assertThat(failed.path("reason").asText()).contains("EOI002").contains("No SLA for SKU 16");
        assertThat(failed.path("errors").get(0).path("code").asText()).isEqualTo("FMT003");
        assertThat(column("status", id)).isEqualTo("FAILED");
    }

    @Test
    void anEnqueueRefusedAtOnceFailsTheOrderWithTheStoresReason() throws Exception {
        String id = newOrderId();
        storeAnswers(id, envelope(id, "EOI005", "PlaceOrder", false, null,
                "[{\"source\": \"Order Integration\", \"code\": \"EOI005\", \"description\": \"clientProfileData.phone\"}]"));
        remote.stubFor(post(urlPathEqualTo(ENQUEUE)).withRequestBody(matchingJsonPath("$.marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody(envelope(id, "EOI005", "PlaceOrder", false, null,
                                "[{\"source\": \"Order Integration\", \"code\": \"EOI005\", \"description\": \"phone\"}]"))));
        assertThat(postOrder(order(id)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("failed"));
        assertThat(events(id).get(0).path("code").asText()).isEqualTo("EOI005");
        assertThat(column("status", id)).isEqualTo("FAILED");
        assertThat(enqueues(id)).hasSize(1);
    }

    @Test
    void aLostResultIsLookedUpAfterTheTimeoutFoundOrderIsPlacedAndAMissingOneFailsWithTheReason() throws Exception {
        String found = enqueuedOrder();
        String missing = enqueuedOrder();
        remote.stubFor(get(urlPathEqualTo(STORE + "/api/oms/pvt/orders/NWK-" + found))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"orderId\": \"NWK-" + found + "-01\", \"status\": \"payment-pending\"}")));
        remote.stubFor(get(urlPathEqualTo(STORE + "/api/oms/pvt/orders/NWK-" + missing)).willReturn(aResponse().withStatus(404)));
        Thread.sleep(2000);
        assertThat(column("status", found)).as("still waiting within the timeout").isEqualTo("RECEIVED");
        assertThat(remote.findAll(getRequestedFor(urlPathEqualTo(STORE + "/api/oms/pvt/orders/NWK-" + found)))).isEmpty();

        await().atMost(Duration.ofSeconds(20)).until(() -> eventTypes(found).contains("placed")
                && eventTypes(missing).contains("failed"));
        assertThat(column("vtex_order_id", found)).isEqualTo("NWK-" + found + "-01");
        assertThat(events(missing).get(0).path("reason").asText()).contains("no processing result");
        assertThat(column("status", missing)).isEqualTo("FAILED");

        // the result arrives after all: the order the engine gave up on is placed, and the marketplace told so
        assertThat(postResult(envelope(missing, "SOI001", "PlaceOrder", true, "NWK-" + missing, "null")).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(missing).contains("placed"));
        assertThat(column("status", missing)).isEqualTo("PLACED");
        assertThat(enqueues(found)).hasSize(1);
        assertThat(enqueues(missing)).hasSize(1);
    }

    /** An order integrated by its result (SOI001) as {@code NWK-<id>-01}. */
    String placedOrder() throws Exception {
        String id = enqueuedOrder();
        assertThat(postResult(envelope(id, "SOI001", "PlaceOrder", true, "NWK-" + id + "-01", "null")).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("placed"));
        return id;
    }

    @Test
    void anApprovalBeforeTheStoreCanTakeItIsRequestedAgainLater() throws Exception {
        String id = placedOrder();
        remote.stubFor(put(urlPathEqualTo(STATUS)).inScenario(id).whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(matchingJsonPath("$.marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody(envelope(id, "EOI008", "ApproveOrder", false, null, "null"))).willSetStateTo("ready"));
        remote.stubFor(put(urlPathEqualTo(STATUS)).inScenario(id).whenScenarioStateIs("ready")
                .withRequestBody(matchingJsonPath("$.marketplaceOrderId", equalTo(id)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(envelope(id, "SOI003", "ApproveOrder", true, null, "null"))));

        assertThat(postOrder("{\"marketplaceOrderId\": \"" + id + "\", \"marketplaceOrderStatus\": \"approved\"}")
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> remote.findAll(putRequestedFor(urlPathEqualTo(STATUS))
                .withRequestBody(matchingJsonPath("$.marketplaceOrderId", equalTo(id)))).size() == 2);
        assertThat(postResult(envelope(id, "SOI002", "ApproveOrder", true, "NWK-" + id + "-01", "null")).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("dispatch-authorized"));
        Thread.sleep(500);
        assertThat(remote.findAll(putRequestedFor(urlPathEqualTo(STATUS))
                .withRequestBody(matchingJsonPath("$.marketplaceOrderId", equalTo(id))))).hasSize(2);
        assertThat(eventTypes(id)).containsExactly("placed", "dispatch-authorized");
        assertThat(column("status", id)).isEqualTo("READY_FOR_HANDLING");
    }

    @Test
    void aCanceledOrderIsCancelledOnTheStoreByItsMainOrderId() throws Exception {
        String id = placedOrder();
        remote.stubFor(post(urlEqualTo(STORE + "/api/oms/pvt/orders/NWK-" + id + "-01/cancel"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"date\": \"2024-03-05T12:00:00Z\", \"orderId\": \"NWK-" + id + "-01\", \"receipt\": \"r-1\"}")));
        assertThat(postOrder("{\"marketplaceOrderId\": \"" + id + "\", \"marketplaceOrderStatus\": \"canceled\"}")
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> eventTypes(id).contains("canceled"));
        remote.verify(1, postRequestedFor(urlEqualTo(STORE + "/api/oms/pvt/orders/NWK-" + id + "-01/cancel")));
        assertThat(column("status", id)).isEqualTo("CANCELED");
    }

    @Test
    void theResultPathRefusesAWrongTokenAnUnknownOrderAndAMalformedBody() throws Exception {
        String id = enqueuedOrder();
        String result = envelope(id, "SOI001", "PlaceOrder", true, "NWK-" + id, "null");
        assertThat(send("/marketplace/shop-noi/mse/wrong-token/order-integration/notification/processing-result?an=noistore",
                result, null).statusCode()).isEqualTo(401);
        assertThat(send("/marketplace/shop-noi/mse/" + MarketplaceOrdersTest.TOKEN
                + "/order-integration/notification/processing-result", result, null).statusCode()).isEqualTo(401);
        assertThat(postResult(envelope("NOI-unknown", "SOI001", "PlaceOrder", true, "x", "null")).statusCode())
                .isEqualTo(404);
        assertThat(postResult("{\"code\": ").statusCode()).isEqualTo(400);
        Thread.sleep(300);
        assertThat(column("status", id)).isEqualTo("RECEIVED");
        assertThat(eventTypes(id)).isEmpty();
    }
}
