package dev.vtexbridge.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vtexbridge.cli.OpsCli.Exit;

/**
 * The ops CLI's HTTP client of the engine's ops API ({@code <url>/ops/api/...}, token from {@code BRIDGE_OPS_TOKEN}):
 * a JSON answer, or an {@link ApiException} carrying the CLI's exit code for what went wrong.
 */
final class OpsApi {

    /** Reads the API's answers and writes request bodies; indented, for printing. */
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A failed call: the CLI's exit code for it, its message and the API's JSON answer (when it gave one). */
    static final class ApiException extends RuntimeException {
        final int exit;
        final JsonNode body;

        ApiException(int exit, String message) {
            this(exit, message, null);
        }

        ApiException(int exit, String message, JsonNode body) {
            super(message);
            this.exit = exit;
            this.body = body;
        }
    }

    private final String url;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** {@code url} is {@code --url} (null when not given); {@code env} gives its default and the token. */
    OpsApi(String url, Map<String, String> env) {
        this.url = url;
        this.env = env;
    }

    String baseUrl() {
        String base = url != null ? url : env.getOrDefault("BRIDGE_OPS_URL", "http://localhost:8080");
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder().GET(), path);
    }

    JsonNode post(String path, Object body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new ApiException(Exit.API_ERROR, e.getMessage());
        }
        return send(HttpRequest.newBuilder().header("Content-Type", "application/json").POST(publisher), path);
    }

    private JsonNode send(HttpRequest.Builder request, String path) {
        String token = env.get("BRIDGE_OPS_TOKEN");
        if (token == null || token.isBlank()) {
            throw new ApiException(Exit.UNAUTHORIZED, "set BRIDGE_OPS_TOKEN to an ops token of the engine");
        }
        URI uri;
        try {
            uri = URI.create(baseUrl() + "/ops/api" + path);
        } catch (IllegalArgumentException e) {
            throw new ApiException(Exit.USAGE, "bad --url: " + e.getMessage());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.uri(uri).timeout(Duration.ofMinutes(10))
                    .header("Authorization", "Bearer " + token.trim()).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new ApiException(Exit.UNREACHABLE, "cannot reach the engine at " + baseUrl() + " (" + e + ")");
        } catch (IOException e) {
            throw new ApiException(Exit.UNREACHABLE, "talking to " + baseUrl() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(Exit.API_ERROR, "interrupted");
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return body;
        }
        String message = body != null && body.hasNonNull("message") ? body.get("message").asText()
                : body != null && body.hasNonNull("error") ? body.get("error").asText()
                : "HTTP " + status + " " + response.body();
        int exit = switch (status) {
            case 401, 403 -> Exit.UNAUTHORIZED;
            case 404 -> Exit.NOT_FOUND;
            case 409 -> Exit.CONFLICT;
            case 400 -> Exit.USAGE;
            default -> Exit.API_ERROR;
        };
        throw new ApiException(exit, status == 401 ? "the engine refused the token (401): " + message : message, body);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
