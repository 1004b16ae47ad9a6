package dev.vtexbridge.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.testkit.EngineTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the actuator shows to whom: health, its probes, info and prometheus to anyone (a load balancer, Prometheus);
 * health details, routes and route actions only with an ops token. And what every ops API answer carries.
 */
class ActuatorExposureTest extends EngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void probesAndMetricsAreOpen() throws Exception {
        for (String open : new String[]{"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
                "/actuator/prometheus"}) {
            // 503 is health's own answer while a component is down (say, routes being reloaded): still open.
            assertThat(get(open, null).statusCode()).as(open).isIn(200, 503);
        }
    }

    @Test
    void healthShowsItsComponentsOnlyWithAnOpsToken() throws Exception {
        // Routes reloaded by an earlier test may still be starting: health is UP again within seconds.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("/actuator/health", null).statusCode())
                .as(get("/actuator/health", "Bearer " + OPS_TOKEN).body()).isEqualTo(200));
        JsonNode anyone = JSON.readTree(get("/actuator/health", null).body());
        assertThat(anyone.path("status").asText()).isEqualTo("UP");
        assertThat(anyone.has("components")).as("components shown without a token: " + anyone).isFalse();

        JsonNode operator = JSON.readTree(get("/actuator/health", "Bearer " + OPS_TOKEN).body());
        assertThat(operator.path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(operator.path("components").path("diskSpace").path("details").has("path")).isTrue();
        // A named token is an operator too.
        assertThat(JSON.readTree(get("/actuator/health", "Bearer test-alice-token").body()).has("components")).isTrue();
    }

    @Test
    void routesAndTheirActionsNeedAnOpsToken() throws Exception {
        for (String token : new String[]{null, "Bearer wrong", "Basic b3BzOnRlc3Qtb3BzLXRva2Vu"}) {
            HttpResponse<String> routes = get("/actuator/camelroutes", token);
            assertThat(routes.statusCode()).as("camelroutes with " + token).isEqualTo(401);
            assertThat(JSON.readTree(routes.body()).path("error").asText()).isEqualTo("unauthorized");
            assertThat(routes.body()).doesNotContain("stock-erp-to-vtex");
        }
        HttpResponse<String> stop = http.send(HttpRequest.newBuilder(URI.create(engineUrl("/actuator/camelroutes/stock-erp-to-vtex/stop")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stop.statusCode()).isEqualTo(401);
        // Path tricks resolve to the same guarded endpoint.
        assertThat(get("/actuator/camelroutes;x=1", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/health/../camelroutes", null).statusCode()).isIn(400, 401);
        assertThat(get("/actuator/health/db", null).statusCode()).as("one component's health").isEqualTo(401);

        HttpResponse<String> routes = get("/actuator/camelroutes", "Bearer " + OPS_TOKEN);
        assertThat(routes.statusCode()).isEqualTo(200);
        assertThat(routes.body()).contains("stock-erp-to-vtex");
    }

    @Test
    void opsApiAnswersAreNeverCachedNorSniffed() throws Exception {
        for (String token : new String[]{"Bearer " + OPS_TOKEN, null}) {
            HttpResponse<String> answer = get("/ops/api/failed", token);
            assertThat(answer.statusCode()).isEqualTo(token == null ? 401 : 200);
            assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(engineUrl(path))).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
