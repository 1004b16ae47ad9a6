package dev.vtexbridge.orders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vtexbridge.erp.DemoErp;
import dev.vtexbridge.sandbox.SandboxShopper;
import dev.vtexbridge.seller.SellerCredentials;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.testkit.EmbeddedPostgresSupport;
import dev.vtexbridge.testkit.EngineLauncher;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.ErpRows;
import dev.vtexbridge.testkit.OpsClient;
import dev.vtexbridge.testkit.OrderDriver;
import dev.vtexbridge.testkit.OrderDriver.Placed;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.vtexbridge.testkit.OrderDriver.ORDER_VALUE;
import static dev.vtexbridge.testkit.OrderDriver.UNIT_PRICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order lifecycle end to end on PostgreSQL (engine and ERP, each its own embedded database): placement, fulfil,
 * the ERP order row, the ERP's invoice and shipment rows, the calls to the services endpoint; the ERP database going
 * away while orders are released; and the default demo run (sandbox shopper and demo ERP back office).
 */
class OrderLifecycleIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedPostgresSupport.Database erpDatabase;
    private static WireMockServer marketplace;
    private static ConfigurableApplicationContext engine;
    private static OrderDriver orders;
    private static ErpRows erp;
    private static OpsClient ops;

    @BeforeAll
    static void startEngineOnPostgres() {
        EmbeddedPostgresSupport.Database engineDatabase = EmbeddedPostgresSupport.newDatabase();
        erpDatabase = EmbeddedPostgresSupport.newDatabase();
        marketplace = new WireMockServer(options().dynamicPort());
        marketplace.start();
        marketplace.stubFor(any(urlPathMatching("/api/oms/pvt/orders/.*"))
                .willReturn(okJson("{\"date\":\"2024-03-05T10:00:00Z\",\"orderId\":\"x\",\"receipt\":\"r\"}")));
        engine = EngineLauncher.start("order-lifecycle", Map.ofEntries(
                Map.entry("spring.datasource.url", engineDatabase.jdbcUrl()),
                Map.entry("spring.datasource.username", engineDatabase.username()),
                Map.entry("spring.datasource.password", engineDatabase.password()),
                Map.entry("bridge.erp.datasource.url", erpDatabase.jdbcUrl()),
                Map.entry("bridge.erp.datasource.username", erpDatabase.username()),
                Map.entry("bridge.erp.datasource.password", erpDatabase.password()),
                Map.entry("bridge.erp.migrate", "true"),
                Map.entry("bridge.erp.demo.invoice-after", "0s"),
                Map.entry("bridge.erp.demo.ship-after", "0s"),
                Map.entry("bridge.erp.demo.deliver-after", "0s"),
                // Redeliveries long enough to outlast the ERP outage below (about a minute).
                Map.entry("bridge.errors.maximum-redeliveries", "60"),
                Map.entry("bridge.errors.redelivery-delay", "200"),
                Map.entry("bridge.errors.maximum-redelivery-delay", "1000")));
        SellerCredentials credentials = engine.getBean(SellerCredentials.class);
        orders = new OrderDriver(new SellerClient(EngineLauncher.baseUrl(engine), credentials.appKey(), credentials.appToken()),
                engine.getBean(OfferProjection.class), engine.getBean(OrderLinks.class));
        erp = new ErpRows(new NamedParameterJdbcTemplate(erpDatabase.dataSource()));
        ops = new OpsClient(EngineLauncher.baseUrl(engine), EngineTest.OPS_TOKEN);
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
        if (marketplace != null) {
            marketplace.stop();
        }
        if (erpDatabase != null) {
            allowErpConnections(true);
        }
    }

    @Test
    void anOrderGoesFromPlacementToTheErpAndItsInvoiceAndTrackingToTheMarketplace() {
        Placed order = orders.placeFulfilAndAwaitErp(marketplace.baseUrl() + "/api/oms?an=mymkp");

        JdbcTemplate erpTables = new JdbcTemplate(erpDatabase.dataSource());
        Map<String, Object> row = erpTables.queryForMap("SELECT * FROM erp_order WHERE marketplace_order_id = ?",
                order.marketplaceOrderId());
        assertThat(row.get("erp_order_id").toString()).isEqualTo(order.erpOrderId());
        assertThat(row.get("seller_order_id")).isEqualTo(order.orderId());
        assertThat(((Number) row.get("total_value")).longValue()).isEqualTo(ORDER_VALUE);
        assertThat(erpTables.queryForObject("SELECT quantity FROM erp_order_item WHERE erp_order_id = ?", Integer.class,
                Long.parseLong(order.erpOrderId()))).isEqualTo(2);

        erp.invoice(order.erpOrderId(), "NF-900", "Output", order.sku(), 2, UNIT_PRICE, ORDER_VALUE);
        String invoicePath = "/api/oms/pvt/orders/" + order.marketplaceOrderId() + "/invoice";
        LoggedRequest invoice = awaitOne(RequestMethod.POST, invoicePath);
        JsonNode body = json(invoice.getBodyAsString());
        assertThat(invoice.getUrl()).endsWith("?an=mymkp");
        assertThat(body.get("invoiceValue").isIntegralNumber()).isTrue();
        assertThat(body.get("invoiceValue").asLong()).isEqualTo(ORDER_VALUE);
        assertThat(body.at("/items/0/price").asLong()).isEqualTo(UNIT_PRICE);

        erp.shipment(order.erpOrderId(), "NF-900", "BR900");
        assertThat(json(awaitOne(RequestMethod.PATCH, invoicePath + "/NF-900").getBodyAsString())
                .get("trackingNumber").asText()).isEqualTo("BR900");
        await().atMost(Duration.ofSeconds(15)).until(() ->
                "SHIPPED".equals(ops.get("/ops/api/orders/" + order.marketplaceOrderId()).json().get("status").asText()));
    }

    @Test
    void ordersReleasedWhileTheErpDatabaseIsDownAreWrittenOnceWhenItIsBack() {
        allowErpConnections(false);
        List<Placed> released = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                released.add(orders.placeAndFulfil(marketplace.baseUrl() + "/api/oms"));
            }
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    released.stream().noneMatch(order -> engine.getBean(OrderLinks.class).find(order.orderId())
                            .orElseThrow().inErp()));
        } finally {
            allowErpConnections(true);
        }

        for (Placed order : released) {
            orders.awaitErp(order.orderId(), Duration.ofSeconds(90));
            assertThat(erp.ordersOf(order.marketplaceOrderId())).isEqualTo(1);
        }
        assertThat(engine.getBean(JdbcTemplate.class).queryForObject(
                "SELECT COUNT(*) FROM failed_message WHERE route_id LIKE 'order-to-erp%'", Integer.class))
                .as("nothing given up on").isZero();
    }

    @Test
    void theDemoRunTakesAShoppersOrderToInvoicedTrackedAndDelivered() throws Exception {
        orders.newSku();
        SandboxShopper shopper = engine.getBean(SandboxShopper.class);
        DemoErp demoErp = engine.getBean(DemoErp.class);

        String orderId = shopper.shop().orElseThrow();
        assertThat(shopper.fulfilDue()).isEqualTo(1);
        orders.awaitErp(orderId, Duration.ofSeconds(20));
        String marketplaceOrderId = engine.getBean(OrderLinks.class).find(orderId).orElseThrow().marketplaceOrderId();

        // With no delays configured, one round of the back office invoices, ships and delivers.
        demoErp.work();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "DELIVERED".equals(ops.get("/ops/api/orders/" + orderId).json().get("status").asText()));
        List<String> events = new ArrayList<>();
        ops.get("/ops/api/orders/" + orderId).json().get("events").forEach(e ->
                events.add(e.get("event").asText() + " " + e.get("outcome").asText() + " " + e.get("statusAfter").asText()));
        assertThat(events).contains("INVOICE ACCEPTED INVOICED", "TRACKING ACCEPTED SHIPPED",
                "TRACKING_STATUS ACCEPTED DELIVERED");
        await().atMost(Duration.ofSeconds(15)).until(() -> ops.get("/ops/api/orders/" + orderId).json().get("pending").isEmpty());

        JsonNode calls = new OpsClient(EngineLauncher.baseUrl(engine), null)
                .get("/sandbox/api/calls?path=" + marketplaceOrderId).json();
        List<String> seen = new ArrayList<>();
        calls.forEach(call -> seen.add(call.get("method").asText() + " " + call.get("status").asInt()));
        assertThat(seen).containsExactlyInAnyOrder("POST 200", "PATCH 200", "PUT 200");
    }

    private static LoggedRequest awaitOne(RequestMethod method, String path) {
        await().atMost(Duration.ofSeconds(15)).until(() -> requests(method, path).size() == 1);
        return requests(method, path).get(0);
    }

    private static List<LoggedRequest> requests(RequestMethod method, String path) {
        return marketplace.findAll(anyRequestedFor(urlPathEqualTo(path))).stream()
                .filter(request -> request.getMethod().equals(method)).toList();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Takes the ERP's database away (new connections refused, open ones cut) or gives it back. */
    private static void allowErpConnections(boolean allowed) {
        JdbcTemplate admin = new JdbcTemplate(EmbeddedPostgresSupport.server().getPostgresDatabase());
        admin.execute("ALTER DATABASE " + erpDatabase.name() + " ALLOW_CONNECTIONS " + allowed);
        if (!allowed) {
            admin.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?", erpDatabase.name());
        }
    }
}
