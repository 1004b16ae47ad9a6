package dev.vtexbridge.ops;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.cli.OpsCli;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RouteReloadTest extends EngineTest {

    private static final String BROKEN = """
            - route:
                id: reload-probe
                from:
                  uri: jms:queue:test.reload-probe
                  steps:
                    - noSuchStep:
                        value: x
            """;
    private static final String GOOD = """
            - route:
                id: reload-probe
                routeConfigurationId: bridge-error-policy
                from:
                  uri: jms:queue:test.reload-probe
                  steps:
                    - log: "reload probe ${body}"
            """;

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Test
    void aBrokenFileKeepsTheRunningRoutesAndAGoodOneSwapsInWithoutLosingInFlightMessages() throws Exception {
        OpsClient ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        // The test routes are scanned from the test classpath folder, so a file written there is a route file.
        File folder = new ClassPathResource("test-routes/remote-delivery.camel.yaml").getFile().getParentFile();
        Path probe = folder.toPath().resolve("reload-probe.camel.yaml");
        int routesBefore = camel.getRoutes().size();
        try {
            Files.writeString(probe, BROKEN);
            OpsClient.Answer refused = ops.post("/ops/api/routes/reload");
            assertThat(refused.status()).isEqualTo(422);
            JsonNode broken = null;
            for (JsonNode file : refused.json().get("files")) {
                if (file.get("file").asText().endsWith("reload-probe.camel.yaml")) {
                    broken = file;
                }
            }
            assertThat(broken).isNotNull();
            assertThat(broken.get("ok").asBoolean()).isFalse();
            assertThat(broken.get("error").asText()).isNotBlank();
            assertThat(refused.json().get("reloaded").asBoolean()).isFalse();
            assertThat(camel.getRoutes()).hasSize(routesBefore);
            assertThat(camel.getRoute("reload-probe")).isNull();
            assertThat(camel.getRouteController().getRouteStatus("remote-delivery").isStarted()).isTrue();
            StringWriter cliErr = new StringWriter();
            int cliExit = OpsCli.run(new String[] {"routes", "reload", "--url", engineUrl("")}, Map.of("BRIDGE_OPS_TOKEN", OPS_TOKEN),
                    new PrintWriter(new StringWriter()), new PrintWriter(cliErr));
            assertThat(cliExit).isEqualTo(OpsCli.Exit.API_ERROR);
            assertThat(cliErr.toString()).contains("reload-probe.camel.yaml: ", "nothing was changed");

            // A message in flight (the remote answers slowly) while the routes are swapped.
            String id = "reload-" + UUID.randomUUID();
            remote.stubFor(post(urlPathEqualTo("/deliver/" + id)).willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
            producer.sendBodyAndHeader("jms:queue:test.remote-delivery", "{}", "messageId", id);
            await().atMost(Duration.ofSeconds(5)).until(() -> camel.getInflightRepository().size("remote-delivery") > 0);

            Files.writeString(probe, GOOD);
            OpsClient.Answer swapped = ops.post("/ops/api/routes/reload");
            assertThat(swapped.status()).as(swapped.body()).isEqualTo(200);
            assertThat(swapped.json().get("reloaded").asBoolean()).isTrue();
            assertThat(camel.getRouteController().getRouteStatus("reload-probe").isStarted()).isTrue();
            assertThat(camel.getRouteController().getRouteStatus("remote-delivery").isStarted()).isTrue();
            assertThat(camel.getRoutes()).hasSize(routesBefore + 1);
            assertThat(camel.getRouteController().getRouteStatus("marketplace-orders-source-shop-queue").isStarted())
                    .as("a route built in Java (MarketplaceOrderSources) is not a file's").isTrue();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    remote.verify(1, postRequestedFor(urlPathEqualTo("/deliver/" + id))));
            Thread.sleep(300);
            assertThat(ops.get("/ops/api/failed?error=" + id).json().get("total").asLong())
                    .as("the in-flight message was delivered, not failed").isZero();
            remote.verify(1, postRequestedFor(urlPathEqualTo("/deliver/" + id)));

            JsonNode audit = ops.get("/ops/api/audit?action=ROUTE_RELOAD&size=2").json().get("items");
            assertThat(audit.get(0).get("result").asText()).isEqualTo("RELOADED");
            assertThat(audit.get(0).get("actor").asText()).isEqualTo("ops");
            assertThat(audit.get(1).get("result").asText()).isEqualTo("REFUSED");
            assertThat(audit.get(1).get("detail").asText()).contains("reload-probe.camel.yaml");
        } finally {
            Files.deleteIfExists(probe);
            StringWriter cliOut = new StringWriter();
            int cliExit = OpsCli.run(new String[] {"routes", "reload", "--url", engineUrl("")}, Map.of("BRIDGE_OPS_TOKEN", OPS_TOKEN),
                    new PrintWriter(cliOut), new PrintWriter(new StringWriter()));
            assertThat(cliExit).isZero();
            assertThat(cliOut.toString()).startsWith("reloaded: ");
        }
        assertThat(camel.getRoutes()).hasSize(routesBefore);
    }
}
