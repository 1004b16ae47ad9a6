package dev.vtexbridge.seller;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static dev.vtexbridge.seller.OrderEndpointsTest.offer;
import static dev.vtexbridge.seller.OrderEndpointsTest.order;
import static dev.vtexbridge.seller.SimulationTest.SIMULATION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real answers of the running engine against JSON Schemas written from VTEX's OpenAPI definition of the External
 * Seller endpoints (src/test/resources/vtex-schemas): the simulation in its checkout, storefront and unavailable
 * forms, the placement as object and as array, fulfil, and cancel.
 */
class SellerAnswersSchemaTest extends EngineTest {

    private static final String ORDERS = "/seller/pvt/orders";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Schema SIMULATION_ANSWER = schema("fulfillment-simulation-response.schema.json");
    private static final Schema PLACEMENT_ANSWER = schema("order-placement-response.schema.json");
    private static final Schema RECEIPT_ANSWER = schema("order-receipt-response.schema.json");

    @Autowired
    OfferProjection projection;
    @Autowired
    SellerCredentials credentials;

    SellerClient vtex;
    String sku;

    @BeforeEach
    void seed() {
        vtex = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
        sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
        projection.upsert(offer(sku, 10));
    }

    @Test
    void simulationAnswersMatchTheSchema() {
        JsonNode checkout = ok(vtex.post(SIMULATION, """
                {"items": [{"id": "%s", "quantity": 2, "seller": "1"}, {"id": "NO-SUCH-%s", "quantity": 1, "seller": "1"}],
                 "postalCode": "22270-030", "country": "BRA"}""".formatted(sku, sku)));
        assertThat(checkout.at("/logisticsInfo/0/slas").findValues("pickupStoreInfo"))
                .as("a pickup SLA is among them").anyMatch(JsonNode::isObject);
        assertValid(SIMULATION_ANSWER, checkout);

        JsonNode storefront = ok(vtex.post(SIMULATION, "{\"items\": [{\"id\": \"" + sku + "\", \"quantity\": 1, \"seller\": \"1\"}]}"));
        assertThat(storefront.get("postalCode").isNull()).isTrue();
        assertValid(SIMULATION_ANSWER, storefront);

        JsonNode unavailable = ok(vtex.post(SIMULATION, """
                {"items": [{"id": "NO-SUCH-%s", "quantity": 1, "seller": "1"}], "postalCode": "22270-030", "country": "BRA"}"""
                .formatted(sku)));
        assertThat(unavailable.get("logisticsInfo")).isEmpty();
        assertValid(SIMULATION_ANSWER, unavailable);
    }

    @Test
    void placementAnswersMatchTheSchema() {
        assertValid(PLACEMENT_ANSWER, ok(vtex.post(ORDERS, order(System.nanoTime() + "-01", sku, 1))));

        ArrayNode both = JSON.createArrayNode().add(order(System.nanoTime() + "-01", sku, 1))
                .add(order(System.nanoTime() + "-02", sku, 2));
        JsonNode answers = ok(vtex.post(ORDERS, both));
        assertThat(answers).hasSize(2);
        answers.forEach(answer -> assertValid(PLACEMENT_ANSWER, answer));
    }

    @Test
    void fulfilAndCancelAnswersMatchTheSchema() {
        String fulfilled = System.nanoTime() + "-01";
        String fulfilledId = ok(vtex.post(ORDERS, order(fulfilled, sku, 1))).get("orderId").asText();
        assertValid(RECEIPT_ANSWER, ok(vtex.post(ORDERS + "/" + fulfilledId + "/fulfill",
                "{\"marketplaceOrderId\":\"" + fulfilled + "\",\"marketplaceOrderGroup\":\"g\"}")));

        String cancelled = System.nanoTime() + "-02";
        String cancelledId = ok(vtex.post(ORDERS, order(cancelled, sku, 1))).get("orderId").asText();
        assertValid(RECEIPT_ANSWER, ok(vtex.post(ORDERS + "/" + cancelledId + "/cancel", "{\"marketplaceOrderId\":\""
                + cancelled + "\",\"cancellationRequestId\":\"c1\",\"reason\":\"Customer asked\",\"requestedByUser\":true}")));
    }

    @Test
    void theSchemasRefuseWhatVtexTypesOtherwise() {
        ObjectNode receipt = JSON.createObjectNode().put("date", "2024-03-04T15:45:03Z").put("orderId", "SO-1");
        receipt.putNull("receipt");
        assertThat(errors(RECEIPT_ANSWER, receipt)).as("receipt: null").isNotEmpty();

        ObjectNode simulation = JSON.createObjectNode().putNull("country").putNull("postalCode");
        simulation.putArray("logisticsInfo");
        simulation.putArray("items").addObject().put("id", "A").put("price", 49.9);
        assertThat(errors(SIMULATION_ANSWER, simulation)).as("a decimal price, required item fields missing")
                .extracting(Error::getKeyword).contains("type", "required");
    }

    private static JsonNode ok(SellerClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static void assertValid(Schema schema, JsonNode answer) {
        assertThat(errors(schema, answer)).as(answer.toPrettyString()).isEmpty();
    }

    private static List<Error> errors(Schema schema, JsonNode answer) {
        return schema.validate(answer);
    }

    private static Schema schema(String name) {
        try (InputStream in = SellerAnswersSchemaTest.class.getResourceAsStream("/vtex-schemas/" + name)) {
            return SCHEMAS.getSchema(JSON.readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read schema " + name, e);
        }
    }
}
