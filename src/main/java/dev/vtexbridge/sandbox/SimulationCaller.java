package dev.vtexbridge.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.connections.EndpointCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * After a price or inventory notification, the sandbox marketplace does what VTEX does: it calls the engine's
 * fulfillment simulation ({@code POST {seller base path}/pvt/orderForms/simulation}, with connection default's
 * credentials) for that SKU, and logs what it learnt, so the default run visibly closes the loop. Asynchronous: the
 * notification's 202 never waits for it.
 */
@Component
@ConditionalOnSandbox
public class SimulationCaller {

    private static final Logger log = LoggerFactory.getLogger(SimulationCaller.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** What the marketplace of connection default presents on the seller endpoints. */
    private final EndpointCredentials credentials;
    private final Environment env;
    private final boolean enabled;

    public SimulationCaller(Connections connections, Environment env, SandboxProperties properties) {
        this.credentials = connections.require(Connection.DEFAULT).endpoint();
        this.env = env;
        this.enabled = properties.callSimulation();
    }

    public void callLater(String sellerId, String skuId) {
        if (!enabled) {
            return;
        }
        String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        String url = "http://localhost:" + port + env.getProperty("bridge.seller.base-path", "/seller") + "/pvt/orderForms/simulation";
        String body = "{\"items\":[{\"id\":\"" + skuId.replace("\"", "") + "\",\"quantity\":1,\"seller\":\""
                + sellerId.replace("\"", "") + "\"}],\"country\":\"BRA\",\"postalCode\":\"01310-100\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
                .header("X-VTEX-API-AppKey", credentials.appKey()).header("X-VTEX-API-AppToken", credentials.appToken())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            if (failure != null) {
                log.info("Sandbox marketplace: simulation of SKU {} failed: {}", skuId, failure.toString());
            } else {
                log.info("Sandbox marketplace: simulation of SKU {} answered {}: {}", skuId, response.statusCode(),
                        response.body().length() > 500 ? response.body().substring(0, 500) + "..." : response.body());
            }
        });
    }
}
