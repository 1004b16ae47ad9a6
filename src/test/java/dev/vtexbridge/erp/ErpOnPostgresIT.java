package dev.vtexbridge.erp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.StockSync;
import dev.vtexbridge.testkit.EmbeddedPostgresSupport;
import dev.vtexbridge.testkit.EngineLauncher;
import dev.vtexbridge.testkit.OpsClient;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The seller flows against an ERP on a real PostgreSQL (and the engine's own database on PostgreSQL too), with
 * WireMock as the VTEX marketplace: reconciliation sends exactly what changed behind the engine's back; an unmapped
 * category blocks only its SKUs until the mapping file is fixed (no restart); ERP rows changed through a PostgreSQL
 * trigger on the change table reach the marketplace and the projection (taken through the claiming poll); a stock
 * batch's batched statements work there; the ERP order table keeps one order per connection and marketplace order id.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErpOnPostgresIT {

    private static final String SELLER = "bridgeseller";
    private static final WireMockServer vtex = new WireMockServer(options().dynamicPort());
    private static ConfigurableApplicationContext engine;
    private static JdbcTemplate erp;
    private static OpsClient ops;
    private static Path mappings;

    @BeforeAll
    static void startEngine() throws IOException {
        vtex.start();
        vtex.stubFor(post(urlMatching("/vtex/api/sku-binding/pvt/skuseller/changenotification/.*"))
                .willReturn(aResponse().withStatus(404).withBody("Seller StockKeepingUnit not found")));
        vtex.stubFor(put(urlMatching("/vtex-suggestions/testmarketplace/suggestions/.*")).willReturn(aResponse().withStatus(200)));
        vtex.stubFor(post(urlMatching("/vtex/api/notificator/.*")).willReturn(aResponse().withStatus(202)));

        EmbeddedPostgresSupport.Database erpDb = EmbeddedPostgresSupport.newDatabase();
        EmbeddedPostgresSupport.Database engineDb = EmbeddedPostgresSupport.newDatabase();
        // The documented ERP schema and demo catalog, cut down to 12 SKUs (P0001..P0004) to keep the test quick.
        Flyway.configure().dataSource(erpDb.dataSource()).locations("classpath:db/erp")
                .placeholders(Map.of("demo_changes", "false")).load().migrate();
        erp = new JdbcTemplate(erpDb.dataSource());
        erp.update("DELETE FROM erp_attribute WHERE owner_id >= 'P0005'");
        for (String table : new String[] {"erp_sku_image", "erp_price", "erp_stock", "erp_sku"}) {
            erp.update("DELETE FROM " + table + " WHERE sku_id >= 'P0005'");
        }
        erp.update("DELETE FROM erp_product WHERE product_id >= 'P0005'");

        mappings = EngineLauncher.freshDataDir("mappings");
        Files.createDirectories(mappings);
        try (Stream<Path> files = Files.list(Path.of("mappings"))) {
            for (Path file : files.toList()) {
                Files.copy(file, mappings.resolve(file.getFileName()));
            }
        }
        engine = EngineLauncher.start("erp-pg", Map.ofEntries(
                Map.entry("bridge.mappings-dir", mappings.toString()),
                Map.entry("test.remote-url", vtex.baseUrl()),
                Map.entry("spring.datasource.url", engineDb.jdbcUrl()),
                Map.entry("spring.datasource.username", engineDb.username()),
                Map.entry("spring.datasource.password", engineDb.password()),
                Map.entry("bridge.erp.datasource.url", erpDb.jdbcUrl()),
                Map.entry("bridge.erp.datasource.username", erpDb.username()),
                Map.entry("bridge.erp.datasource.password", erpDb.password()),
                Map.entry("bridge.erp.migrate", "true")));
        ops = new OpsClient(EngineLauncher.baseUrl(engine), "test-ops-token");
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
        vtex.stop();
    }

    @Test
    @Order(1)
    void reconciliationSendsExactlyWhatChangedBehindTheEnginesBack() {
        JsonNode first = ops.post("/ops/api/reconciliation").json();
        assertThat(first.path("scanned").asInt()).isEqualTo(12);
        assertThat(first.path("changed").asInt()).isEqualTo(12);
        await().atMost(Duration.ofSeconds(30)).until(() -> ops.post("/ops/api/reconciliation").json().path("sent").asInt() == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> notifications("P0004-3", "price") == 1);
        assertThat(vtex.findAll(putRequestedFor(urlMatching("/vtex-suggestions/.*"))).stream().map(r -> r.getUrl()).distinct()).hasSize(12);

        erp.update("UPDATE erp_stock SET quantity = quantity + 5 WHERE sku_id = 'P0001-1' AND warehouse_id = 'main'");
        erp.update("UPDATE erp_price SET price = price + 1 WHERE sku_id = 'P0002-2'");
        vtex.resetRequests();
        JsonNode summary = ops.post("/ops/api/reconciliation").json();
        assertThat(summary.path("changed").asInt()).isEqualTo(2);
        assertThat(summary.path("sent").asInt()).isEqualTo(2);
        assertThat(summary.path("stock").asInt()).isEqualTo(1);
        assertThat(summary.path("price").asInt()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> notifications("P0001-1", "inventory") == 1 && notifications("P0002-2", "price") == 1);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> vtex.findAll(postRequestedFor(urlMatching("/vtex/api/notificator/.*"))).size() == 2);
        int stock = erp.queryForObject("SELECT SUM(quantity) FROM erp_stock WHERE sku_id = 'P0001-1'", Integer.class);
        assertThat(engine.getBean(OfferProjection.class).find("P0001-1").orElseThrow().stock()).isEqualTo(stock - 1);
    }

    @Test
    @Order(2)
    void anUnmappedCategoryBlocksOnlyItsSkusUntilTheMappingIsFixed() throws IOException {
        erp.update("INSERT INTO erp_category (category_id, name, updated_at) VALUES ('C99', 'Gadgets', now())");
        erp.update("INSERT INTO erp_product (product_id, name, description, category_id, brand_id, updated_at) "
                + "VALUES ('P0999', 'Gadget', 'A gadget', 'C99', 'B01', now())");
        erp.update("INSERT INTO erp_sku (sku_id, product_id, name, ean, ref_id, weight_grams, height_cm, width_cm, length_cm, updated_at) "
                + "VALUES ('P0999-1', 'P0999', 'Gadget one', '7890000009991', 'P0999-1', 300, 5, 5, 5, now())");
        erp.update("INSERT INTO erp_sku_image (sku_id, position, label, file_name, updated_at) VALUES ('P0999-1', 1, 'main', 'g.jpg', now())");
        erp.update("INSERT INTO erp_price (sku_id, price_list, price, updated_at) VALUES ('P0999-1', 'default', 10.00, now())");
        erp.update("INSERT INTO erp_change (entity, sku_id, changed_at) VALUES ('catalog', 'P0999-1', now()), ('catalog', 'P0003-1', now())");

        await().atMost(Duration.ofSeconds(30)).until(() -> "error".equals(ops.get("/ops/api/offers/P0999-1").json().path("status").asText()));
        JsonNode blocked = ops.get("/ops/api/offers/P0999-1").json();
        assertThat(blocked.path("blockedBy").asText()).isEqualTo("category:C99");
        assertThat(blocked.path("reason").asText()).contains("C99");
        JsonNode report = ops.get("/ops/api/mappings/completeness").json();
        assertThat(report.path("unmappedCategories").toString()).contains("C99").contains("Gadgets");
        assertThat(report.path("blockedSkus").toString()).contains("P0999-1").doesNotContain("P0003-1");
        assertThat(report.path("blockedTotal").asInt()).isEqualTo(report.path("blockedSkus").size());
        JsonNode lastBlocked = ops.get("/ops/api/mappings/completeness?size=1&sort=sku,desc").json();
        assertThat(lastBlocked.path("blockedSkus")).hasSize(1);
        assertThat(lastBlocked.path("blockedSkus").get(0).path("sku").asText())
                .isEqualTo(report.path("blockedSkus").get(report.path("blockedSkus").size() - 1).path("sku").asText());
        assertThat(ops.get("/ops/api/mappings/completeness?sort=name").status()).isEqualTo(400);
        assertThat(ops.get("/ops/api/offers/P0003-1").json().path("status").asText()).isIn("suggested", "bound");

        Files.writeString(mappings.resolve("categories.yaml"), "  C99: {path: \"Misc/Gadgets\"}\n", StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(15)).until(() -> "suggested".equals(ops.get("/ops/api/offers/P0999-1").json().path("status").asText()));
        assertThat(vtex.findAll(putRequestedFor(urlEqualTo("/vtex-suggestions/testmarketplace/suggestions/" + SELLER + "/P0999-1")))).hasSize(1);
    }

    @Test
    @Order(3)
    void erpRowsChangedThroughADatabaseTriggerReachTheMarketplaceAndTheProjection() {
        erp.execute("CREATE FUNCTION erp_price_changed() RETURNS trigger AS $$ BEGIN "
                + "INSERT INTO erp_change (entity, sku_id, changed_at) VALUES ('price', NEW.sku_id, now()); RETURN NEW; END $$ LANGUAGE plpgsql");
        erp.execute("CREATE TRIGGER erp_price_change AFTER INSERT OR UPDATE ON erp_price FOR EACH ROW EXECUTE FUNCTION erp_price_changed()");
        vtex.resetRequests();

        erp.update("UPDATE erp_price SET price = 77.70, updated_at = now() WHERE sku_id = 'P0003-2'");

        await().atMost(Duration.ofSeconds(10)).until(() -> notifications("P0003-2", "price") == 1);
        assertThat(engine.getBean(OfferProjection.class).find("P0003-2").orElseThrow().price()).isEqualTo(7770L);
        assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_change WHERE processed_at IS NULL", Integer.class)).isZero();
        // on a PostgreSQL ERP the derived trigger claimed the row before handing it over (README "Triggers")
        assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_change WHERE entity = 'price' AND claimed_until IS NULL",
                Integer.class)).isZero();
    }

    @Test
    @Order(4)
    void aStockBatchIsAppliedWithBatchedStatementsOnPostgresql() {
        StockSync stockSync = engine.getBean(StockSync.class);
        OfferProjection projection = engine.getBean(OfferProjection.class);
        // P0001-1 is known (main and north), PG-NEW is not; P0001-1's second change drops the north warehouse
        String result = stockSync.applyAll(List.of(
                stock("P0001-1", Map.of("main", 20, "north", 4), 1), stock("PG-NEW", Map.of("main", 6), 1),
                stock("P0001-1", Map.of("main", 30), 2), stock("PG-NEW", Map.of("main", 2), 0)));

        assertThat(result).isEqualTo("applied 3, ignored-older 1");
        assertThat(projection.find("P0001-1").orElseThrow().stockByWarehouse()).isEqualTo(Map.of("main", 29));
        assertThat(projection.find("PG-NEW").orElseThrow().stockByWarehouse()).isEqualTo(Map.of("main", 5));
        JdbcTemplate engineDb = engine.getBean(JdbcTemplate.class);
        assertThat(engineDb.queryForList("SELECT warehouse_id FROM offer_stock WHERE sku_id = 'P0001-1'", String.class))
                .containsExactly("main");
        await().atMost(Duration.ofSeconds(10)).until(() -> notifications("PG-NEW", "inventory") == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(5).equals(engineDb.queryForObject(
                "SELECT (SELECT notified_quantity FROM offer_notified WHERE connection_id = 'default' AND sku_id = 'PG-NEW')", Integer.class)));
    }

    @Test
    @Order(5)
    void twoConnectionsUsingOneMarketplaceOrderIdAreTwoErpOrdersOnPostgresql() {
        ErpOrderTables sink = engine.getBean(ErpOrderTables.class);
        long onDefault = sink.insert(order("default", "PG-MKT-1", "SO-PG-1"));
        long onOutlet = sink.insert(order("outlet", "PG-MKT-1", "SO-PG-2"));

        assertThat(onOutlet).isNotEqualTo(onDefault);
        assertThat(sink.insert(order("outlet", "PG-MKT-1", "SO-PG-2"))).as("a repeat is the same ERP order").isEqualTo(onOutlet);
        assertThat(erp.queryForList("SELECT connection_id || ' ' || seller_order_id FROM erp_order "
                + "WHERE marketplace_order_id = 'PG-MKT-1' ORDER BY erp_order_id", String.class))
                .containsExactly("default SO-PG-1", "outlet SO-PG-2");
        // within one connection, the marketplace order id still names one order only
        assertThatThrownBy(() -> sink.insert(order("outlet", "PG-MKT-1", "SO-PG-3")))
                .hasMessageContaining("of connection outlet");
        // a row written without a connection (as before V41) is connection default's
        erp.update("INSERT INTO erp_order (marketplace_order_id, seller_order_id, status, items_value, shipping_value, "
                + "total_value, created_at) VALUES ('PG-MKT-2', 'SO-PG-4', 'NEW', 0, 0, 0, now())");
        assertThat(erp.queryForObject("SELECT connection_id FROM erp_order WHERE marketplace_order_id = 'PG-MKT-2'",
                String.class)).isEqualTo("default");
    }

    private static ErpOrder order(String connection, String marketplaceOrderId, String sellerOrderId) {
        return new ErpOrder(ErpOrder.RELEASED, connection, null, marketplaceOrderId, sellerOrderId, null,
                new ErpOrder.Customer("c@example.com", "Ana", "Silva", "cpf", "12345678909", null),
                new ErpOrder.Address("Ana", "Rua A", "1", null, "Centro", "Rio de Janeiro", "RJ", "22270-030", "BRA"),
                List.of(new ErpOrder.Item("P0001-1", 1, 4990, 1500, "Normal")), 4990, 1500, 6490, null);
    }

    private static ErpChange stock(String sku, Map<String, Integer> warehouses, int hour) {
        return new ErpChange(null, sku, OffsetDateTime.of(2030, 1, 1, hour, 0, 0, 0, ZoneOffset.UTC), null, null, null, null, null,
                warehouses);
    }

    private static int notifications(String sku, String kind) {
        return vtex.findAll(postRequestedFor(urlEqualTo("/vtex/api/notificator/" + SELLER + "/changenotification/" + sku + "/" + kind))).size();
    }
}
