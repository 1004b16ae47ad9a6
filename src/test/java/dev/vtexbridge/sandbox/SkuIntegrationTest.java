package dev.vtexbridge.sandbox;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.testkit.EngineTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox marketplace's SKU integration calls (B1-B3), over real HTTP. Each test uses its own SKU id. */
class SkuIntegrationTest extends EngineTest {

    private static final String SELLER = "bridgeseller";
    private static final ObjectMapper JSON = new ObjectMapper();

    SandboxClient sandbox;
    String sku;

    @BeforeEach
    void setUp() {
        sandbox = new SandboxClient(engineUrl(""));
        sku = "SKU-" + UUID.randomUUID();
    }

    @Test
    void priceAndInventoryNotificationsAreAccepted() {
        String base = "/api/notificator/" + SELLER + "/changenotification/" + sku;

        assertThat(sandbox.vtex("POST", base + "/price", null).status()).isEqualTo(202);
        assertThat(sandbox.vtex("POST", base + "/inventory", null).status()).isEqualTo(202);
        assertThat(sandbox.vtex("POST", base + "/stock", null).status()).isEqualTo(404);
    }

    @Test
    void changeNotificationIsNotFoundUntilTheSkuWasSuggested() {
        String current = "/api/sku-binding/pvt/skuseller/changenotification/" + SELLER + "/" + sku;
        String legacy = "/api/catalog_system/pvt/skuseller/changenotification/" + SELLER + "/" + sku;

        SandboxClient.Answer unknown = sandbox.vtex("POST", current, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("text/plain");
        assertThat(unknown.body()).isEqualTo("Seller StockKeepingUnit `" + sku + "` not found for this seller id `" + SELLER + "`");
        assertThat(sandbox.vtex("POST", legacy, null).status()).isEqualTo(404);

        assertThat(sandbox.vtex("PUT", suggestionPath(), suggestion().toString()).status()).isEqualTo(200);

        assertThat(sandbox.vtex("POST", current, null).status()).isEqualTo(200);
        assertThat(sandbox.vtex("POST", legacy, null).status()).isEqualTo(200);
    }

    @Test
    void aReceivedSuggestionCanBeReadBack() {
        sandbox.vtex("PUT", suggestionPath(), suggestion().toString());

        SandboxClient.Answer stored = sandbox.vtex("GET", suggestionPath(), null);
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.json().path("content").path("Pricing").path("SalePrice").asInt()).isEqualTo(4990);
        assertThat(stored.json().path("account").asText()).isEqualTo("testmarketplace");

        JsonNode listed = sandbox.send("GET", "/sandbox/api/suggestions", null, Map.of()).json();
        assertThat(listed.findValuesAsText("sellerSkuId")).contains(sku);
    }

    @Test
    void anUnknownSuggestionIsNotFound() {
        SandboxClient.Answer answer = sandbox.vtex("GET", suggestionPath(), null);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().path("error").asText()).isEqualTo("not_found");
    }

    @Test
    void anInvalidSuggestionIsRefusedNamingEveryOffendingField() {
        ObjectNode suggestion = suggestion();
        suggestion.put("ProductName", "x".repeat(151));
        suggestion.remove("RefId");
        suggestion.remove("EAN");
        ((ObjectNode) suggestion.get("Images").get(0)).put("imageUrl", "http://cdn.acme.example/p.jpg");
        ((ObjectNode) suggestion.get("Pricing")).put("SalePrice", 49.9);

        SandboxClient.Answer answer = sandbox.vtex("PUT", suggestionPath(), suggestion.toString());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().findValuesAsText("field"))
                .containsExactlyInAnyOrder("ProductName", "RefId/EAN", "Images[0].imageUrl", "Pricing.SalePrice");
        assertThat(answer.json().path("message").asText())
                .contains("without decimals", "https URL", "at least one of RefId, EAN", "at most 150 characters");
        String changeNotification = "/api/sku-binding/pvt/skuseller/changenotification/" + SELLER + "/" + sku;
        assertThat(sandbox.vtex("POST", changeNotification, null).status()).as("a refused suggestion binds nothing")
                .isEqualTo(404);
    }

    @Test
    void aSuggestionMissingItsRequiredFieldsNamesThemAll() {
        SandboxClient.Answer answer = sandbox.vtex("PUT", suggestionPath(), "{\"SellerId\":\"someoneelse\"}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().findValuesAsText("field")).containsExactlyInAnyOrder(
                "ProductName", "ProductId", "ProductDescription", "BrandName", "SkuName", "SellerId", "Height",
                "Width", "Length", "Weight", "RefId/EAN", "CategoryFullPath", "Images", "AvailableQuantity", "Pricing");
    }

    @Test
    void aBodyThatIsNotJsonIsRefused() {
        SandboxClient.Answer answer = sandbox.vtex("PUT", suggestionPath(), "{not json");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("invalid_json");
    }

    private String suggestionPath() {
        return "/testmarketplace/suggestions/" + SELLER + "/" + sku;
    }

    /** The suggestion of vtex-protocol.md §5.4, valid as it stands. */
    private ObjectNode suggestion() {
        ObjectNode body = JSON.createObjectNode()
                .put("ProductId", "P-123").put("ProductName", "Cotton T-shirt")
                .put("ProductDescription", "Plain cotton t-shirt").put("BrandName", "Acme")
                .put("SkuName", "Cotton T-shirt Blue M").put("SellerId", SELLER)
                .put("Height", 2).put("Width", 30).put("Length", 40).put("Weight", 200.5)
                .put("RefId", sku).put("EAN", "7891234567895").put("CategoryFullPath", "Apparel/T-shirts")
                .put("MeasurementUnit", "un").put("UnitMultiplier", 1).put("AvailableQuantity", 37);
        body.putArray("Images").addObject().put("imageName", "main").put("imageUrl", "https://cdn.acme.example/p123.jpg");
        body.putObject("Pricing").put("Currency", "BRL").put("SalePrice", 4990).put("CurrencySymbol", "R$");
        return body;
    }
}
