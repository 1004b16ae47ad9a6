package dev.vtexbridge.connections;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.orders.ErpHandover;
import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.seller.SellerCredentials;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferUpdate;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import dev.vtexbridge.testkit.RawHttp;
import dev.vtexbridge.testkit.SellerClient;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two seller connections on one engine (application-test.yaml: {@code default} from the single-account settings, and
 * {@code outlet}): each marketplace calls its own path with its own credentials, the one set of seller routes serves
 * both, and every order stays with the connection it was placed on.
 */
class SellerConnectionsTest extends EngineTest {

    private static final String OUTLET_KEY = "vtexappkey-outlet-endpoint";
    private static final String OUTLET_TOKEN = "TEST-OUTLET-ENDPOINT-TOKEN-never-stored";
    private static final String DEFAULT_PATH = "/seller/pvt";
    private static final String OUTLET_PATH = "/seller/outlet/pvt";
    private static final String SIMULATION = "/orderForms/simulation";
    private static final String ORDERS = "/orders";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    SellerCredentials credentials;
    @Autowired
    OfferProjection projection;
    @Autowired
    OrderLinks links;
    @Autowired
    ErpHandover erpHandover;
    @Autowired
    CamelContext camel;

    SellerClient mainMarketplace;
    SellerClient outletMarketplace;
    OpsClient ops;
    String sku;

    @BeforeEach
    void seed() {
        mainMarketplace = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
        outletMarketplace = new SellerClient(engineUrl(""), OUTLET_KEY, OUTLET_TOKEN);
        ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
        projection.upsert(new OfferUpdate(sku, 4990L, 5990L, null, true, "un", 1, 300, new BigDecimal("2"),
                new BigDecimal("30"), new BigDecimal("40"), Map.of("main", 10)));
    }

    @Test
    void eachMarketplaceIsServedOnItsConnectionsPathWithItsOwnCredentialsOnly() {
        SellerClient.Answer outletSimulation = outletMarketplace.post(OUTLET_PATH + SIMULATION, simulation(2));
        assertThat(outletSimulation.status()).as(outletSimulation.body()).isEqualTo(200);
        assertThat(outletSimulation.json().at("/items/0/quantity").asInt()).isEqualTo(2);
        assertThat(outletMarketplace.get(OUTLET_PATH + SIMULATION + "?purchaseContext="
                + URLEncoder.encode(simulation(1), StandardCharsets.UTF_8)).status())
                .as("the legacy GET too").isEqualTo(200);
        assertThat(mainMarketplace.post(DEFAULT_PATH + SIMULATION, simulation(2)).status()).isEqualTo(200);

        assertUnauthorized(mainMarketplace.post(OUTLET_PATH + SIMULATION, simulation(1)));
        assertUnauthorized(outletMarketplace.post(DEFAULT_PATH + SIMULATION, simulation(1)));
        assertUnauthorized(mainMarketplace.post(OUTLET_PATH + ORDERS, order(uniqueOrderId())));
        assertUnauthorized(outletMarketplace.post(DEFAULT_PATH + ORDERS + "/SO-1/fulfill", "{}"));
        assertUnauthorized(new SellerClient(engineUrl(""), OUTLET_KEY, credentials.appToken())
                .post(OUTLET_PATH + SIMULATION, simulation(1)));
    }

    @Test
    void theFlowMetricsCountEachConnectionsMessagesApart() throws Exception {
        outletMarketplace.post(OUTLET_PATH + SIMULATION, simulation(1));

        String scrape = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(engineUrl("/actuator/prometheus"))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(scrape.lines()).anySatisfy(line -> assertThat(line)
                .startsWith("bridge_flow_exchanges_total{connection=\"outlet\",flow=\"fulfillment-simulation\",outcome=\"completed\""));
    }

    @Test
    void anotherConnectionsCredentialsAreRefusedBeforeTheBodyIsRead() throws Exception {
        // 1 MB announced, a few bytes sent, then silence: the 401 comes at once, on the headers alone.
        try (RawHttp call = RawHttp.send(port, "POST " + OUTLET_PATH + ORDERS + " HTTP/1.1\nHost: 127.0.0.1\n"
                + "Content-Type: application/json\nX-VTEX-API-AppKey: " + credentials.appKey() + "\nX-VTEX-API-AppToken: "
                + credentials.appToken() + "\nContent-Length: 1000000\n",
                "{\"marketplaceOrderId\":".getBytes(StandardCharsets.US_ASCII))) {
            String answer = call.answer(Duration.ofSeconds(5));

            assertThat(answer).isNotNull();
            assertThat(RawHttp.status(answer)).isEqualTo(401);
            assertThat(answer).contains("UNAUTHORIZED");
        }
    }

    @Test
    void anUnknownOrDisabledConnectionAndEveryOtherPathUnderTheBasePathAreNotFound() {
        for (String path : new String[] {"/seller/nosuch/pvt" + SIMULATION, "/seller/retired/pvt" + SIMULATION,
                "/seller/Outlet/pvt" + SIMULATION, "/seller/%6Futlet/pvt" + SIMULATION, "/seller/outlet/pvt;x=1" + SIMULATION,
                "/seller/outlet/pub" + SIMULATION, "/seller/%70vt" + SIMULATION, "/seller"}) {
            SellerClient.Answer answer = outletMarketplace.post(path, simulation(1));
            assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(404);
            assertThat(answer.json().at("/error/code").asText()).as(path).isEqualTo("NOT_FOUND");
            assertThat(answer.header("x-vtex-error-code")).as(path).isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void theRoutesSeeTheRoutedPathAndTheConnectionInEveryFormNeverTheCallersHeader() {
        SellerClient.Answer outlet = outletMarketplace.post(OUTLET_PATH + "/test/echo/item-7?x=1", "{}");
        SellerClient.Answer main = mainMarketplace.post(DEFAULT_PATH + "/test/echo/item-8", "{}");
        // a marketplace naming another connection in the header the engine sets gets its own connection all the same
        SellerClient.Answer spoofed = outletMarketplace.post(OUTLET_PATH + "/test/echo/item-9", "{}",
                Map.of(Connection.HTTP_HEADER, "default"));
        SellerClient.Answer spoofedMain = mainMarketplace.post(DEFAULT_PATH + "/test/echo/item-10", "{}",
                Map.of("x-bridge-connection", "outlet"));

        assertThat(outlet.status()).as(outlet.body()).isEqualTo(200);
        JsonNode seen = outlet.json();
        assertThat(seen.get("requestUri").asText()).isEqualTo("/seller/pvt/test/echo/item-7");
        assertThat(seen.get("requestUrl").asText()).isEqualTo(engineUrl("/seller/pvt/test/echo/item-7"));
        assertThat(seen.get("servletPath").asText()).isEqualTo("/seller/pvt/test/echo/item-7");
        assertThat(seen.get("pathInfo").isNull()).isTrue();
        assertThat(seen.get("camelHttpUri").asText()).isEqualTo("/seller/pvt/test/echo/item-7");
        assertThat(seen.get("camelHttpUrl").asText()).isEqualTo(engineUrl("/seller/pvt/test/echo/item-7"));
        assertThat(seen.get("camelHttpPath").asText()).isEqualTo("/seller/pvt/test/echo/item-7");
        assertThat(seen.get("item").asText()).as("path parameter").isEqualTo("item-7");
        assertThat(seen.get("connection").asText()).isEqualTo("outlet");
        assertThat(seen.get("connectionHeaders")).hasSize(1);

        assertThat(main.json().get("requestUri").asText()).isEqualTo("/seller/pvt/test/echo/item-8");
        assertThat(main.json().get("connection").asText()).isEqualTo("default");
        assertThat(spoofed.json().get("connection").asText()).isEqualTo("outlet");
        assertThat(spoofed.json().get("connectionHeaders")).hasSize(1);
        assertThat(spoofedMain.json().get("connection").asText()).isEqualTo("default");
    }

    @Test
    void aPlacementOnAConnectionIsStoredUnderItAndListedByIt() {
        String marketplaceOrderId = uniqueOrderId();
        SellerClient.Answer placed = outletMarketplace.post(OUTLET_PATH + ORDERS, order(marketplaceOrderId));
        assertThat(placed.status()).as(placed.body()).isEqualTo(200);
        String orderId = placed.json().get("orderId").asText();

        assertThat(links.find(orderId).orElseThrow().connectionId()).isEqualTo("outlet");
        assertThat(projection.find(sku).orElseThrow().available()).as("the one stock pool").isEqualTo(8);
        assertThat(ops.get("/ops/api/orders/" + orderId).json().get("connection").asText()).isEqualTo("outlet");
        JsonNode outletOrders = ops.get("/ops/api/orders?connection=outlet&size=500").json();
        assertThat(outletOrders.get("items").findValuesAsText("orderId")).contains(orderId);
        assertThat(outletOrders.get("items").findValuesAsText("connection")).containsOnly("outlet");
        assertThat(ops.get("/ops/api/orders?connection=default&id=" + orderId).json().get("total").asLong()).isZero();
    }

    @Test
    void theSameMarketplaceOrderIdOnTwoConnectionsIsTwoOrders() {
        String marketplaceOrderId = uniqueOrderId();

        String onMain = mainMarketplace.post(DEFAULT_PATH + ORDERS, order(marketplaceOrderId)).json().get("orderId").asText();
        String onOutlet = outletMarketplace.post(OUTLET_PATH + ORDERS, order(marketplaceOrderId)).json().get("orderId").asText();
        String outletAgain = outletMarketplace.post(OUTLET_PATH + ORDERS, order(marketplaceOrderId)).json().get("orderId").asText();

        assertThat(onOutlet).isNotEqualTo(onMain);
        assertThat(outletAgain).as("a repeat on the same connection is the same order").isEqualTo(onOutlet);
        assertThat(jdbc.queryForList("SELECT connection_id FROM seller_order WHERE marketplace_order_id = ? "
                + "ORDER BY connection_id", String.class, marketplaceOrderId)).containsExactly("default", "outlet");
        assertThat(projection.find(sku).orElseThrow().available()).isEqualTo(6);

        OpsClient.Answer ambiguous = ops.get("/ops/api/orders/" + marketplaceOrderId);
        assertThat(ambiguous.status()).as("which connection's? " + ambiguous.body()).isEqualTo(409);
        assertThat(ops.get("/ops/api/orders/" + marketplaceOrderId + "?connection=outlet").json().get("orderId").asText())
                .isEqualTo(onOutlet);
    }

    @Test
    void aConnectionNeverFindsAnotherConnectionsOrder() {
        String marketplaceOrderId = uniqueOrderId();
        String orderId = outletMarketplace.post(OUTLET_PATH + ORDERS, order(marketplaceOrderId)).json().get("orderId").asText();
        String reference = "{\"marketplaceOrderId\":\"" + marketplaceOrderId + "\"}";

        for (String path : new String[] {ORDERS + "/" + orderId + "/fulfill", ORDERS + "/" + orderId + "/cancel",
                ORDERS + "/" + marketplaceOrderId + "/cancel"}) {
            SellerClient.Answer refused = mainMarketplace.post(DEFAULT_PATH + path, reference);
            assertThat(refused.status()).as(path + ": " + refused.body()).isEqualTo(404);
            assertThat(refused.json().at("/error/code").asText()).isEqualTo("ORD_NOT_FOUND");
        }
        assertThat(projection.find(sku).orElseThrow().available()).as("still held for outlet's order").isEqualTo(8);

        SellerClient.Answer fulfilled = outletMarketplace.post(OUTLET_PATH + ORDERS + "/" + orderId + "/fulfill", reference);
        assertThat(fulfilled.status()).as(fulfilled.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> links.find(orderId).orElseThrow().inErp());
    }

    @Test
    void theOrderTheErpReceivesNamesItsConnectionAndItsVtexAccount() throws Exception {
        String marketplaceOrderId = uniqueOrderId();
        String orderId = outletMarketplace.post(OUTLET_PATH + ORDERS, order(marketplaceOrderId)).json().get("orderId").asText();
        Exchange release = new DefaultExchange(camel);
        release.getIn().setHeader("orderId", orderId);

        erpHandover.prepareRelease(release);

        assertThat(release.getIn().getHeader(ErpHandover.ACTION)).isEqualTo("send");
        assertThat(release.getIn().getHeader(Connection.HEADER)).isEqualTo("outlet");
        JsonNode erpOrder = JSON.readTree(release.getIn().getBody(String.class));
        assertThat(erpOrder.get("connection").asText()).isEqualTo("outlet");
        assertThat(erpOrder.get("marketplaceAccount").asText()).isEqualTo("testoutlet");
        assertThat(erpOrder.get("marketplaceOrderId").asText()).isEqualTo(marketplaceOrderId);
        assertThat(erpOrder.get("sellerOrderId").asText()).isEqualTo(orderId);
    }

    @Test
    void opsListsEveryConnectionWithItsOpenOrdersAndNeverASecret() {
        long openBefore = openOrders("outlet");
        outletMarketplace.post(OUTLET_PATH + ORDERS, order(uniqueOrderId()));

        OpsClient.Answer listed = ops.get("/ops/api/connections");

        assertThat(listed.status()).isEqualTo(200);
        JsonNode items = listed.json().get("items");
        assertThat(items.findValuesAsText("id")).containsExactly("default", "outlet", "retired", "shop", "shop-feed", "shop-noi", "shop-queue");
        JsonNode main = items.get(0);
        assertThat(main.get("role").asText()).isEqualTo("seller");
        assertThat(main.get("enabled").asBoolean()).isTrue();
        assertThat(main.get("vtexAccount").asText()).isEqualTo("testmarketplace");
        assertThat(main.get("sellerId").asText()).isEqualTo("bridgeseller");
        assertThat(main.get("salesChannel").asText()).isEqualTo("1");
        assertThat(main.get("endpointPath").asText()).isEqualTo("/seller/pvt");
        JsonNode outlet = items.get(1);
        assertThat(outlet.get("vtexAccount").asText()).isEqualTo("testoutlet");
        assertThat(outlet.get("sellerId").asText()).isEqualTo("bridgeseller-outlet");
        assertThat(outlet.get("salesChannel").asText()).isEqualTo("2");
        assertThat(outlet.get("endpointPath").asText()).isEqualTo("/seller/outlet/pvt");
        assertThat(outlet.get("openOrders").asLong()).isEqualTo(openBefore + 1);
        assertThat(items.get(2).get("enabled").asBoolean()).isFalse();
        assertThat(listed.body()).doesNotContain(credentials.appKey(), credentials.appToken(), VTEX_APP_TOKEN,
                "vtexappkey-testmarketplace-ABCDEF", OUTLET_KEY, OUTLET_TOKEN, "vtexappkey-testoutlet-GHIJKL",
                "TEST-OUTLET-VTEX-APP-TOKEN-never-stored");
        assertThat(new OpsClient(engineUrl(""), null).get("/ops/api/connections").status()).as("ops token").isEqualTo(401);
    }

    private long openOrders(String connection) {
        for (JsonNode item : ops.get("/ops/api/connections").json().get("items")) {
            if (item.get("id").asText().equals(connection)) {
                return item.get("openOrders").asLong();
            }
        }
        throw new AssertionError("no connection " + connection);
    }

    private static void assertUnauthorized(SellerClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(401);
        assertThat(answer.json().at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
    }

    private String simulation(int quantity) {
        return "{\"items\":[{\"id\":\"" + sku + "\",\"quantity\":" + quantity + ",\"seller\":\"1\"}],"
                + "\"country\":\"BRA\",\"postalCode\":\"22270-030\"}";
    }

    private ObjectNode order(String marketplaceOrderId) {
        ObjectNode order = SellerClient.fixture("order-placement.json");
        order.put("marketplaceOrderId", marketplaceOrderId);
        ((ObjectNode) order.at("/items/0")).put("id", sku).put("quantity", 2);
        return order;
    }

    private static String uniqueOrderId() {
        return System.nanoTime() + "-01";
    }
}
