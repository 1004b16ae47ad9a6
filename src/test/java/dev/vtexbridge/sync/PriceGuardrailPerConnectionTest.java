package dev.vtexbridge.sync;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.erp.ErpCatalog;
import dev.vtexbridge.mapping.MappingRegistry;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.transaction.support.TransactionTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The price guardrail per connection. The engine's own mappings give outlet the base file's 30 % guardrail; here the
 * price flow runs over a copy of the mappings whose outlet overlay has a tighter one (10 %), on the engine's real
 * store, projection and notifications: a 20 % drop that default's rules let through is held for outlet, so neither
 * marketplace gets it, until it is approved through the ops API, which applies it for both and tells both.
 */
class PriceGuardrailPerConnectionTest extends EngineTest {

    private static final String DEFAULT_NOTIFICATOR = "/vtex/api/notificator/bridgeseller/changenotification/";
    private static final String OUTLET_NOTIFICATOR = "/vtex-outlet/api/notificator/bridgeseller-outlet/changenotification/";

    @TempDir
    Path mappings;

    @Autowired
    OfferSyncStore store;
    @Autowired
    OfferProjection projection;
    @Autowired
    ErpCatalog erp;
    @Autowired
    NotificationCoalescer coalescer;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    Connections connections;
    @Autowired
    ConnectionOffers engineOffers;
    @Autowired
    PriceSync enginePriceSync;
    @Value("${bridge.sync.sales-channel}")
    String salesChannel;

    @Test
    void aDropAboveOutletsTighterGuardrailIsHeldForEveryConnectionUntilApproved() throws IOException {
        remote.stubFor(post(urlMatching("/vtex/api/notificator/.*")).willReturn(aResponse().withStatus(202)));
        PriceSync priceSync = priceSyncWithOutletGuardrail("10");
        String sku = "GUARD-" + UUID.randomUUID().toString().substring(0, 8);

        assertThat(priceSync.apply(price(sku, "100.00", 1))).isEqualTo("applied");
        await().atMost(Duration.ofSeconds(10)).until(() -> told("default", sku) != null && told("outlet", sku) != null);
        assertThat(told("default", sku)).isEqualTo(10000L);
        assertThat(told("outlet", sku)).as("outlet: 10 % below the ERP price").isEqualTo(9000L);

        // 100.00 -> 80.00: 20 % off on both; default's guardrail (30 %) lets it through, outlet's (10 %) holds it
        assertThat(priceSync.apply(price(sku, "80.00", 2))).isEqualTo("held");
        OpsClient ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        JsonNode held = ops.get("/ops/api/offers/" + sku).json();
        assertThat(held.path("status").asText()).isEqualTo("held");
        assertThat(held.path("reason").asText())
                .contains("connection outlet: price drop from 9000 to 7200 cents is above its 10 % guardrail")
                .doesNotContain("connection default")
                .contains("/ops/api/offers/" + sku + "/price/approve");
        // nothing applied: no marketplace sells at the new price
        assertThat(projection.find(sku).orElseThrow().price()).isEqualTo(10000L);
        assertThat(engineOffers.find("outlet", sku).orElseThrow().offer().price()).isEqualTo(9000L);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() ->
                notifications(DEFAULT_NOTIFICATOR, sku) == 1 && notifications(OUTLET_NOTIFICATOR, sku) == 1);

        OpsClient.Answer approved = ops.post("/ops/api/offers/" + sku + "/price/approve");
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(projection.find(sku).orElseThrow().price()).isEqualTo(8000L);
        assertThat(engineOffers.find("outlet", sku).orElseThrow().offer().price()).isEqualTo(7200L);
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(8000L).equals(told("default", sku))
                && Long.valueOf(7200L).equals(told("outlet", sku)));
        assertThat(notifications(DEFAULT_NOTIFICATOR, sku)).isEqualTo(2);
        assertThat(notifications(OUTLET_NOTIFICATOR, sku)).isEqualTo(2);
        assertThat(ops.get("/ops/api/offers/" + sku).json().path("status").asText()).isNotEqualTo("held");
    }

    @Test
    void theSameDropPassesWhereEveryConnectionsGuardrailAllowsIt() {
        remote.stubFor(post(urlMatching("/vtex/api/notificator/.*")).willReturn(aResponse().withStatus(202)));
        String sku = "GUARD-" + UUID.randomUUID().toString().substring(0, 8);

        // the engine's own mappings: outlet's overlay keeps the 30 % guardrail
        assertThat(enginePriceSync.apply(price(sku, "100.00", 1))).isEqualTo("applied");
        assertThat(enginePriceSync.apply(price(sku, "80.00", 2))).isEqualTo("applied");

        assertThat(projection.find(sku).orElseThrow().price()).isEqualTo(8000L);
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(8000L).equals(told("default", sku))
                && Long.valueOf(7200L).equals(told("outlet", sku)));
    }

    /** The price flow over a copy of the engine's mappings whose outlet overlay has the given guardrail. */
    private PriceSync priceSyncWithOutletGuardrail(String maxDropPercent) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("mappings"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, mappings.resolve(file.getFileName()));
            }
        }
        Path outlet = Files.createDirectories(mappings.resolve("connections/outlet"));
        Files.copy(Path.of("mappings/connections/outlet/stock-rules.yaml"), outlet.resolve("stock-rules.yaml"));
        String prices = Files.readString(Path.of("mappings/connections/outlet/price-rules.yaml"));
        assertThat(prices).contains("maxDropPercent: 30");
        Files.writeString(outlet.resolve("price-rules.yaml"), prices.replace("maxDropPercent: 30", "maxDropPercent: " + maxDropPercent));
        MappingRegistry registry = new MappingRegistry(new DefaultResourceLoader(), mappings.toUri().toString(),
                Clock.systemUTC());
        assertThat(registry.forConnection("outlet").prices().guardrail().maxDropPercent()).isEqualByComparingTo(maxDropPercent);
        return new PriceSync(store, projection, erp, registry, coalescer, tx, salesChannel, connections,
                new ConnectionOffers(projection, registry, connections));
    }

    private static ErpChange price(String sku, String price, int minute) {
        return new ErpChange(ErpChange.PRICE, sku, OffsetDateTime.of(2026, 5, 1, 10, minute, 0, 0, ZoneOffset.UTC),
                new BigDecimal(price), null, null, null, null, null);
    }

    private static int notifications(String notificator, String sku) {
        return remote.findAll(postRequestedFor(urlEqualTo(notificator + sku + "/price"))).size();
    }

    /** The price the connection's marketplace was last told of the SKU (null: nothing yet). */
    private Long told(String connection, String sku) {
        return jdbc.queryForObject("SELECT (SELECT notified_price FROM offer_notified WHERE connection_id = ? AND sku_id = ?)",
                Long.class, connection, sku);
    }
}
