package dev.vtexbridge.sync;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectionOpsTest extends EngineTest {

    @Autowired
    OfferProjection projection;
    @Autowired
    ConnectionOffers connectionOffers;

    private final String prefix = "OPS-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    private OpsClient ops() {
        return new OpsClient(engineUrl(""), OPS_TOKEN);
    }

    private static String offer(String sku, String price, String stock) {
        return """
                {"skuId": "%s", "price": %s, "listPrice": 5990, "priceValidUntil": "2030-01-01T00:00:00Z", "active": true,
                 "measurementUnit": "un", "unitMultiplier": 1, "weightGrams": 350, "heightCm": 10, "widthCm": 20.5,
                 "lengthCm": 30, "stockByWarehouse": %s}""".formatted(sku, price, stock);
    }

    @Test
    void putThenGetShowsTheOfferWithItsStockFigures() {
        String sku = prefix + "1";
        OpsClient.Answer put = ops().put("/ops/api/projection/" + sku, offer(sku, "4990", "{\"WH-1\": 30, \"WH-2\": 7}"));
        assertThat(put.status()).isEqualTo(200);

        JsonNode got = ops().get("/ops/api/projection/" + sku).json();
        assertThat(got.get("skuId").asText()).isEqualTo(sku);
        assertThat(got.get("price").asLong()).isEqualTo(4990);
        assertThat(got.get("listPrice").asLong()).isEqualTo(5990);
        assertThat(got.get("weightGrams").asInt()).isEqualTo(350);
        assertThat(got.get("widthCm").decimalValue()).isEqualByComparingTo("20.5");
        assertThat(got.get("stockByWarehouse").get("WH-2").asInt()).isEqualTo(7);
        assertThat(got.get("stock").asInt()).isEqualTo(37);
        assertThat(got.get("available").asInt()).isEqualTo(37);
        assertThat(got.get("sellable").asBoolean()).isTrue();
        assertThat(projection.find(sku)).get().extracting(OfferState::price).isEqualTo(4990L);
    }

    @Test
    void anUpdateKeepsTheUnitsOpenOrdersHold() {
        String sku = prefix + "held";
        assertThat(ops().put("/ops/api/projection/" + sku, offer(sku, "1000", "{\"WH-1\": 10}")).status()).isEqualTo(200);
        assertThat(projection.hold(connectionOffers.allocation(Connection.DEFAULT), Map.of(sku, 4))).isEmpty();

        JsonNode got = ops().put("/ops/api/projection/" + sku, offer(sku, "1200", "{\"WH-1\": 6}")).json();
        assertThat(got.get("held").asInt()).isEqualTo(4);
        assertThat(got.get("available").asInt()).isEqualTo(2);
        assertThat(ops().post("/ops/api/projection", "[" + offer(sku, "1300", "{\"WH-1\": 5}") + "]").status()).isEqualTo(200);
        assertThat(projection.find(sku).orElseThrow().available()).isEqualTo(1);
    }

    @Test
    void unknownSkuIsA404WithJson() {
        OpsClient.Answer missing = ops().get("/ops/api/projection/" + prefix + "nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("not_found");
        assertThat(missing.json().get("message").asText()).contains(prefix + "nope");
    }

    @Test
    void badOffersAreRefusedWithTheFieldNamed() {
        String sku = prefix + "bad";
        String path = "/ops/api/projection/" + sku;
        assertBad(ops().put(path, offer(sku, "-1", "{}")), "price", "negative");
        assertBad(ops().put(path, offer(sku, "49.90", "{}")), "price", "integer cents");
        assertBad(ops().put(path, offer(sku, "\"4990\"", "{}")), "price", "integer cents");
        assertBad(ops().put(path, offer(sku, "4990", "{\"WH-1\": -3}")), "stockByWarehouse.WH-1", "0 or more");
        assertBad(ops().put(path, offer(sku, "4990", "{\"WH-1\": 1.5}")), "stockByWarehouse.WH-1", "wrong type");
        assertBad(ops().put(path, offer("other", "4990", "{}")), "", "differs from the path");
        assertBad(ops().put(path, "{\"price\": 100}"), "active", "required");
        assertBad(ops().put(path, "{\"active\": true, \"prize\": 100}"), "prize", "is unknown");
        assertBad(ops().put(path, "{\"active\": true, \"heightCm\": 1.234}"), "heightCm", "2 decimals");
        assertBad(ops().put(path, "{\"active\": tru"), "", "malformed JSON");
        assertBad(ops().put(path, ""), "", "empty");
        assertThat(ops().get(path).status()).as("nothing was stored").isEqualTo(404);
    }

    @Test
    void batchUpsertsAllOrNothing() {
        String batch = IntStream.range(0, 3).mapToObj(i -> offer(prefix + "b" + i, String.valueOf(100 + i), "{\"WH-1\": 5}"))
                .collect(Collectors.joining(",", "[", "]"));
        OpsClient.Answer ok = ops().post("/ops/api/projection", batch);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("upserted").asInt()).isEqualTo(3);
        assertThat(ops().get("/ops/api/projection/" + prefix + "b2").json().get("price").asLong()).isEqualTo(102);

        String broken = "[" + offer(prefix + "c0", "100", "{}") + "," + offer(prefix + "c1", "-5", "{}") + "]";
        assertBad(ops().post("/ops/api/projection", broken), "[1].price", "negative");
        assertThat(ops().get("/ops/api/projection/" + prefix + "c0").status()).isEqualTo(404);

        assertBad(ops().post("/ops/api/projection", offer(prefix + "c2", "100", "{}")), "", "JSON array");
        String tooMany = IntStream.rangeClosed(0, ProjectionOpsController.MAX_BATCH)
                .mapToObj(i -> "{\"skuId\":\"x" + i + "\",\"active\":true}").collect(Collectors.joining(",", "[", "]"));
        assertBad(ops().post("/ops/api/projection", tooMany), "", "at most 10000");
        assertThat(ops().post("/ops/api/projection", "[]").json().get("upserted").asInt()).isZero();
    }

    @Test
    void everyProjectionCallNeedsTheOpsToken() {
        OpsClient anonymous = new OpsClient(engineUrl(""), null);
        assertThat(anonymous.get("/ops/api/projection/" + prefix + "1").status()).isEqualTo(401);
        assertThat(anonymous.put("/ops/api/projection/" + prefix + "1", offer(prefix + "1", "1", "{}")).status()).isEqualTo(401);
        assertThat(anonymous.post("/ops/api/projection", "[]").status()).isEqualTo(401);
    }

    private static void assertBad(OpsClient.Answer answer, String field, String problem) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("bad_offer");
        String message = answer.json().get("message").asText();
        if (!field.isEmpty()) {
            assertThat(message).contains("'" + field + "'");
        }
        assertThat(message).contains(problem);
    }
}
