package dev.vtexbridge.marketplace;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vtexbridge.testkit.EngineTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
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
 * The External Marketplace role end to end: connection shop's VTEX store (WireMock, /vtex-store) posts affiliate
 * notifications; the engine reads the SKU and its price and stock from the store, maps them with
 * mappings/connections/shop/, and publishes the offer to the marketplace's REST endpoint (WireMock,
 * /shop-marketplace/offers), whose requests the tests read back.
 */
class MarketplaceOffersTest extends EngineTest {

    private static final String TOKEN = "TEST-SHOP-NOTIFICATION-TOKEN-never-stored";
    private static final String STORE_KEY = "vtexappkey-teststore-MNOPQR";
    private static final String STORE_TOKEN = "TEST-STORE-VTEX-APP-TOKEN-never-stored";
    private static final String OFFERS = "/shop-marketplace/offers";
    private static final AtomicInteger SKUS = new AtomicInteger((int) (System.currentTimeMillis() % 1_000_000) * 10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void marketplaceAcceptsOffers() {
        remote.stubFor(put(urlEqualTo(OFFERS)).willReturn(aResponse().withStatus(200)));
    }

    private static String newSku() {
        return String.valueOf(SKUS.incrementAndGet());
    }

    /** The store's SKU, as the Catalog API answers it (its example, with this SKU's id). */
    private static String skuJson(String sku, String brandId, String categoryIds) {
        return """
                {"Id": %s, "ProductId": 2001426, "NameComplete": "Tabela de Basquete", "ProductName": "Tabela de Basquete",
                 "ProductDescription": "Tabela de basquete infantil", "SkuName": "Tabela", "IsActive": true,
                 "IsProductActive": true, "BrandId": "%s", "BrandName": "MARCA", "ImageUrl": "http://img.example/1-55-55.jpg",
                 "Dimension": {"cubicweight": 81.6833, "height": 65, "length": 58, "weight": 10000, "width": 130},
                 "Images": [{"ImageUrl": "http://img.example/1.jpg", "ImageName": "", "FileId": 1}],
                 "SkuSpecifications": [{"FieldId": 102, "FieldName": "Cor", "FieldValues": ["Padrão"]}],
                 "ProductSpecifications": [{"FieldId": 23, "FieldName": "Fabricante", "FieldValues": ["Xalingo"]}],
                 "ProductCategoryIds": "%s", "ProductCategories": {"59": "Brinquedos", "60": "Bonecas"},
                 "AlternateIds": {"Ean": "8781", "RefId": "878181"}, "MeasurementUnit": "un", "UnitMultiplier": 1.0,
                 "SalesChannels": [1, 3]}
                """.formatted(sku, brandId, categoryIds);
    }

    private static void storeHas(String sku, String brandId, String categoryIds, String simulation) {
        remote.stubFor(get(urlEqualTo("/vtex-store/api/catalog_system/pvt/sku/stockkeepingunitbyid/" + sku + "?sc=3"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(skuJson(sku, brandId, categoryIds))));
        remote.stubFor(post(urlEqualTo("/vtex-store/api/checkout/pub/orderForms/simulation?sc=3&affiliateId=MKP"))
                .withRequestBody(matchingJsonPath("$.items[0].id", equalTo(sku)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(simulation)));
    }

    private static String priced(String sku, long sellingPrice, int stockBalance) {
        return """
                {"items": [{"id": "%s", "requestIndex": 0, "quantity": 1, "seller": "1", "price": %d, "listPrice": 12000,
                  "sellingPrice": %d, "availability": "available",
                  "priceDefinition": {"calculatedSellingPrice": %d, "total": %d, "sellingPrices": []}}],
                 "logisticsInfo": [{"itemIndex": 0, "quantity": 1, "shipsTo": ["BRA"], "slas": [], "stockBalance": %d}],
                 "postalCode": null, "country": null}
                """.formatted(sku, sellingPrice, sellingPrice, sellingPrice, sellingPrice, stockBalance);
    }

    private HttpResponse<String> notify(String query, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(engineUrl("/marketplace/shop/api/notification" + query)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String notification(String sku, String flags) {
        return "{\"IdSku\": \"" + sku + "\", \"ProductId\": 2001426, \"An\": \"teststore\", \"IdAffiliate\": \"MKP\","
                + " \"DateModified\": \"2024-03-05T15:11:28.1978783Z\"" + flags + "}";
    }

    private static JsonNode offerFor(String sku) throws Exception {
        List<LoggedRequest> sent = remote.findAll(putRequestedFor(urlEqualTo(OFFERS))
                .withRequestBody(matchingJsonPath("$.skuId", equalTo(sku))));
        assertThat(sent).as("offers of SKU " + sku).isNotEmpty();
        return JSON.readTree(sent.get(sent.size() - 1).getBodyAsString());
    }

    private void awaitOffer(String sku) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> offerFor(sku));
    }

    private String listingStatus(String sku) {
        List<String> status = jdbc.queryForList("SELECT status FROM marketplace_listing WHERE connection_id = 'shop'"
                + " AND sku_id = ?", String.class, sku);
        return status.isEmpty() ? null : status.get(0);
    }

    @Test
    void aNotificationBecomesAnOfferWithTheMappedCategoryAndThePriceGrossedUpForTheFees() throws Exception {
        String sku = newSku();
        storeHas(sku, "2000018", "/59/", priced(sku, 9999, 7));

        HttpResponse<String> answer = notify("?token=" + TOKEN, notification(sku, ", \"IsActive\": true, \"PriceModified\": true"));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("accepted").asInt()).isEqualTo(1);
        awaitOffer(sku);
        JsonNode offer = offerFor(sku);
        assertThat(offer.get("connection").asText()).isEqualTo("shop");
        assertThat(offer.get("productId").asText()).isEqualTo("2001426");
        assertThat(offer.get("refId").asText()).isEqualTo("878181");
        assertThat(offer.get("ean").asText()).isEqualTo("8781");
        assertThat(offer.get("active").asBoolean()).isTrue();
        assertThat(offer.get("title").asText()).isEqualTo("Tabela de Basquete");
        assertThat(offer.get("brand").asText()).isEqualTo("Xalingo");
        assertThat(offer.at("/category/vtexId").asText()).isEqualTo("59");
        assertThat(offer.at("/category/vtexPath").asText()).isEqualTo("Brinquedos");
        assertThat(offer.at("/category/marketplaceId").asText()).isEqualTo("MKT-TOYS-01");
        assertThat(offer.at("/attributes/Color").asText()).isEqualTo("Default");
        assertThat(offer.at("/attributes/Manufacturer").asText()).isEqualTo("Xalingo");
        assertThat(offer.at("/images/0").asText()).isEqualTo("https://img.example/1.jpg");
        // net 99.99, fees 12 % and 1.00: ceil((9999 + 100) / 0.88) = 11477, then rounded up to end in 90
        assertThat(offer.get("price").asLong()).isEqualTo(11490);
        assertThat(offer.get("listPrice").asLong()).isEqualTo(12000);
        assertThat(offer.get("stock").asInt()).isEqualTo(7);
        assertThat(offer.at("/dimensions/height").asDouble()).isEqualTo(65);
        assertThat(offer.at("/dimensions/weight").asInt()).isEqualTo(10000);
        assertThat(offer.get("changedAt").asText()).startsWith("2024-03-05T15:11:28");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(listingStatus(sku)).isEqualTo("LISTED"));

        // the marketplace got the configured header and none of the store's credentials
        LoggedRequest published = remote.findAll(putRequestedFor(urlEqualTo(OFFERS))
                .withRequestBody(matchingJsonPath("$.skuId", equalTo(sku)))).get(0);
        assertThat(published.getHeader("Authorization")).isEqualTo("Bearer TEST-SHOP-MARKETPLACE-KEY-never-stored");
        assertThat(published.containsHeader("X-VTEX-API-AppToken")).isFalse();
        assertThat(published.getBodyAsString()).doesNotContain(TOKEN, STORE_TOKEN);
        // the VTEX requests as the Catalog and Checkout APIs define them, with the store's credentials
        remote.verify(getRequestedFor(urlPathEqualTo("/vtex-store/api/catalog_system/pvt/sku/stockkeepingunitbyid/" + sku))
                .withQueryParam("sc", equalTo("3"))
                .withHeader("X-VTEX-API-AppKey", equalTo(STORE_KEY)).withHeader("X-VTEX-API-AppToken", equalTo(STORE_TOKEN)));
        remote.verify(postRequestedFor(urlPathEqualTo("/vtex-store/api/checkout/pub/orderForms/simulation"))
                .withQueryParam("sc", equalTo("3")).withQueryParam("affiliateId", equalTo("MKP"))
                .withHeader("X-VTEX-API-AppKey", equalTo(STORE_KEY)).withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("{\"items\": [{\"id\": \"" + sku + "\", \"quantity\": 1, \"seller\": \"1\"}],"
                        + " \"postalCode\": null, \"country\": null}")));
    }

    @Test
    void notificationsOfOneSkuInsideTheWindowMakeOneOffer() throws Exception {
        String sku = newSku();
        storeHas(sku, "2000018", "/59/", priced(sku, 5000, 3));

        assertThat(notify("?token=" + TOKEN, "[" + notification(sku, ", \"StockModified\": true") + ","
                + notification(sku, ", \"PriceModified\": true") + "]").statusCode()).isEqualTo(200);
        assertThat(notify("?token=" + TOKEN, notification(sku, ", \"stockmodified\": true")).statusCode()).isEqualTo(200);

        awaitOffer(sku);
        Thread.sleep(1500);
        assertThat(remote.findAll(putRequestedFor(urlEqualTo(OFFERS)).withRequestBody(matchingJsonPath("$.skuId", equalTo(sku)))))
                .hasSize(1);
    }

    @Test
    void aSkuRemovedFromTheAffiliateIsDelistedWithoutReadingTheStore() throws Exception {
        String sku = newSku();

        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(engineUrl("/marketplace/shop/api/notification")))
                .header("Content-Type", "application/json").header("X-Bridge-Token", TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(notification(sku, ", \"HasStockKeepingUnitRemovedFromAffiliate\": true")))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        awaitOffer(sku);
        JsonNode offer = offerFor(sku);
        assertThat(offer.get("active").asBoolean()).isFalse();
        assertThat(offer.get("stock").asInt()).isZero();
        assertThat(offer.get("reason").asText()).contains("removed from affiliate MKP");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(listingStatus(sku)).isEqualTo("DELISTED"));
        remote.verify(0, getRequestedFor(urlPathEqualTo("/vtex-store/api/catalog_system/pvt/sku/stockkeepingunitbyid/" + sku)));
    }

    @Test
    void anItemMissingFromTheSimulationAnswerHasStockZero() throws Exception {
        String sku = newSku();
        storeHas(sku, "2000018", "/59/", "{\"items\": [], \"logisticsInfo\": [], \"messages\": []}");

        assertThat(notify("?token=" + TOKEN, notification(sku, ", \"StockModified\": true")).statusCode()).isEqualTo(200);

        awaitOffer(sku);
        JsonNode offer = offerFor(sku);
        assertThat(offer.get("stock").asInt()).isZero();
        assertThat(offer.get("active").asBoolean()).isTrue();
        assertThat(offer.get("price").isNull()).isTrue();
    }

    @Test
    void anUnmappedCategoryIsPublishedWithoutAMarketplaceCategory() throws Exception {
        String sku = newSku();
        storeHas(sku, "2000018", "/59/60/", priced(sku, 5000, 2));

        assertThat(notify("?token=" + TOKEN, notification(sku, "")).statusCode()).isEqualTo(200);

        awaitOffer(sku);
        JsonNode offer = offerFor(sku);
        assertThat(offer.at("/category/vtexId").asText()).isEqualTo("60");
        assertThat(offer.at("/category/vtexPath").asText()).isEqualTo("Brinquedos/Bonecas");
        assertThat(offer.at("/category/marketplaceId").isNull()).isTrue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT blocked_by FROM marketplace_listing WHERE connection_id = 'shop' AND sku_id = ?", String.class, sku))
                .isEqualTo("category:60"));
    }

    @Test
    void aWrongOrMissingTokenIs401BeforeTheBodyIsRead() throws Exception {
        HttpResponse<String> wrong = notify("?token=nope", notification(newSku(), ""));
        HttpResponse<String> missing = notify("", notification(newSku(), ""));

        for (HttpResponse<String> answer : List.of(wrong, missing)) {
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(answer.body()).at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
        }
    }

    @Test
    void anUnknownConnectionOrOneOfAnotherRoleIs404() throws Exception {
        for (String id : List.of("nosuch", "outlet", "retired")) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(engineUrl("/marketplace/" + id
                            + "/api/notification?token=" + TOKEN))).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(notification("1", ""))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(id).isEqualTo(404);
            assertThat(JSON.readTree(answer.body()).at("/error/code").asText()).isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void malformedBodiesAre400NamingTheField() throws Exception {
        String[][] cases = {
                {"{\"ProductId\": 1}", "IdSku"},
                {"[{\"IdSku\": \"1\"}, {\"IdSku\": \"2\", \"StockModified\": \"yes\"}]", "[1].StockModified"},
                {"{\"IdSku\": \"1\", \"DateModified\": \"yesterday\"}", "DateModified"},
                {"{\"IdSku\": \"1\", \"IdAffiliate\": \"XYZ\"}", "IdAffiliate"},
                {"{\"IdSku\": {\"a\": 1}}", "IdSku"},
                {"{\"IdSku\": \"1\", \"idsku\": \"2\"}", "idsku"},
                {"[]", "empty array"},
                {"42", "neither"},
                {"{\"IdSku\": \"1\"", "JSON"}};
        for (String[] c : cases) {
            HttpResponse<String> answer = notify("?token=" + TOKEN, c[0]);
            assertThat(answer.statusCode()).as(c[0] + ": " + answer.body()).isEqualTo(400);
            JsonNode error = JSON.readTree(answer.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("INVALID_NOTIFICATION");
            if (!"JSON".equals(c[1])) {
                assertThat(error.get("message").asText()).as(c[0]).contains(c[1]);
            }
        }
    }

    @Test
    void aVtex429IsDeferredNotFailed() throws Exception {
        String sku = newSku();
        storeHas(sku, "2000018", "/59/", priced(sku, 5000, 4));
        remote.stubFor(get(urlEqualTo("/vtex-store/api/catalog_system/pvt/sku/stockkeepingunitbyid/" + sku + "?sc=3"))
                .inScenario("busy-" + sku).whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
                .willSetStateTo("calm"));
        remote.stubFor(get(urlEqualTo("/vtex-store/api/catalog_system/pvt/sku/stockkeepingunitbyid/" + sku + "?sc=3"))
                .inScenario("busy-" + sku).whenScenarioStateIs("calm")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(skuJson(sku, "2000018", "/59/"))));

        assertThat(notify("?token=" + TOKEN, notification(sku, "")).statusCode()).isEqualTo(200);

        awaitOffer(sku);
        assertThat(offerFor(sku).get("stock").asInt()).isEqualTo(4);
        remote.verify(2, getRequestedFor(urlPathEqualTo("/vtex-store/api/catalog_system/pvt/sku/stockkeepingunitbyid/" + sku)));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM failed_message WHERE connection_id = 'shop' AND body LIKE ?",
                Integer.class, "%\"" + sku + "\"%")).isZero();
    }

    @Test
    void aMappingErrorGoesToTheFailedMessageStore() throws Exception {
        String sku = newSku();
        storeHas(sku, "9999999", "/59/", priced(sku, 5000, 4));

        assertThat(notify("?token=" + TOKEN, notification(sku, "")).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "SELECT error_message FROM failed_message WHERE connection_id = 'shop' AND route_id = 'offers-vtex-to-marketplace'"
                        + " AND body LIKE ?", String.class, "%\"" + sku + "\"%"))
                .singleElement().asString().contains("brand 9999999"));
        assertThat(listingStatus(sku)).isEqualTo("ERROR");
        assertThat(jdbc.queryForObject("SELECT blocked_by FROM marketplace_listing WHERE connection_id = 'shop' AND sku_id = ?",
                String.class, sku)).isEqualTo("brand:9999999");
        assertThat(remote.findAll(putRequestedFor(urlEqualTo(OFFERS)).withRequestBody(matchingJsonPath("$.skuId", equalTo(sku)))))
                .isEmpty();
    }
}
