package dev.vtexbridge.seller;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.sync.ConnectionOffers;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferUpdate;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.fasterxml.jackson.databind.node.JsonNodeType.ARRAY;
import static com.fasterxml.jackson.databind.node.JsonNodeType.BOOLEAN;
import static com.fasterxml.jackson.databind.node.JsonNodeType.NULL;
import static com.fasterxml.jackson.databind.node.JsonNodeType.NUMBER;
import static com.fasterxml.jackson.databind.node.JsonNodeType.OBJECT;
import static com.fasterxml.jackson.databind.node.JsonNodeType.STRING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fulfillment simulation (A1) over real HTTP: what it answers for the spec's example requests, for stock and
 * price situations, and for the legacy GET variant. SLAs come from the shipped mappings/logistics.yaml.
 */
class SimulationTest extends EngineTest {

    static final String SIMULATION = "/seller/pvt/orderForms/simulation";

    /**
     * What responseFulfillmentSimulation marks required, per object, with the JSON types allowed (integers are
     * NUMBER and checked to be integral separately).
     */
    static final Map<String, Map<String, List<JsonNodeType>>> REQUIRED = Map.of(
            "response", Map.of("country", List.of(STRING, NULL), "postalCode", List.of(STRING, NULL),
                    "items", List.of(ARRAY), "logisticsInfo", List.of(ARRAY)),
            "item", Map.ofEntries(Map.entry("id", List.of(STRING)), Map.entry("requestIndex", List.of(NUMBER)),
                    Map.entry("quantity", List.of(NUMBER)), Map.entry("seller", List.of(STRING)),
                    Map.entry("price", List.of(NUMBER)), Map.entry("listPrice", List.of(NUMBER)),
                    Map.entry("priceValidUntil", List.of(STRING, NULL)), Map.entry("priceTags", List.of(ARRAY)),
                    Map.entry("measurementUnit", List.of(STRING)), Map.entry("unitMultiplier", List.of(NUMBER)),
                    Map.entry("merchantName", List.of(STRING, NULL)), Map.entry("offerings", List.of(ARRAY))),
            "logisticsInfo", Map.of("itemIndex", List.of(NUMBER), "quantity", List.of(NUMBER),
                    "shipsTo", List.of(ARRAY), "stockBalance", List.of(NUMBER),
                    "deliveryChannels", List.of(ARRAY), "slas", List.of(ARRAY)),
            "deliveryChannel", Map.of("id", List.of(STRING), "stockBalance", List.of(NUMBER)),
            "sla", Map.of("id", List.of(STRING), "name", List.of(STRING), "deliveryChannel", List.of(STRING),
                    "price", List.of(NUMBER), "shippingEstimate", List.of(STRING),
                    "availableDeliveryWindows", List.of(ARRAY), "pickupStoreInfo", List.of(OBJECT, NULL)),
            "pickupStoreInfo", Map.of("isPickupStore", List.of(BOOLEAN), "friendlyName", List.of(STRING),
                    "address", List.of(OBJECT), "additionalInfo", List.of(STRING)),
            "address", Map.ofEntries(Map.entry("addressType", List.of(STRING)),
                    Map.entry("receiverName", List.of(STRING, NULL)), Map.entry("addressId", List.of(STRING)),
                    Map.entry("postalCode", List.of(STRING)), Map.entry("city", List.of(STRING)),
                    Map.entry("state", List.of(STRING)), Map.entry("country", List.of(STRING)),
                    Map.entry("street", List.of(STRING)), Map.entry("number", List.of(STRING)),
                    Map.entry("neighborhood", List.of(STRING)), Map.entry("complement", List.of(STRING)),
                    Map.entry("reference", List.of(STRING, NULL)), Map.entry("geoCoordinates", List.of(ARRAY))));

    /** Fields that are integers on the protocol (cents, counts, indexes). */
    static final List<String> INTEGERS = List.of("requestIndex", "quantity", "price", "listPrice", "unitMultiplier",
            "itemIndex", "stockBalance");

    @Autowired
    OfferProjection offers;
    @Autowired
    ConnectionOffers connectionOffers;
    @Autowired
    SellerCredentials credentials;

    SellerClient seller;
    String sku;

    @BeforeEach
    void setUp() {
        seller = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
        sku = "SIM-" + UUID.randomUUID();
    }

    @Test
    void theCheckoutExampleIsAnsweredWithEveryRequiredFieldAndSlasForThePostalCode() {
        seed(sku, 4990L, 5990L, 37, 1200);

        SellerClient.Answer answer = seller.post(SIMULATION, """
                {"postalCode": "22270-030", "geoCoordinates": ["-22.9443504"], "country": "BRA",
                 "items": [{"id": "%s", "quantity": 2, "seller": "01"}], "sc": "1"}""".formatted(sku));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        JsonNode body = answer.json();
        assertProtocolShape(body);
        assertThat(body.path("country").asText()).isEqualTo("BRA");
        assertThat(body.path("postalCode").asText()).isEqualTo("22270-030");
        assertThat(body.path("allowMultipleDeliveries").asBoolean()).isTrue();

        JsonNode item = body.path("items").get(0);
        assertThat(item.path("id").asText()).isEqualTo(sku);
        assertThat(item.path("requestIndex").asInt()).isZero();
        assertThat(item.path("quantity").asInt()).isEqualTo(2);
        assertThat(item.path("seller").asText()).isEqualTo("01");
        assertThat(item.path("price").asLong()).isEqualTo(4990);
        assertThat(item.path("listPrice").asLong()).isEqualTo(5990);
        assertThat(item.path("measurementUnit").asText()).isEqualTo("un");
        assertThat(item.path("unitMultiplier").asInt()).isEqualTo(1);
        assertThat(item.path("merchantName").isNull()).as("the marketplace processes payment").isTrue();

        JsonNode logistics = body.path("logisticsInfo").get(0);
        assertThat(logistics.path("itemIndex").asInt()).isZero();
        assertThat(logistics.path("quantity").asInt()).isEqualTo(2);
        assertThat(logistics.path("shipsTo").toString()).isEqualTo("[\"BRA\"]");
        assertThat(logistics.path("stockBalance").asInt()).isEqualTo(37);
        assertThat(logistics.path("deliveryChannels").toString()).isEqualTo(
                "[{\"id\":\"delivery\",\"stockBalance\":37},{\"id\":\"pickup-in-point\",\"stockBalance\":37}]");
        assertThat(logistics.path("slas").findValuesAsText("id")).containsExactly("Express", "Standard", "pickup-botafogo");
        JsonNode standard = logistics.path("slas").get(1);
        assertThat(standard.path("deliveryChannel").asText()).isEqualTo("delivery");
        assertThat(standard.path("shippingEstimate").asText()).isEqualTo("5bd");
        assertThat(standard.path("price").asLong()).as("2 x 990 + 2.4 kg x 150 cents").isEqualTo(2340);
        assertThat(standard.path("pickupStoreInfo").isNull()).isTrue();
        JsonNode pickup = logistics.path("slas").get(2).path("pickupStoreInfo");
        assertThat(pickup.path("isPickupStore").asBoolean()).isTrue();
        assertThat(pickup.path("address").path("addressType").asText()).isEqualTo("pickup");
    }

    @Test
    void theIndexingExampleEchoesNullsAndGetsNoSlas() {
        seed(sku, 1000L, null, 5, null);

        JsonNode body = ok(seller.post(SIMULATION, """
                {"items": [{"id": "%s", "quantity": 1, "seller": "1"}], "isCheckedIn": false}""".formatted(sku)));

        assertProtocolShape(body);
        assertThat(body.path("country").isNull()).isTrue();
        assertThat(body.path("postalCode").isNull()).isTrue();
        assertThat(body.path("items").get(0).path("listPrice").asLong()).as("no list price: the price").isEqualTo(1000);
        JsonNode logistics = body.path("logisticsInfo").get(0);
        assertThat(logistics.path("stockBalance").asInt()).isEqualTo(5);
        assertThat(logistics.path("slas").isArray()).isTrue();
        assertThat(logistics.path("slas")).isEmpty();
    }

    @Test
    void itemsKeepTheRequestOrderAndQuantitiesAreCappedAtWhatIsAvailable() {
        String a = sku + "-A";
        String b = sku + "-B";
        seed(a, 1999L, 2999L, 3, 100);
        seed(b, 500L, 500L, 100, 100);
        offers.hold(connectionOffers.allocation(Connection.DEFAULT), Map.of(b, 40));

        JsonNode body = ok(seller.post(SIMULATION, """
                {"items": [{"id": "%s", "quantity": 10, "seller": "s1"}, {"id": "%s", "quantity": 7, "seller": "s1"},
                           {"id": "%s", "quantity": 1, "seller": "s1"}],
                 "postalCode": "01310-100", "country": "BRA"}""".formatted(b, a, b)));

        assertProtocolShape(body);
        assertThat(body.path("items").findValuesAsText("id")).containsExactly(b, a, b);
        assertThat(body.path("items").findValuesAsText("requestIndex")).containsExactly("0", "1", "2");
        assertThat(body.path("items").findValuesAsText("quantity")).containsExactly("10", "3", "1");
        assertThat(body.path("items").get(1).path("price").asLong()).isEqualTo(1999);
        assertThat(body.path("items").get(1).path("listPrice").asLong()).isEqualTo(2999);
        JsonNode logistics = body.path("logisticsInfo");
        assertThat(logistics.findValuesAsText("itemIndex")).containsExactly("0", "1", "2");
        assertThat(logistics.findValuesAsText("quantity")).containsExactly("10", "3", "1");
        assertThat(logistics.get(0).path("stockBalance").asInt()).as("100 in stock, 40 held").isEqualTo(60);
        assertThat(logistics.get(1).path("stockBalance").asInt()).isEqualTo(3);
        assertThat(logistics.get(1).path("slas").findValuesAsText("id")).containsExactly("Standard");
    }

    @Test
    void unknownInactiveUnpricedAndSoldOutSkusAreAnsweredAsUnavailableItems() {
        String inactive = sku + "-inactive";
        String unpriced = sku + "-unpriced";
        String soldOut = sku + "-soldout";
        String available = sku + "-ok";
        upsert(inactive, 1000L, 1000L, false, 10, null);
        upsert(unpriced, null, null, true, 10, null);
        seed(soldOut, 2500L, 3000L, 0, null);
        seed(available, 700L, 700L, 4, null);

        JsonNode body = ok(seller.post(SIMULATION, """
                {"items": [{"id": "%s-unknown", "quantity": 1, "seller": "1"}, {"id": "%s", "quantity": 1, "seller": "1"},
                           {"id": "%s", "quantity": 1, "seller": "1"}, {"id": "%s", "quantity": 2, "seller": "1"},
                           {"id": "%s", "quantity": 2, "seller": "1"}],
                 "postalCode": "22270-030", "country": "BRA"}""".formatted(sku, inactive, unpriced, soldOut, available)));

        assertProtocolShape(body);
        JsonNode items = body.path("items");
        assertThat(items.findValuesAsText("requestIndex")).containsExactly("0", "1", "2", "3", "4");
        assertThat(items.findValuesAsText("quantity")).containsExactly("0", "0", "0", "0", "2");
        assertThat(items.findValuesAsText("price")).containsExactly("0", "0", "0", "2500", "700");
        assertThat(items.get(0).path("id").asText()).isEqualTo(sku + "-unknown");
        assertThat(items.get(0).path("seller").asText()).isEqualTo("1");
        assertThat(body.path("logisticsInfo")).singleElement()
                .satisfies(info -> assertThat(info.path("itemIndex").asInt()).isEqualTo(4));
    }

    @Test
    void whenNothingIsAvailableLogisticsInfoIsEmpty() {
        JsonNode body = ok(seller.post(SIMULATION, """
                {"items": [{"id": "%s", "quantity": 1, "seller": "1"}], "postalCode": "22270-030", "country": "BRA"}"""
                .formatted(sku)));

        assertProtocolShape(body);
        assertThat(body.path("items")).hasSize(1);
        assertThat(body.path("logisticsInfo").isArray()).isTrue();
        assertThat(body.path("logisticsInfo")).isEmpty();
    }

    @Test
    void aDestinationNothingShipsToGetsNoSlas() {
        seed(sku, 1000L, 1000L, 5, null);

        JsonNode body = ok(seller.post(SIMULATION, """
                {"items": [{"id": "%s", "quantity": 1, "seller": "1"}], "postalCode": "C1002", "country": "ARG"}"""
                .formatted(sku)));

        assertThat(body.path("logisticsInfo").get(0).path("slas")).isEmpty();
        assertThat(body.path("logisticsInfo").get(0).path("quantity").asInt()).isEqualTo(1);
    }

    @Test
    void priceValidityIsAnIsoTimestamp() {
        upsert(sku, 1000L, 1200L, true, 5, OffsetDateTime.of(2030, 3, 1, 22, 58, 28, 143_000_000, ZoneOffset.UTC));

        JsonNode item = ok(seller.post(SIMULATION, """
                {"items": [{"id": "%s", "quantity": 1, "seller": "1"}]}""".formatted(sku))).path("items").get(0);

        assertThat(item.path("priceValidUntil").asText()).isEqualTo("2030-03-01T22:58:28.143Z");
    }

    @Test
    void fieldNamesAreReadCaseInsensitively() {
        seed(sku, 1000L, 1000L, 5, null);

        JsonNode body = ok(seller.post(SIMULATION, """
                {"Items": [{"Id": "%s", "Quantity": 2, "Seller": "1"}], "PostalCode": "22270-030", "Country": "BRA",
                 "ClientProfileData": {"Email": "x@example.com"}, "SelectedSla": "Standard"}""".formatted(sku)));

        assertThat(body.path("postalCode").asText()).isEqualTo("22270-030");
        assertThat(body.path("items").get(0).path("quantity").asInt()).isEqualTo(2);
        assertThat(body.path("logisticsInfo").get(0).path("slas")).hasSize(3);
    }

    @Test
    void theLegacyGetVariantReadsTheRequestFromPurchaseContextAndIgnoresOtherParameters() {
        seed(sku, 1000L, 1000L, 5, null);
        String context = """
                {"items": [{"id": "%s", "quantity": 9, "seller": "1"}], "postalCode": "22270-030", "country": "BRA"}"""
                .formatted(sku);

        SellerClient.Answer answer = seller.get(SIMULATION + "?sc=1&an=mymarketplace&affiliateId=ABC&purchaseContext="
                + URLEncoder.encode(context, StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(200);
        assertProtocolShape(answer.json());
        assertThat(answer.json().path("items").get(0).path("quantity").asInt()).isEqualTo(5);
        assertThat(answer.json().path("logisticsInfo").get(0).path("slas")).hasSize(3);
    }

    @Test
    void unknownQueryParametersAreIgnoredOnPostToo() {
        seed(sku, 1000L, 1000L, 5, null);

        JsonNode body = ok(seller.post(SIMULATION + "?sc=1&an=mymarketplace", """
                {"items": [{"id": "%s", "quantity": 1, "seller": "1"}]}""".formatted(sku)));

        assertThat(body.path("items").get(0).path("quantity").asInt()).isEqualTo(1);
    }

    @Test
    void theMarketplaceCredentialsAreNotEchoedInTheResponse() {
        SellerClient.Answer answer = seller.post(SIMULATION, """
                {"items": [{"id": "%s", "quantity": 1, "seller": "1"}]}""".formatted(sku));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-VTEX-API-AppToken")).isNull();
        assertThat(answer.header("X-VTEX-API-AppKey")).isNull();
    }

    private void seed(String skuId, Long price, Long listPrice, int stock, Integer weightGrams) {
        offers.upsert(new OfferUpdate(skuId, price, listPrice, null, true, "un", 1, weightGrams, null, null, null,
                Map.of("main", stock)));
    }

    private void upsert(String skuId, Long price, Long listPrice, boolean active, int stock, OffsetDateTime validUntil) {
        offers.upsert(new OfferUpdate(skuId, price, listPrice, validUntil, active, null, null, null, null, null, null,
                Map.of("main", stock)));
    }

    private static JsonNode ok(SellerClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    /** Every object of the answer has every field the protocol requires of it, with an allowed JSON type. */
    static void assertProtocolShape(JsonNode body) {
        assertFields("response", body);
        body.path("items").forEach(item -> assertFields("item", item));
        for (JsonNode info : body.path("logisticsInfo")) {
            assertFields("logisticsInfo", info);
            info.path("shipsTo").forEach(country -> assertThat(country.isTextual()).isTrue());
            info.path("deliveryChannels").forEach(channel -> assertFields("deliveryChannel", channel));
            for (JsonNode sla : info.path("slas")) {
                assertFields("sla", sla);
                if (!sla.path("pickupStoreInfo").isNull()) {
                    assertFields("pickupStoreInfo", sla.path("pickupStoreInfo"));
                    assertFields("address", sla.path("pickupStoreInfo").path("address"));
                    sla.path("pickupStoreInfo").path("address").path("geoCoordinates")
                            .forEach(coordinate -> assertThat(coordinate.isNumber()).isTrue());
                }
            }
        }
    }

    private static void assertFields(String kind, JsonNode node) {
        assertThat(node.isObject()).as(kind + " is an object: " + node).isTrue();
        REQUIRED.get(kind).forEach((field, types) -> {
            assertThat(node.has(field)).as(kind + "." + field + " present in " + node).isTrue();
            assertThat(types).as(kind + "." + field + " type").contains(node.get(field).getNodeType());
            if (INTEGERS.contains(field) && node.get(field).isNumber()) {
                assertThat(node.get(field).isIntegralNumber()).as(kind + "." + field + " is an integer").isTrue();
            }
        });
    }
}
