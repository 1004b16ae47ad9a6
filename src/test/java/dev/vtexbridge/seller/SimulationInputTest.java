package dev.vtexbridge.seller;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static dev.vtexbridge.seller.SimulationTest.SIMULATION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the fulfillment simulation refuses, and how: 400 in VTEX's error shape naming the field for bad input, 413
 * for a body over the limit, 401 without the marketplace's credentials. Never a 500.
 */
class SimulationInputTest extends EngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    SellerCredentials credentials;
    @Autowired
    SellerProperties properties;

    SellerClient seller;
    String item;

    @BeforeEach
    void setUp() {
        seller = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
        item = "{\"id\": \"" + UUID.randomUUID() + "\", \"quantity\": 1, \"seller\": \"1\"}";
    }

    @Test
    void malformedJsonIsRefused() {
        assertBadRequest(seller.post(SIMULATION, "not json"), "Malformed JSON");
        assertBadRequest(seller.post(SIMULATION, "{\"items\": [" + item + "]"), "Malformed JSON");
        // Syntax errors met while a field is bound are still reported as syntax errors.
        assertBadRequest(seller.post(SIMULATION, "{\"items\": [" + item + ",]}"), "Malformed JSON");
        assertBadRequest(seller.post(SIMULATION, "{\"items\": [" + item), "Malformed JSON");
        assertBadRequest(seller.post(SIMULATION, ""), "Request body is empty");
    }

    @Test
    void wrongTypesNameTheField() {
        assertBadRequest(seller.post(SIMULATION, "{\"items\": [{\"id\": \"A\", \"quantity\": \"2\", \"seller\": \"1\"}]}"),
                "items[0].quantity");
        assertBadRequest(seller.post(SIMULATION, "{\"items\": [" + item + ", {\"id\": \"A\", \"quantity\": 1.5, \"seller\": \"1\"}]}"),
                "items[1].quantity");
        assertBadRequest(seller.post(SIMULATION, "{\"items\": {\"id\": \"A\"}}"), "items");
        assertBadRequest(seller.post(SIMULATION, "{\"items\": [" + item + "], \"postalCode\": {\"a\": 1}}"), "postalCode");
        assertBadRequest(seller.post(SIMULATION, "[" + item + "]"), "wrong shape");
    }

    @Test
    void missingOrInvalidItemsAreRefused() {
        assertBadRequest(seller.post(SIMULATION, "{\"postalCode\": \"22270-030\", \"country\": \"BRA\"}"), "'items' is required");
        assertBadRequest(seller.post(SIMULATION, "{\"items\": null}"), "'items' is required");
        assertBadRequest(seller.post(SIMULATION, "{\"items\": []}"), "'items' must hold at least one item");
        assertBadRequest(seller.post(SIMULATION, "{\"items\": [null]}"), "'items[0]' must be an object");
        assertBadRequest(seller.post(SIMULATION, "{\"items\": [{\"quantity\": 1, \"seller\": \"1\"}]}"), "'items[0].id' is required");
        assertBadRequest(seller.post(SIMULATION, "{\"items\": [{\"id\": \" \", \"quantity\": 1}]}"), "'items[0].id' is required");
        assertBadRequest(seller.post(SIMULATION, "{\"items\": [{\"id\": \"A\", \"seller\": \"1\"}]}"), "'items[0].quantity' is required");
        assertBadRequest(seller.post(SIMULATION, "{\"items\": [" + item + ", {\"id\": \"A\", \"quantity\": 0}]}"),
                "'items[1].quantity' must be at least 1");
        assertBadRequest(seller.post(SIMULATION, "{\"items\": [{\"id\": \"A\", \"quantity\": -3}]}"),
                "'items[0].quantity' must be at least 1");
    }

    @Test
    void moreItemsThanTheLimitAreRefused() {
        String items = String.join(",", java.util.Collections.nCopies(properties.maxItems() + 1, item));

        assertBadRequest(seller.post(SIMULATION, "{\"items\": [" + items + "]}"), "at most " + properties.maxItems());
    }

    @Test
    void tooDeepNestingIsRefused() {
        String deep = "[".repeat(properties.maxNestingDepth() + 5) + "]".repeat(properties.maxNestingDepth() + 5);

        assertBadRequest(seller.post(SIMULATION, "{\"items\": [" + item + "], \"extra\": " + deep + "}"),
                "JSON nesting deeper than " + properties.maxNestingDepth() + " levels");
    }

    @Test
    void aGetWithoutPurchaseContextOrWithABrokenOneIsRefused() {
        assertBadRequest(seller.get(SIMULATION + "?sc=1"), "purchaseContext");
        assertBadRequest(seller.get(SIMULATION + "?purchaseContext=%7B%22items%22%3A"), "Malformed JSON");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String padding = "x".repeat((int) properties.maxBodyBytes());

        SellerClient.Answer answer = seller.post(SIMULATION, "{\"items\": [" + item + "], \"pad\": \"" + padding + "\"}");

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().path("error").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws Exception {
        // What `curl -d` sends by default: without the check it would be parsed as form fields.
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(engineUrl(SIMULATION)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-VTEX-API-AppKey", credentials.appKey()).header("X-VTEX-API-AppToken", credentials.appToken())
                .POST(HttpRequest.BodyPublishers.ofString("{\"items\": [" + item + "]}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(form.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(JSON.readTree(form.body()).path("error").path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void callsWithoutTheRightCredentialsAre401() throws Exception {
        String body = "{\"items\": [" + item + "]}";

        assertThat(post(body).statusCode()).as("no credentials").isEqualTo(401);
        assertThat(post(body, "X-VTEX-API-AppKey", credentials.appKey(), "X-VTEX-API-AppToken", "wrong").statusCode())
                .as("wrong token").isEqualTo(401);
        assertThat(post(body, "X-VTEX-API-AppKey", "other-key", "X-VTEX-API-AppToken", credentials.appToken()).statusCode())
                .as("wrong key").isEqualTo(401);
        assertThat(post(body, "Authorization", vtexAuthorization(credentials.appKey(), "wrong")).statusCode())
                .as("VTEX authorization with a wrong token").isEqualTo(401);
        HttpResponse<String> unauthorized = post(body);
        assertThat(JSON.readTree(unauthorized.body()).path("error").path("code").asText()).isEqualTo("UNAUTHORIZED");

        HttpResponse<String> vtexForm = post(body, "Authorization",
                vtexAuthorization(credentials.appKey(), credentials.appToken()));
        assertThat(vtexForm.statusCode()).as("VTEX authorization with the right key and token").isEqualTo(200);
        assertThat(JSON.readTree(vtexForm.body()).path("items")).hasSize(1);
    }

    private static String vtexAuthorization(String key, String token) {
        return "VTEX key=\"" + key + "\", token=\"" + token + "\"";
    }

    private HttpResponse<String> post(String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(engineUrl(SIMULATION)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertBadRequest(SellerClient.Answer answer, String messagePart) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        JsonNode error = answer.json().path("error");
        assertThat(error.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(error.path("message").asText()).contains(messagePart);
        assertThat(answer.header("x-vtex-error-code")).isEqualTo("INVALID_REQUEST");
    }
}
