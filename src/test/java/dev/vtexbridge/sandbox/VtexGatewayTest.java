package dev.vtexbridge.sandbox;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.errors.SecretRedactor;
import dev.vtexbridge.testkit.EngineTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's gateway: VTEX's credential rules (the test profile configures an app key and token) and the call
 * log at /sandbox/api/calls. Each test calls paths with its own SKU id and reads back only those.
 */
class VtexGatewayTest extends EngineTest {

    SandboxClient sandbox;
    String sku;
    String notification;

    @BeforeEach
    void setUp() {
        sandbox = new SandboxClient(engineUrl(""));
        sku = "SKU-" + UUID.randomUUID();
        notification = "/sandbox/vtex/api/notificator/bridgeseller/changenotification/" + sku + "/price";
    }

    @Test
    void aCallWithoutCredentialsIsUnauthorized() {
        SandboxClient.Answer answer = sandbox.send("POST", notification, null, Map.of());

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(sandbox.calls(sku).get(0).path("status").asInt()).isEqualTo(401);
    }

    @Test
    void aCallWithAnotherTokenIsForbidden() {
        Map<String, String> wrong = Map.of("X-VTEX-API-AppKey", SandboxClient.APP_KEY, "X-VTEX-API-AppToken", "guessed");

        SandboxClient.Answer answer = sandbox.send("POST", notification, null, wrong);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json().path("error").asText()).isEqualTo("forbidden");
    }

    @Test
    void aUserTokenIsAccepted() {
        SandboxClient.Answer answer = sandbox.send("POST", notification, null, Map.of("VtexIdclientAutCookie", "eyJhbGciOi.jwt"));

        assertThat(answer.status()).isEqualTo(202);
    }

    @Test
    void everyCallIsRecordedWithItsCredentialsRedacted() {
        String orderId = sku + "-01";
        String reason = "{\"reason\": \"pasted by mistake: " + VTEX_APP_TOKEN + "\"}";
        sandbox.vtex("POST", "/api/oms/pvt/orders/" + orderId + "/cancel?an=testmarketplace", reason);

        JsonNode call = sandbox.calls(orderId).get(0);
        assertThat(call.path("method").asText()).isEqualTo("POST");
        assertThat(call.path("path").asText()).isEqualTo("/sandbox/vtex/api/oms/pvt/orders/" + orderId + "/cancel");
        assertThat(call.path("query").asText()).isEqualTo("an=testmarketplace");
        assertThat(call.path("status").asInt()).isEqualTo(200);
        assertThat(call.path("response").asText()).contains("receipt");
        assertThat(call.path("at").asText()).isNotBlank();
        assertThat(call.path("headers").path("x-vtex-api-apptoken").asText()).isEqualTo(SecretRedactor.REDACTED);
        assertThat(call.path("headers").path("content-type").asText()).isEqualTo("application/json");
        assertThat(call.path("body").asText()).isEqualTo("{\"reason\": \"pasted by mistake: " + SecretRedactor.REDACTED + "\"}");

        String everything = sandbox.send("GET", "/sandbox/api/calls", null, Map.of()).body();
        assertThat(everything).contains(orderId).doesNotContain(VTEX_APP_TOKEN);
    }

    @Test
    void callsAreListedNewestFirstAndFilteredByMethod() {
        sandbox.vtex("POST", "/api/notificator/bridgeseller/changenotification/" + sku + "/price", null);
        sandbox.vtex("POST", "/api/notificator/bridgeseller/changenotification/" + sku + "/inventory", null);
        sandbox.vtex("GET", "/testmarketplace/suggestions/bridgeseller/" + sku, null);

        JsonNode calls = sandbox.calls(sku);
        assertThat(calls.findValuesAsText("method")).containsExactly("GET", "POST", "POST");
        assertThat(calls.get(1).path("path").asText()).endsWith("/inventory");
        assertThat(calls.get(0).path("id").asLong()).isGreaterThan(calls.get(1).path("id").asLong());

        JsonNode posts = sandbox.send("GET", "/sandbox/api/calls?method=post&path=" + sku, null, Map.of()).json();
        assertThat(posts.findValuesAsText("status")).containsExactly("202", "202");
    }

    @Test
    void theCallLogCanBeCleared() {
        sandbox.vtex("POST", "/api/notificator/bridgeseller/changenotification/" + sku + "/price", null);

        assertThat(sandbox.send("DELETE", "/sandbox/api/calls", null, Map.of()).status()).isEqualTo(204);

        assertThat(sandbox.calls(sku)).isEmpty();
    }
}
