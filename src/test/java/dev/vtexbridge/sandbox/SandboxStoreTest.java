package dev.vtexbridge.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.testkit.EngineTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sandbox's External Marketplace side: the simulated VTEX store under /sandbox/store (catalog, SKU ids of the
 * sales channel, simulation, fulfillment order placement, fulfil, cancel, and its calls back to the order's services
 * endpoint, here WireMock) and the simulated external marketplace's offers sink.
 */
class SandboxStoreTest extends EngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    SandboxStore store;

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(engineUrl(path))).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStoreAnswersTheCatalogAndTheSimulation() throws Exception {
        HttpResponse<String> sku = call("GET", "/sandbox/store/api/catalog_system/pvt/sku/stockkeepingunitbyid/2001773?sc=1", null);
        assertThat(sku.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(sku.body()).path("ProductCategoryIds").asText()).isEqualTo("/59/");
        assertThat(call("GET", "/sandbox/store/api/catalog_system/pvt/sku/stockkeepingunitbyid/1?sc=1", null).statusCode())
                .isEqualTo(404);
        String ids = "/sandbox/store/api/catalog_system/pvt/sku/stockkeepingunitidsbysaleschannel?sc=1&pageSize=4&onlyAssigned=true";
        assertThat(JSON.readTree(call("GET", ids + "&page=1", null).body())).hasSize(4);
        assertThat(JSON.readTree(call("GET", ids + "&page=2", null).body())).hasSize(2);
        assertThat(JSON.readTree(call("GET", ids + "&page=3", null).body())).isEmpty();

        JsonNode simulation = JSON.readTree(call("POST", "/sandbox/store/api/checkout/pub/orderForms/simulation?sc=1&affiliateId=BRG",
                "{\"items\": [{\"id\": \"2001774\", \"quantity\": 1, \"seller\": \"1\"}, {\"id\": \"99\", \"quantity\": 1,"
                        + " \"seller\": \"1\"}], \"postalCode\": null, \"country\": null}").body());
        assertThat(simulation.path("items")).hasSize(1);
        assertThat(simulation.at("/items/0/priceDefinition/calculatedSellingPrice").asLong()).isPositive();
        assertThat(simulation.at("/logisticsInfo/0/stockBalance").asInt()).isPositive();
        assertThat(call("GET", "/sandbox/api/calls?path=/sandbox/store/api/checkout", null).body()).contains("2001774");
    }

    @Test
    void anOrderIsPlacedFulfilledAndInvoicedAtItsServicesEndpoint() throws Exception {
        remote.stubFor(post(urlPathEqualTo("/mse/pub/orders/MKT-1001/invoice")).willReturn(aResponse().withStatus(200)
                .withBody("{\"date\": \"2024-01-01T00:00:00Z\", \"orderId\": \"MKT-1001\", \"receipt\": null}")));
        String order = """
                {"marketplaceOrderId": "MKT-1001", "marketplaceServicesEndpoint": "%s/mse?an=sandboxstore",
                 "marketplacePaymentValue": 6490, "items": [{"id": "2001775", "quantity": 1, "seller": "1", "price": 4990}],
                 "clientProfileData": {"email": "a@b.example", "firstName": "A", "lastName": "B", "documentType": "cpf",
                  "document": "12345678909"},
                 "shippingData": {"address": {"addressType": "residential", "receiverName": "A B", "postalCode": "22270-030",
                  "city": "Rio", "state": "RJ", "country": "BRA", "street": "R", "number": "1"},
                  "logisticsInfo": [{"itemIndex": 0, "selectedSla": null, "price": 1500}]},
                 "paymentData": null}
                """.formatted(remote.baseUrl());
        int before = store.simulate(JSON.readTree("{\"items\": [{\"id\": \"2001775\", \"quantity\": 1}]}"))
                .at("/logisticsInfo/0/stockBalance").asInt();

        HttpResponse<String> placed = call("POST", "/sandbox/store/api/fulfillment/pvt/orders?sc=1&affiliateId=BRG", order);
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(200);
        assertThat(JSON.readTree(placed.body()).path("orderId").asText()).isEqualTo("BRG-MKT-1001");
        assertThat(store.simulate(JSON.readTree("{\"items\": [{\"id\": \"2001775\", \"quantity\": 1}]}"))
                .at("/logisticsInfo/0/stockBalance").asInt()).isEqualTo(before - 1);

        HttpResponse<String> fulfilled = call("POST", "/sandbox/store/api/fulfillment/pvt/orders/BRG-MKT-1001/fulfill?sc=1&affiliateId=BRG",
                "{\"marketplaceOrderId\": \"MKT-1001\"}");
        assertThat(fulfilled.statusCode()).as(fulfilled.body()).isEqualTo(201);
        assertThat(JSON.readTree(fulfilled.body()).at("/details/marketplaceOrderId").asText()).isEqualTo("MKT-1001");

        store.invoiceDue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> remote.verify(postRequestedFor(
                urlEqualTo("/mse/pub/orders/MKT-1001/invoice?an=sandboxstore"))
                .withRequestBody(matchingJsonPath("$.invoiceNumber", equalTo("NF-BRG-MKT-1001")))
                .withRequestBody(matchingJsonPath("$.invoiceValue", equalTo("6490")))));
        // then the tracking, on the same path
        store.invoiceDue();
        remote.verify(postRequestedFor(urlEqualTo("/mse/pub/orders/MKT-1001/invoice?an=sandboxstore"))
                .withRequestBody(matchingJsonPath("$.trackingNumber", equalTo("SBX" + Math.abs("BRG-MKT-1001".hashCode())))));
        // an invoiced order is not cancelled without a return invoice; an unknown one is 404
        assertThat(call("POST", "/sandbox/store/api/oms/pvt/orders/BRG-MKT-1001/cancel", "{}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/sandbox/store/api/oms/pvt/orders/BRG-NONE/cancel", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void aCancelledOrderGivesItsStockBackAndTellsItsServicesEndpoint() throws Exception {
        remote.stubFor(post(urlPathEqualTo("/mse2/pvt/orders/MKT-2002/cancel")).willReturn(aResponse().withStatus(200)));
        String order = """
                {"marketplaceOrderId": "MKT-2002", "marketplaceServicesEndpoint": "%s/mse2", "marketplacePaymentValue": 100,
                 "items": [{"id": "2001778", "quantity": 2, "seller": "1", "price": 50}]}
                """.formatted(remote.baseUrl());
        assertThat(call("POST", "/sandbox/store/api/fulfillment/pvt/orders?sc=1&affiliateId=BRG", order).statusCode()).isEqualTo(200);
        int held = store.simulate(JSON.readTree("{\"items\": [{\"id\": \"2001778\"}]}")).at("/logisticsInfo/0/stockBalance").asInt();

        HttpResponse<String> cancelled = call("POST", "/sandbox/store/api/oms/pvt/orders/BRG-MKT-2002/cancel",
                "{\"reason\": \"buyer gave up\", \"requestedByUser\": true}");

        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).path("orderId").asText()).isEqualTo("BRG-MKT-2002");
        assertThat(store.simulate(JSON.readTree("{\"items\": [{\"id\": \"2001778\"}]}")).at("/logisticsInfo/0/stockBalance").asInt())
                .isEqualTo(held + 2);
        remote.verify(postRequestedFor(urlEqualTo("/mse2/pvt/orders/MKT-2002/cancel")));
    }

    @Test
    void theExternalMarketplaceKeepsTheOffersItReceives() throws Exception {
        assertThat(call("PUT", "/sandbox/marketplace/offers", "{\"connection\": \"shop\", \"skuId\": \"77001\", \"active\": true,"
                + " \"price\": 1990, \"stock\": 3}").statusCode()).isEqualTo(200);
        assertThat(call("POST", "/sandbox/marketplace/events", "{\"type\": \"order-invoiced\"}").statusCode()).isEqualTo(200);

        JsonNode offers = JSON.readTree(call("GET", "/sandbox/api/marketplace/offers?connection=shop", null).body());
        assertThat(offers.findValuesAsText("skuId")).contains("77001");
        assertThat(JSON.readTree(call("GET", "/sandbox/api/marketplace/events", null).body()).toString()).contains("order-invoiced");
    }
}
