package dev.vtexbridge.ops;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
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

class OpsAuditTest extends EngineTest {

    @Autowired
    ProducerTemplate producer;

    @Test
    void replaysDiscardsAndReloadsAreAuditedUnderTheTokenName() {
        OpsClient ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        OpsClient alice = new OpsClient(engineUrl(""), "test-alice-token");
        String batch = "a-" + UUID.randomUUID().toString().substring(0, 8);
        remote.stubFor(post(urlPathMatching("/deliver/" + batch + "-.*")).willReturn(aResponse().withStatus(422).withBody("rejected")));
        for (int i = 0; i < 2; i++) {
            producer.sendBodyAndHeader("jms:queue:test.remote-delivery", "{}", "messageId", batch + "-" + i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ops.get("/ops/api/failed?error=" + batch).json().get("total").asLong() == 2);
        JsonNode items = ops.get("/ops/api/failed?error=" + batch).json().get("items");
        long first = items.get(0).get("id").asLong();
        long second = items.get(1).get("id").asLong();

        assertThat(alice.post("/ops/api/failed/" + first + "/discard", "{\"reason\":\"duplicate\"}").status()).isEqualTo(200);
        assertThat(ops.post("/ops/api/failed/" + second + "/replay").status()).isEqualTo(200);
        assertThat(ops.post("/ops/api/mappings/reload").status()).isEqualTo(200);

        JsonNode discard = alice.get("/ops/api/audit?target=failed-message%20" + first).json().get("items").get(0);
        assertThat(discard.get("actor").asText()).isEqualTo("alice");
        assertThat(discard.get("action").asText()).isEqualTo("DISCARD");
        assertThat(discard.get("result").asText()).isEqualTo("DONE");
        assertThat(discard.get("detail").asText()).isEqualTo("duplicate");
        assertThat(discard.get("happenedAt").asText()).isNotBlank();

        JsonNode replay = ops.get("/ops/api/audit?target=failed-message%20" + second).json().get("items").get(0);
        assertThat(replay.get("actor").asText()).isEqualTo("ops");
        assertThat(replay.get("action").asText()).isEqualTo("REPLAY");
        assertThat(replay.get("result").asText()).isEqualTo("DONE");
        assertThat(ops.get("/ops/api/failed/" + second).json().get("history").get(1).get("actor").asText()).isEqualTo("ops");

        JsonNode reloads = ops.get("/ops/api/audit?action=MAPPING_RELOAD&actor=ops").json();
        assertThat(reloads.get("total").asLong()).isPositive();
        assertThat(ops.get("/ops/api/audit?actor=alice&action=DISCARD").json().get("total").asLong()).isPositive();
        assertThat(ops.get("/ops/api/audit?size=0").status()).isEqualTo(400);

        // Sorted by the server: the two entries of this test by actor, either way; newest first by default.
        String both = "&target=failed-message%20&since=" + discard.get("happenedAt").asText().replace("+", "%2B");
        assertThat(ops.get("/ops/api/audit?sort=actor,asc" + both).json().get("items").findValuesAsText("actor")).isSorted();
        List<String> descending = ops.get("/ops/api/audit?sort=actor,desc" + both).json().get("items").findValuesAsText("actor");
        assertThat(descending).contains("alice", "ops").isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(ops.get("/ops/api/audit?" + both).json().get("items").findValuesAsText("id"))
                .containsExactlyElementsOf(ops.get("/ops/api/audit?sort=happenedAt,desc" + both).json().get("items").findValuesAsText("id"))
                .containsExactly(replay.get("id").asText(), discard.get("id").asText());
        OpsClient.Answer badSort = ops.get("/ops/api/audit?sort=detail");
        assertThat(badSort.status()).isEqualTo(400);
        assertThat(badSort.json().get("message").asText()).contains("happenedAt, actor, action, target, result");
        assertThat(new OpsClient(engineUrl(""), "wrong").get("/ops/api/audit").status()).isEqualTo(401);
    }
}
