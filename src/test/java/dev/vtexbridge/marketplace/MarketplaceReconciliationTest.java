package dev.vtexbridge.marketplace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reconciliation of marketplace connection shop: its VTEX store (WireMock, /vtex-store) answers the SKU ids of sales
 * channel 3 a page at a time; each SKU goes through the offers flow, which publishes to the marketplace
 * (/shop-marketplace/offers) only an offer that differs from the last one; a SKU listed before and gone from the sales
 * channel is delisted. Also the listings in the ops API (offers of a marketplace connection, completeness).
 */
class MarketplaceReconciliationTest extends EngineTest {

    private static final String OFFERS = "/shop-marketplace/offers";
    private static final String IDS = "/vtex-store/api/catalog_system/pvt/sku/stockkeepingunitidsbysaleschannel";
    private static final AtomicInteger SKUS = new AtomicInteger((int) (System.currentTimeMillis() % 1_000_000) * 10 + 5_000_000);
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpsClient ops;

    @BeforeEach
    void setUp() {
        ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        remote.stubFor(put(urlEqualTo(OFFERS)).willReturn(aResponse().withStatus(200)));
    }

    private static String newSku() {
        return String.valueOf(SKUS.incrementAndGet());
    }

    private static void storeHas(String sku, String categoryIds, long price, int stock) {
        remote.stubFor(get(urlEqualTo("/vtex-store/api/catalog_system/pvt/sku/stockkeepingunitbyid/" + sku + "?sc=3"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"Id": %s, "ProductId": 2001426, "NameComplete": "Tabela de Basquete", "ProductName": "Tabela de Basquete",
                         "ProductDescription": "Tabela de basquete infantil", "SkuName": "Tabela", "IsActive": true,
                         "IsProductActive": true, "BrandId": "2000018", "BrandName": "MARCA",
                         "Dimension": {"cubicweight": 81.6833, "height": 65, "length": 58, "weight": 10000, "width": 130},
                         "Images": [{"ImageUrl": "http://img.example/1.jpg", "ImageName": "", "FileId": 1}],
                         "SkuSpecifications": [], "ProductSpecifications": [],
                         "ProductCategoryIds": "%s", "ProductCategories": {"59": "Brinquedos"},
                         "AlternateIds": {"Ean": "8781", "RefId": "878181"}, "MeasurementUnit": "un", "UnitMultiplier": 1.0,
                         "SalesChannels": [1, 3]}
                        """.formatted(sku, categoryIds))));
        remote.stubFor(post(urlEqualTo("/vtex-store/api/checkout/pub/orderForms/simulation?sc=3&affiliateId=MKP"))
                .withRequestBody(matchingJsonPath("$.items[0].id", equalTo(sku)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"items": [{"id": "%s", "requestIndex": 0, "quantity": 1, "seller": "1", "price": %d,
                          "listPrice": 20000, "sellingPrice": %d, "availability": "available"}],
                         "logisticsInfo": [{"itemIndex": 0, "quantity": 1, "shipsTo": ["BRA"], "slas": [], "stockBalance": %d}]}
                        """.formatted(sku, price, price, stock))));
    }

    /** The sales channel's SKU ids, two per page. */
    private static void salesChannelHas(String... skus) {
        List<String> ids = List.of(skus);
        for (int page = 1; page <= ids.size() / 2 + 1; page++) {
            List<String> slice = ids.subList(Math.min(ids.size(), (page - 1) * 2), Math.min(ids.size(), page * 2));
            remote.stubFor(get(urlEqualTo(IDS + "?sc=3&page=" + page + "&pageSize=2&onlyAssigned=true"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody("[" + String.join(", ", slice) + "]")));
        }
    }

    private static List<JsonNode> offersOf(String sku) throws Exception {
        List<JsonNode> offers = new ArrayList<>();
        for (LoggedRequest request : remote.findAll(putRequestedFor(urlEqualTo(OFFERS))
                .withRequestBody(matchingJsonPath("$.skuId", equalTo(sku))))) {
            offers.add(JSON.readTree(request.getBodyAsString()));
        }
        return offers;
    }

    /** Runs a reconciliation of shop and waits until the offers flow went through every SKU of it. */
    private JsonNode reconcile() {
        OpsClient.Answer started = ops.post("/ops/api/reconciliation?connection=shop");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(ops.get("/ops/api/reconciliation?connection=shop").json().path("status").asText()).isEqualTo("DONE"));
        return ops.get("/ops/api/reconciliation?connection=shop").json();
    }

    @Test
    void aChangeWithoutNotificationIsRepublishedAnIdenticalOfferIsNotAndAGoneSkuIsDelisted() throws Exception {
        String a = newSku();
        String b = newSku();
        String c = newSku();
        storeHas(a, "/59/", 9999, 7);
        storeHas(b, "/59/", 5000, 3);
        storeHas(c, "/59/", 4000, 1);
        // two pages: shop's page size is 2 in the test profile
        salesChannelHas(a, b, c);

        JsonNode first = reconcile();
        assertThat(first.path("read").asInt()).isEqualTo(3);
        assertThat(first.path("republished").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(offersOf(a)).hasSize(1);
        assertThat(offersOf(b)).hasSize(1);
        assertThat(offersOf(c)).hasSize(1);
        assertThat(offersOf(a).get(0).path("active").asBoolean()).isTrue();
        remote.verify(getRequestedFor(urlPathEqualTo(IDS)).withQueryParam("sc", equalTo("3"))
                .withQueryParam("page", equalTo("1")).withQueryParam("pageSize", equalTo("2"))
                .withHeader("X-VTEX-API-AppKey", equalTo("vtexappkey-teststore-MNOPQR")));

        // nothing changed: nothing is sent again
        JsonNode second = reconcile();
        assertThat(second.path("runId").asLong()).isGreaterThan(first.path("runId").asLong());
        assertThat(second.path("unchanged").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(second.path("republished").asInt()).isZero();
        assertThat(offersOf(a)).hasSize(1);

        // the store's price of a changed and its notification was lost; c left the sales channel
        storeHas(a, "/59/", 8999, 7);
        salesChannelHas(a, b);
        JsonNode third = reconcile();
        assertThat(third.path("read").asInt()).isEqualTo(2);
        assertThat(third.path("republished").asInt()).isEqualTo(1);
        assertThat(third.path("delisted").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(offersOf(a)).hasSize(2);
        assertThat(offersOf(b)).hasSize(1);
        assertThat(offersOf(a).get(1).path("price").asLong()).isLessThan(offersOf(a).get(0).path("price").asLong());
        JsonNode gone = offersOf(c).get(offersOf(c).size() - 1);
        assertThat(gone.path("active").asBoolean()).isFalse();
        assertThat(gone.path("stock").asInt()).isZero();
        assertThat(gone.path("reason").asText()).contains("no longer in sales channel 3");

        // the listings in the ops API
        JsonNode listings = ops.get("/ops/api/offers?connection=shop&sku=" + c).json();
        assertThat(listings.path("total").asInt()).isEqualTo(1);
        assertThat(listings.at("/items/0/status").asText()).isEqualTo("delisted");
        JsonNode listed = ops.get("/ops/api/offers/" + a + "?connection=shop").json();
        assertThat(listed.path("status").asText()).isEqualTo("listed");
        assertThat(listed.path("price").asLong()).isEqualTo(offersOf(a).get(1).path("price").asLong());
        assertThat(listed.path("stock").asInt()).isEqualTo(7);
        assertThat(ops.get("/ops/api/offers?connection=shop&status=listed").json().path("counts").path("listed").asInt())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void unmappedCategoriesOfListingsAreInTheCompletenessReport() throws Exception {
        String sku = newSku();
        storeHas(sku, "/59/77/", 1000, 1);
        salesChannelHas(sku);

        reconcile();

        assertThat(offersOf(sku)).hasSize(1);
        assertThat(offersOf(sku).get(0).at("/category/marketplaceId").isNull()).isTrue();
        JsonNode report = ops.get("/ops/api/mappings/completeness?connection=shop&size=500").json();
        assertThat(report.path("role").asText()).isEqualTo("marketplace");
        assertThat(report.path("unmappedCategories").findValuesAsText("vtexId")).contains("77");
        List<String> blocked = report.path("blockedSkus").findValuesAsText("sku");
        assertThat(blocked).contains(sku);
    }

    @Test
    void aSellerConnectionOrAnUnknownOneHasNoMarketplaceReconciliation() {
        assertThat(ops.post("/ops/api/reconciliation?connection=outlet").status()).isEqualTo(400);
        assertThat(ops.get("/ops/api/reconciliation?connection=nosuch").status()).isEqualTo(404);
    }
}
