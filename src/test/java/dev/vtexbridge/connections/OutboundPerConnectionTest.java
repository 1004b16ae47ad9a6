package dev.vtexbridge.connections;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.StockSync;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OpsClient;
import dev.vtexbridge.testkit.OrderDriver;
import dev.vtexbridge.testkit.SellerClient;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outbound calls per connection, against two WireMock VTEX accounts: {@code default} (the single-account settings,
 * under {@code /vtex}) and the test profile's {@code outlet} (under {@code /vtex-outlet}, its own seller id and app
 * key/token). One ERP change is one notification to each; a 429 storm on one account defers only its own messages;
 * an order's calls to its marketplace's services endpoint go with its connection's credentials.
 */
class OutboundPerConnectionTest extends EngineTest {

    private static final String DEFAULT_NOTIFICATOR = "/vtex/api/notificator/bridgeseller/changenotification/";
    private static final String OUTLET_NOTIFICATOR = "/vtex-outlet/api/notificator/bridgeseller-outlet/changenotification/";

    @Autowired
    StockSync stockSync;
    @Autowired
    OfferProjection projection;
    @Autowired
    OrderLinks links;
    @Autowired
    ProducerTemplate producer;

    @BeforeEach
    void accounts() {
        remote.stubFor(post(urlMatching("/vtex/api/notificator/.*")).willReturn(aResponse().withStatus(202)));
    }

    @Test
    void oneErpStockChangeIsOneInventoryNotificationToEachAccountWithItsOwnCredentials() {
        String sku = "FAN-" + UUID.randomUUID().toString().substring(0, 8);
        OpsClient erp = new OpsClient(engineUrl(""), "test-erp-token");
        assertThat(erp.post("/erp/events/stock", "{\"sku\":\"" + sku + "\",\"warehouses\":{\"main\":8}}").status())
                .isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> told("default", sku) != null && told("outlet", sku) != null);
        await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).until(() ->
                notifications(DEFAULT_NOTIFICATOR, sku).size() == 1 && notifications(OUTLET_NOTIFICATOR, sku).size() == 1);

        LoggedRequest toDefault = notifications(DEFAULT_NOTIFICATOR, sku).get(0);
        assertThat(toDefault.getHeader("X-VTEX-API-AppKey")).isEqualTo("vtexappkey-testmarketplace-ABCDEF");
        assertThat(toDefault.getHeader("X-VTEX-API-AppToken")).isEqualTo(VTEX_APP_TOKEN);
        LoggedRequest toOutlet = notifications(OUTLET_NOTIFICATOR, sku).get(0);
        assertThat(toOutlet.getHeader("X-VTEX-API-AppKey")).isEqualTo("vtexappkey-testoutlet-GHIJKL");
        assertThat(toOutlet.getHeader("X-VTEX-API-AppToken")).isEqualTo("TEST-OUTLET-VTEX-APP-TOKEN-never-stored");
        // each is told its own share: default 8 − buffer 1 = 7; outlet 50 % of those 7, rounded down
        assertThat(told("default", sku)).isEqualTo(projection.find(sku).orElseThrow().stock()).isEqualTo(7);
        assertThat(told("outlet", sku)).isEqualTo(3);
        assertThat(remote.findAll(anyRequestedFor(urlMatching(".*/" + sku + "/inventory")))).as("the disabled connection is told nothing")
                .hasSize(2);
    }

    @Test
    void a429StormOnOneAccountDefersOnlyItsOwnNotifications() {
        String prefix = "STORM-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        List<String> skus = List.of(prefix + "a", prefix + "b", prefix + "c");
        remote.stubFor(post(urlMatching(OUTLET_NOTIFICATOR + prefix + ".*"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));

        stockSync.applyAll(skus.stream().map(sku -> stock(sku, 6)).toList());

        // default's marketplace is told every change while outlet's answers 429 to every attempt
        await().atMost(Duration.ofSeconds(10)).until(() -> skus.stream().allMatch(sku -> told("default", sku) != null));
        await().atMost(Duration.ofSeconds(10)).until(() -> skus.stream().allMatch(sku -> !notifications(OUTLET_NOTIFICATOR, sku).isEmpty()));
        assertThat(skus).allSatisfy(sku -> {
            assertThat(notifications(DEFAULT_NOTIFICATOR, sku)).hasSize(1);
            assertThat(told("outlet", sku)).as("outlet refused it: nothing recorded").isNull();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM deferred_delivery "
                + "WHERE route_id = 'offer-notifications' AND body LIKE ? AND headers LIKE '%BridgeConnection%outlet%'",
                Integer.class, "%" + prefix + "%") > 0);

        // the storm ends: outlet's deferred notifications go out and are recorded; default is not told again
        remote.removeStub(remote.getStubMappings().stream()
                .filter(stub -> stub.getResponse().getStatus() == 429).findFirst().orElseThrow());
        await().atMost(Duration.ofSeconds(15)).until(() -> skus.stream().allMatch(sku -> told("outlet", sku) != null));
        assertThat(skus).allSatisfy(sku -> assertThat(notifications(DEFAULT_NOTIFICATOR, sku)).hasSize(1));
    }

    @Test
    void anOutletOrdersInvoiceGoesToItsServicesEndpointWithOutletsCredentials() {
        remote.stubFor(any(urlPathMatching("/outlet-oms/api/oms/pvt/orders/.*"))
                .willReturn(okJson("{\"date\":\"2024-03-05T10:00:00Z\",\"orderId\":\"x\",\"receipt\":\"r-1\"}")));
        OrderDriver outletMarketplace = new OrderDriver(new SellerClient(engineUrl(""), "vtexappkey-outlet-endpoint",
                "TEST-OUTLET-ENDPOINT-TOKEN-never-stored"), projection, links, "/seller/outlet/pvt");
        OrderDriver.Placed order = outletMarketplace.placeFulfilAndAwaitErp(remote.baseUrl() + "/outlet-oms/api/oms?an=testoutlet");
        assertThat(links.find(order.orderId()).orElseThrow().connectionId()).isEqualTo("outlet");

        // a marketplace order id is unique only within its connection: the event names outlet's
        producer.sendBody("{{bridge.channels.erp-order-events}}", "{\"type\":\"invoice\",\"connection\":\"outlet\","
                + "\"marketplaceOrderId\":\""
                + order.marketplaceOrderId() + "\",\"invoice\":{\"type\":\"Output\",\"number\":\"NF-OUT-1\",\"value\":"
                + OrderDriver.ORDER_VALUE + ",\"items\":[{\"skuId\":\"" + order.sku() + "\",\"quantity\":2,\"price\":"
                + OrderDriver.UNIT_PRICE + "}]}}");

        String invoicePath = "/outlet-oms/api/oms/pvt/orders/" + order.marketplaceOrderId() + "/invoice";
        await().atMost(Duration.ofSeconds(15)).until(() -> !remote.findAll(postRequestedFor(urlPathEqualTo(invoicePath))).isEmpty());
        List<LoggedRequest> invoices = remote.findAll(postRequestedFor(urlPathEqualTo(invoicePath)));
        assertThat(invoices).hasSize(1);
        assertThat(invoices.get(0).getMethod()).isEqualTo(RequestMethod.POST);
        assertThat(invoices.get(0).getHeader("X-VTEX-API-AppKey")).isEqualTo("vtexappkey-testoutlet-GHIJKL");
        assertThat(invoices.get(0).getHeader("X-VTEX-API-AppToken")).isEqualTo("TEST-OUTLET-VTEX-APP-TOKEN-never-stored");
    }

    private static List<LoggedRequest> notifications(String notificator, String sku) {
        return remote.findAll(postRequestedFor(urlEqualTo(notificator + sku + "/inventory")));
    }

    /** The units the connection's marketplace was last told of the SKU (null: nothing yet). */
    private Integer told(String connection, String sku) {
        return jdbc.queryForObject("SELECT (SELECT notified_quantity FROM offer_notified WHERE connection_id = ? AND sku_id = ?)",
                Integer.class, connection, sku);
    }

    private static ErpChange stock(String sku, int units) {
        return new ErpChange(null, sku, null, null, null, null, null, null, Map.of("main", units));
    }
}
