package dev.vtexbridge.connections;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vtexbridge.erp.ErpCatalog;
import dev.vtexbridge.sync.OfferSyncStore;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
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
 * The catalog flow per connection, against two WireMock VTEX accounts: {@code default} (under {@code /vtex}) and the
 * test profile's {@code outlet} (under {@code /vtex-outlet}, its own seller id and credentials). One ERP catalog change
 * is one binding check on each account; each marketplace's answer is that connection's catalog status; outlet's
 * mapping overlay blocks a SKU there alone, and fixing it retries the SKU there alone.
 */
class CatalogPerConnectionTest extends EngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_BINDING = "/vtex/api/sku-binding/pvt/skuseller/changenotification/bridgeseller/";
    private static final String OUTLET_BINDING = "/vtex-outlet/api/sku-binding/pvt/skuseller/changenotification/bridgeseller-outlet/";
    private static final String DEFAULT_SUGGESTIONS = "/vtex-suggestions/testmarketplace/suggestions/bridgeseller/";
    private static final String OUTLET_SUGGESTIONS = "/vtex-outlet-suggestions/testoutlet/suggestions/bridgeseller-outlet/";

    @Autowired
    @Qualifier("erpJdbc")
    NamedParameterJdbcTemplate erp;
    @Autowired
    ErpCatalog catalog;
    @Autowired
    OfferSyncStore syncStore;

    OpsClient ops;
    Path outletCategories;

    @BeforeEach
    void accounts() {
        ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        outletCategories = mappingsDir().resolve("connections/outlet/categories.yaml");
        remote.stubFor(post(urlMatching(DEFAULT_BINDING + ".*")).willReturn(aResponse().withStatus(200)));
        remote.stubFor(put(urlMatching(DEFAULT_SUGGESTIONS + ".*")).willReturn(aResponse().withStatus(200)));
        remote.stubFor(put(urlMatching(OUTLET_SUGGESTIONS + ".*")).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void baseMappingsAgain() throws IOException {
        if (Files.deleteIfExists(outletCategories)) {
            ops.post("/ops/api/mappings/reload");
        }
    }

    @Test
    void oneErpCatalogChangeIsCheckedOnEachAccountAndEachAnswerIsThatConnectionsStatus() {
        String sku = "P0061-1";
        // default's marketplace has the SKU bound; outlet's does not know it yet
        remote.stubFor(post(urlEqualTo(OUTLET_BINDING + sku)).willReturn(aResponse().withStatus(404)
                .withBody("Seller StockKeepingUnit not found")));
        erp.update("INSERT INTO erp_change (entity, sku_id, changed_at) VALUES ('catalog', :sku, :at)",
                Map.of("sku", sku, "at", OffsetDateTime.now(ZoneOffset.UTC)));

        await().atMost(Duration.ofSeconds(15)).until(() -> remote.findAll(putRequestedFor(urlEqualTo(OUTLET_SUGGESTIONS + sku))).size() == 1
                && "bound".equals(catalogStatus(sku, "default")));

        List<LoggedRequest> toDefault = remote.findAll(postRequestedFor(urlEqualTo(DEFAULT_BINDING + sku)));
        assertThat(toDefault).hasSize(1);
        assertThat(toDefault.get(0).getHeader("X-VTEX-API-AppKey")).isEqualTo("vtexappkey-testmarketplace-ABCDEF");
        assertThat(toDefault.get(0).getHeader("X-VTEX-API-AppToken")).isEqualTo(VTEX_APP_TOKEN);
        LoggedRequest toOutlet = remote.findAll(postRequestedFor(urlEqualTo(OUTLET_BINDING + sku))).get(0);
        assertThat(toOutlet.getHeader("X-VTEX-API-AppKey")).isEqualTo("vtexappkey-testoutlet-GHIJKL");
        assertThat(toOutlet.getHeader("X-VTEX-API-AppToken")).isEqualTo("TEST-OUTLET-VTEX-APP-TOKEN-never-stored");
        LoggedRequest suggestion = remote.findAll(putRequestedFor(urlEqualTo(OUTLET_SUGGESTIONS + sku))).get(0);
        assertThat(suggestion.getHeader("X-VTEX-API-AppKey")).isEqualTo("vtexappkey-testoutlet-GHIJKL");
        assertThat(suggestion.getHeader("X-VTEX-API-AppToken")).isEqualTo("TEST-OUTLET-VTEX-APP-TOKEN-never-stored");
        JsonNode body = json(suggestion.getBodyAsString());
        assertThat(body.path("SellerId").asText()).as("outlet's seller id").isEqualTo("bridgeseller-outlet");
        assertThat(body.path("Pricing").path("SalePrice").asLong()).as("outlet's price rules: 10 % off the ERP price")
                .isEqualTo(BigDecimal.valueOf(erpPriceCents(sku)).multiply(new BigDecimal("0.9")).setScale(0, RoundingMode.HALF_UP).longValue());
        assertThat(remote.findAll(putRequestedFor(urlEqualTo(DEFAULT_SUGGESTIONS + sku)))).as("bound on default: no suggestion").isEmpty();

        // the offer view: default's status on top (as before connections), every connection's under "catalog"
        JsonNode offer = ops.get("/ops/api/offers/" + sku).json();
        assertThat(offer.path("status").asText()).isEqualTo("bound");
        assertThat(offer.path("catalog").path("default").path("status").asText()).isEqualTo("bound");
        assertThat(offer.path("catalog").path("outlet").path("status").asText()).isEqualTo("suggested");
        assertThat(offer.path("catalog").has("retired")).as("a disabled connection is sent nothing").isFalse();
        JsonNode onOutlet = ops.get("/ops/api/offers/" + sku + "?connection=outlet").json();
        assertThat(onOutlet.path("status").asText()).isEqualTo("suggested");
        assertThat(onOutlet.path("reason").asText()).contains("approve");

        // the list per connection: status filter, items and counts are that connection's
        JsonNode outletList = ops.get("/ops/api/offers?connection=outlet&status=suggested&sku=" + sku).json();
        assertThat(outletList.path("total").asLong()).isEqualTo(1);
        assertThat(outletList.path("items").get(0).path("status").asText()).isEqualTo("suggested");
        assertThat(outletList.path("counts").path("suggested").asInt()).isPositive();
        assertThat(ops.get("/ops/api/offers?status=suggested&sku=" + sku).json().path("total").asLong()).isZero();
        assertThat(ops.get("/ops/api/offers?status=bound&sku=" + sku).json().path("total").asLong()).isEqualTo(1);
        OpsClient.Answer unknown = ops.get("/ops/api/offers?connection=nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("message").asText()).contains("nope");
        assertThat(ops.get("/ops/api/offers/" + sku + "?connection=nope").status()).isEqualTo(404);
        Map<String, JsonNode> listed = connectionsById();
        assertThat(listed.get("outlet").path("offersByStatus").path("suggested").asInt())
                .isEqualTo(ops.get("/ops/api/offers?connection=outlet").json().path("counts").path("suggested").asInt());
        assertThat(listed.get("default").path("offersByStatus").path("bound").asInt()).isPositive();

        // only outlet's suggestion is rechecked, on outlet's account; once approved there, the SKU is bound there too
        await().atMost(Duration.ofSeconds(10)).until(() -> remote.findAll(postRequestedFor(urlEqualTo(OUTLET_BINDING + sku))).size() >= 2);
        assertThat(remote.findAll(putRequestedFor(urlEqualTo(OUTLET_SUGGESTIONS + sku)))).as("a recheck suggests nothing again").hasSize(1);
        remote.stubFor(post(urlEqualTo(OUTLET_BINDING + sku)).willReturn(aResponse().withStatus(200)));
        await().atMost(Duration.ofSeconds(10)).until(() -> "bound".equals(catalogStatus(sku, "outlet")));
        assertThat(remote.findAll(postRequestedFor(urlEqualTo(DEFAULT_BINDING + sku)))).as("default was not rechecked").hasSize(1);
    }

    @Test
    void anOverlayWithoutTheSkusCategoryBlocksItOnThatConnectionAloneUntilTheOverlayIsFixed() throws IOException {
        String sku = "P0062-1";
        String category = catalog.find(sku, "default").orElseThrow().offer().categoryId();
        // outlet's own categories: the base file less the SKU's category
        String base = Files.readString(mappingsDir().resolve("categories.yaml"));
        Files.writeString(outletCategories, base.lines().filter(line -> !line.trim().startsWith(category + ":"))
                .collect(Collectors.joining("\n", "", "\n")));
        assertThat(ops.post("/ops/api/mappings/reload").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> ops.get("/ops/api/mappings").body().contains("connections/outlet/categories.yaml"));

        OpsClient erpClient = new OpsClient(engineUrl(""), "test-erp-token");
        assertThat(erpClient.post("/erp/events/catalog", "{\"sku\":\"" + sku + "\"}").status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(15)).until(() -> "error".equals(catalogStatus(sku, "outlet"))
                && "bound".equals(catalogStatus(sku, "default")));
        JsonNode onOutlet = ops.get("/ops/api/offers/" + sku + "?connection=outlet").json();
        assertThat(onOutlet.path("blockedBy").asText()).isEqualTo("category:" + category);
        assertThat(onOutlet.path("reason").asText()).contains(category);
        assertThat(ops.get("/ops/api/offers/" + sku).json().path("blockedBy").isNull()).isTrue();
        assertThat(remote.findAll(postRequestedFor(urlEqualTo(OUTLET_BINDING + sku)))).as("blocked: outlet is not asked").isEmpty();
        assertThat(blockedSkus("?connection=outlet&size=500")).contains(sku);
        assertThat(blockedSkus("?size=500")).doesNotContain(sku);

        // a SKU blocked on default only: a change of outlet's overlay does not retry it
        String ghost = "GHOST-" + System.nanoTime();
        syncStore.status(Connection.DEFAULT, ghost, OfferSyncStore.CatalogStatus.ERROR, "no category", "category:C77");

        Files.delete(outletCategories);
        assertThat(ops.post("/ops/api/mappings/reload").json().path("changed").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(15)).until(() -> "bound".equals(catalogStatus(sku, "outlet")));
        assertThat(remote.findAll(postRequestedFor(urlEqualTo(OUTLET_BINDING + sku)))).hasSize(1);
        assertThat(remote.findAll(postRequestedFor(urlEqualTo(DEFAULT_BINDING + sku)))).as("default is not tried again").hasSize(1);
        assertThat(syncStore.catalog(Connection.DEFAULT, ghost).blockedBy()).isEqualTo("category:C77");
    }

    @Test
    void theWebhookAnswersOnceTheChangesAreOnTheChannelWithoutWaitingForTheFlows() {
        String sku = "P0063-1";
        // default's marketplace takes its time over the binding check
        remote.stubFor(post(urlEqualTo(DEFAULT_BINDING + sku)).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        OpsClient erpClient = new OpsClient(engineUrl(""), "test-erp-token");

        assertThat(erpClient.post("/erp/events/catalog", "{\"sku\":\"" + sku + "\"}").status()).isEqualTo(202);
        assertThat(catalogStatus(sku, "default")).as("answered before the catalog flow heard from the marketplace")
                .isNotEqualTo("bound");

        await().atMost(Duration.ofSeconds(15)).until(() -> "bound".equals(catalogStatus(sku, "default")));
    }

    private String catalogStatus(String sku, String connection) {
        OpsClient.Answer answer = ops.get("/ops/api/offers/" + sku + "?connection=" + connection);
        return answer.status() == 200 ? answer.json().path("status").asText() : null;
    }

    private List<String> blockedSkus(String query) {
        return ops.get("/ops/api/mappings/completeness" + query).json().path("blockedSkus").findValuesAsText("sku");
    }

    private Map<String, JsonNode> connectionsById() {
        JsonNode items = ops.get("/ops/api/connections").json().path("items");
        Map<String, JsonNode> byId = new java.util.TreeMap<>();
        items.forEach(item -> byId.put(item.path("id").asText(), item));
        return byId;
    }

    private long erpPriceCents(String sku) {
        return erp.queryForObject("SELECT price FROM erp_price WHERE sku_id = :sku AND price_list = 'default'",
                Map.of("sku", sku), BigDecimal.class).movePointRight(2).longValueExact();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
