package dev.vtexbridge.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.testkit.EngineTest;

/** Calls the sandbox over real HTTP the way a flow does: JSON in, JSON out, with or without VTEX credentials. */
final class SandboxClient {

    static final String APP_KEY = "vtexappkey-testmarketplace-ABCDEF";
    static final Map<String, String> CREDENTIALS =
            Map.of("X-VTEX-API-AppKey", APP_KEY, "X-VTEX-API-AppToken", EngineTest.VTEX_APP_TOKEN);

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String engineUrl;

    SandboxClient(String engineUrl) {
        this.engineUrl = engineUrl;
    }

    record Answer(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** A call to the simulated VTEX marketplace ({@code path} relative to /sandbox/vtex), with valid credentials. */
    Answer vtex(String method, String path, String jsonBody) {
        return send(method, "/sandbox/vtex" + path, jsonBody, CREDENTIALS);
    }

    /** A call to any engine path, with exactly the given headers besides the JSON ones. */
    Answer send(String method, String path, String jsonBody, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(engineUrl + path))
                .header("Accept", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The recorded calls whose path contains {@code pathPart}, newest first. */
    JsonNode calls(String pathPart) {
        return send("GET", "/sandbox/api/calls?path=" + pathPart, null, Map.of()).json();
    }
}
