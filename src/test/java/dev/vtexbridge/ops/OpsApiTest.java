package dev.vtexbridge.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OpsApiTest extends EngineTest {

    @Autowired
    ProducerTemplate producer;

    @Test
    void everyOpsCallNeedsTheBearerToken() {
        for (OpsClient client : new OpsClient[] {new OpsClient(engineUrl(""), null), new OpsClient(engineUrl(""), "wrong-token")}) {
            OpsClient.Answer list = client.get("/ops/api/failed");
            assertThat(list.status()).isEqualTo(401);
            assertThat(list.json().get("error").asText()).isEqualTo("unauthorized");
            assertThat(client.post("/ops/api/failed/1/replay").status()).isEqualTo(401);
            assertThat(client.post("/ops/api/failed/replay?dryRun=true").status()).isEqualTo(401);
            assertThat(client.post("/ops/api/failed/1/discard").status()).isEqualTo(401);
        }
        assertThat(new OpsClient(engineUrl(""), OPS_TOKEN).get("/ops/api/failed").status()).isEqualTo(200);
    }

    @Test
    void theConsoleIsServedToAnyoneButItsDataStaysBehindTheToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> bare = http.send(HttpRequest.newBuilder(URI.create(engineUrl("/ops"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location").orElseThrow()).endsWith("/ops/");

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(engineUrl("/ops/"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"js/app.js\">");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");

        HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create(engineUrl("/ops/js/views/failed.js"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElseThrow()).contains("javascript");

        assertThat(new OpsClient(engineUrl(""), null).get("/ops/api/offers").status()).isEqualTo(401);
        assertThat(new OpsClient(engineUrl(""), null).get("/ops/api/dashboard").status()).isEqualTo(401);
    }

    @Test
    void listsFiltersPagesAndDiscards() {
        OpsClient ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        String batch = "b-" + UUID.randomUUID().toString().substring(0, 8);
        remote.stubFor(post(urlPathMatching("/deliver/" + batch + "-.*")).willReturn(aResponse().withStatus(422).withBody("rejected")));
        for (int i = 0; i < 3; i++) {
            // the last one belongs to connection outlet
            producer.sendBodyAndHeaders("jms:queue:test.remote-delivery", "{}", i < 2 ? Map.of("messageId", batch + "-" + i)
                    : Map.of("messageId", batch + "-" + i, "BridgeConnection", "outlet"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ops.get("/ops/api/failed?error=" + batch).json().get("total").asLong() == 3);
        JsonNode outlet = ops.get("/ops/api/failed?error=" + batch + "&connection=outlet").json();
        assertThat(outlet.get("total").asLong()).isEqualTo(1);
        assertThat(outlet.get("items").get(0).get("connection").asText()).isEqualTo("outlet");
        assertThat(ops.get("/ops/api/failed?error=" + batch + "&connection=default").json().get("total").asLong()).isEqualTo(2);

        JsonNode firstPage = ops.get("/ops/api/failed?error=" + batch + "&size=2&page=0").json();
        assertThat(firstPage.get("items")).hasSize(2);
        assertThat(firstPage.get("total").asLong()).isEqualTo(3);
        assertThat(ops.get("/ops/api/failed?error=" + batch + "&size=2&page=1").json().get("items")).hasSize(1);
        assertThat(ops.get("/ops/api/failed?error=" + batch + "&route=other-route").json().get("total").asLong()).isZero();
        assertThat(ops.get("/ops/api/failed?error=" + batch + "&since=2999-01-01T00:00:00Z").json().get("total").asLong()).isZero();
        assertThat(ops.get("/ops/api/failed?error=" + batch + "&until=2999-01-01T00:00:00Z").json().get("total").asLong()).isEqualTo(3);

        long id = firstPage.get("items").get(0).get("id").asLong();
        OpsClient.Answer discard = ops.post("/ops/api/failed/" + id + "/discard", "{\"reason\":\"test data\"}");
        assertThat(discard.status()).isEqualTo(200);
        JsonNode discarded = ops.get("/ops/api/failed/" + id).json();
        assertThat(discarded.get("status").asText()).isEqualTo("DISCARDED");
        assertThat(discarded.get("history").get(1).get("detail").asText()).isEqualTo("test data");
        assertThat(ops.get("/ops/api/failed?error=" + batch + "&status=FAILED").json().get("total").asLong()).isEqualTo(2);
        assertThat(ops.post("/ops/api/failed/" + id + "/replay").status()).as("discarded rows stay put").isEqualTo(409);

        JsonNode dryRun = ops.post("/ops/api/failed/replay?dryRun=true&error=" + batch).json();
        assertThat(dryRun.get("matched").asLong()).isEqualTo(2);
        assertThat(dryRun.get("dryRun").asBoolean()).isTrue();

        // Sorted by the server, on any page: by status (DISCARDED before FAILED), by id either way.
        JsonNode byStatus = ops.get("/ops/api/failed?error=" + batch + "&sort=status,asc").json().get("items");
        assertThat(byStatus.findValuesAsText("status")).containsExactly("DISCARDED", "FAILED", "FAILED");
        assertThat(ops.get("/ops/api/failed?error=" + batch + "&sort=status,desc&size=1&page=2").json().get("items")
                .get(0).get("id").asLong()).isEqualTo(id);
        List<Long> ascending = ids(ops.get("/ops/api/failed?error=" + batch + "&sort=id").json());
        assertThat(ascending).isSorted().hasSize(3);
        List<Long> descending = new ArrayList<>(ascending);
        Collections.reverse(descending);
        assertThat(ids(ops.get("/ops/api/failed?error=" + batch + "&sort=id,desc").json())).containsExactlyElementsOf(descending);
        assertThat(ids(ops.get("/ops/api/failed?error=" + batch).json())).as("newest failure first by default")
                .containsExactlyElementsOf(ids(ops.get("/ops/api/failed?error=" + batch + "&sort=lastFailedAt,desc").json()));
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asLong()));
        return ids;
    }

    @Test
    void badRequestsGetClearJsonErrors() {
        OpsClient ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        OpsClient.Answer missing = ops.get("/ops/api/failed/999999999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("message").asText()).contains("999999999");
        assertThat(ops.post("/ops/api/failed/999999999/replay").status()).isEqualTo(404);
        assertThat(ops.post("/ops/api/failed/999999999/discard").status()).isEqualTo(404);

        OpsClient.Answer badStatus = ops.get("/ops/api/failed?status=LOST");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.json().get("message").asText()).contains("status");
        assertThat(ops.get("/ops/api/failed?since=yesterday").status()).isEqualTo(400);
        assertThat(ops.get("/ops/api/failed?size=0").status()).isEqualTo(400);
        assertThat(ops.get("/ops/api/failed/abc").status()).isEqualTo(400);

        OpsClient.Answer badSort = ops.get("/ops/api/failed?sort=body");
        assertThat(badSort.status()).isEqualTo(400);
        assertThat(badSort.json().get("error").asText()).isEqualTo("bad_sort");
        assertThat(badSort.json().get("message").asText()).contains("'body'").contains("lastFailedAt").contains("attempts");
        assertThat(ops.get("/ops/api/failed?sort=id,sideways").json().get("message").asText()).contains("asc or desc");
        assertThat(ops.get("/ops/api/failed?sort=id,asc,again").status()).isEqualTo(400);
        assertThat(ops.get("/ops/api/replay-jobs?sort=filter").json().get("error").asText()).isEqualTo("bad_sort");
    }

    @Test
    void everyPagedListRefusesAPageOrSizeOutOfBoundsTheSameWay() {
        OpsClient ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        for (String list : List.of("/ops/api/failed", "/ops/api/replay-jobs", "/ops/api/audit", "/ops/api/orders",
                "/ops/api/offers", "/ops/api/mappings/completeness")) {
            for (String paging : List.of("page=-1", "size=0", "size=501")) {
                OpsClient.Answer refused = ops.get(list + "?" + paging);
                assertThat(refused.status()).as(list + "?" + paging).isEqualTo(400);
                assertThat(refused.json().get("error").asText()).isEqualTo("bad_paging");
                assertThat(refused.json().get("message").asText()).isEqualTo("page must be >= 0 and size between 1 and 500");
            }
            assertThat(ops.get(list + "?size=500").status()).as(list + "?size=500").isEqualTo(200);
        }
    }
}
