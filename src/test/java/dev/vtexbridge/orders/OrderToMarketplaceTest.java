package dev.vtexbridge.orders;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vtexbridge.seller.SellerCredentials;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.ErpRows;
import dev.vtexbridge.testkit.OpsClient;
import dev.vtexbridge.testkit.OrderDriver;
import dev.vtexbridge.testkit.OrderDriver.Placed;
import dev.vtexbridge.testkit.SellerClient;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.vtexbridge.testkit.OrderDriver.ORDER_VALUE;
import static dev.vtexbridge.testkit.OrderDriver.UNIT_PRICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the ERP does with an order reaches the marketplace once, in order and in cents: the ERP tables (polled by the
 * SQL trigger) or canonical events on the channel become calls to the order's services endpoint (WireMock playing a
 * VTEX OMS), under the state machine and the error policy, all visible on the order's timeline. Two marketplaces
 * (connections default and outlet) using one marketplace order id have an ERP order each, and each its own events.
 */
class OrderToMarketplaceTest extends EngineTest {

    private static final String RECEIPT = "{\"date\":\"2024-03-05T10:00:00Z\",\"orderId\":\"x\",\"receipt\":\"r-1\"}";

    @Autowired
    OfferProjection projection;
    @Autowired
    OrderLinks links;
    @Autowired
    SellerCredentials credentials;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    @Qualifier("erpJdbc")
    NamedParameterJdbcTemplate erpJdbc;

    OrderDriver marketplace;
    ErpRows erp;
    OpsClient ops;
    String servicesEndpoint;
    String outletServicesEndpoint;

    @BeforeEach
    void setUp() {
        marketplace = new OrderDriver(new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken()),
                projection, links);
        erp = new ErpRows(erpJdbc);
        ops = new OpsClient(engineUrl(""), OPS_TOKEN);
        servicesEndpoint = remote.baseUrl() + "/api/oms?an=mymkp";
        remote.stubFor(any(urlPathMatching("/api/oms/pvt/orders/.*")).atPriority(10).willReturn(okJson(RECEIPT)));
        // connection outlet's marketplace (the test profile's second one) has its own services endpoint
        outletServicesEndpoint = remote.baseUrl() + "/outlet-oms/api/oms?an=testoutlet";
        remote.stubFor(any(urlPathMatching("/outlet-oms/api/oms/pvt/orders/.*")).atPriority(10).willReturn(okJson(RECEIPT)));
    }

    @Test
    void invoiceTrackingAndDeliveryReachTheServicesEndpointOnceInCents() {
        Placed order = marketplace.placeFulfilAndAwaitErp(servicesEndpoint);
        String invoicePath = "/api/oms/pvt/orders/" + order.marketplaceOrderId() + "/invoice";

        erp.invoice(order.erpOrderId(), "NF-" + order.erpOrderId(), "Output", order.sku(), 2, UNIT_PRICE, ORDER_VALUE);

        LoggedRequest invoice = awaitOne(RequestMethod.POST, invoicePath);
        assertThat(invoice.getUrl()).as("services endpoint query kept").endsWith("?an=mymkp");
        JsonNode body = json(invoice);
        assertThat(body.get("type").asText()).isEqualTo("Output");
        assertThat(body.get("invoiceNumber").asText()).isEqualTo("NF-" + order.erpOrderId());
        assertThat(body.get("invoiceValue").isIntegralNumber()).as("integer cents").isTrue();
        assertThat(body.get("invoiceValue").asLong()).isEqualTo(ORDER_VALUE);
        assertThat(body.get("issuanceDate").asText()).isNotBlank();
        assertThat(body.get("invoiceKey").asText()).isEqualTo("KEY-NF-" + order.erpOrderId());
        assertThat(body.get("invoiceUrl").asText()).startsWith("https://");
        assertThat(body.get("trackingNumber").asText()).isEmpty();
        assertThat(body.at("/items/0/id").asText()).isEqualTo(order.sku());
        assertThat(body.at("/items/0/quantity").asInt()).isEqualTo(2);
        assertThat(body.at("/items/0/price").isIntegralNumber()).isTrue();
        assertThat(body.at("/items/0/price").asLong()).isEqualTo(UNIT_PRICE);

        // The same ERP invoice event again (say, a replay of the ERP's topic): absorbed by the order_outbound key.
        sendEvent("{\"type\":\"invoice\",\"erpOrderId\":\"" + order.erpOrderId() + "\",\"invoice\":{\"type\":\"Output\","
                + "\"number\":\"NF-" + order.erpOrderId() + "\",\"value\":" + ORDER_VALUE + ",\"items\":[{\"skuId\":\""
                + order.sku() + "\",\"quantity\":2,\"price\":" + UNIT_PRICE + "}]}}");

        erp.shipment(order.erpOrderId(), "NF-" + order.erpOrderId(), "BR123");
        LoggedRequest tracking = awaitOne(RequestMethod.PATCH, invoicePath + "/NF-" + order.erpOrderId());
        assertThat(tracking.getUrl()).endsWith("?an=mymkp");
        assertThat(json(tracking).get("courier").asText()).isEqualTo("Correios");
        assertThat(json(tracking).get("trackingNumber").asText()).isEqualTo("BR123");
        assertThat(json(tracking).get("dispatchedDate").asText()).isNotBlank();

        erp.delivered(order.erpOrderId(), "NF-" + order.erpOrderId());
        LoggedRequest delivered = awaitOne(RequestMethod.PUT, invoicePath + "/NF-" + order.erpOrderId() + "/tracking");
        assertThat(json(delivered).get("isDelivered").asBoolean()).isTrue();
        assertThat(json(delivered).at("/events/0/city").asText()).isEqualTo("Rio de Janeiro");

        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                .until(() -> requests(RequestMethod.POST, invoicePath).size() == 1);
        JsonNode timeline = awaitTimeline(order.erpOrderId(), "DELIVERED");
        assertThat(timeline.get("marketplaceOrderId").asText()).isEqualTo(order.marketplaceOrderId());
        assertThat(timeline.get("erpOrderId").asText()).isEqualTo(order.erpOrderId());
        assertThat(events(timeline)).contains("PLACEMENT ACCEPTED", "FULFIL ACCEPTED", "ERP_WRITE DONE", "INVOICE ACCEPTED",
                "TRACKING ACCEPTED", "TRACKING_STATUS ACCEPTED", "MARKETPLACE_CALL DONE");
        assertThat(timeline.get("pending")).isEmpty();
        assertThat(ops.get("/ops/api/orders/" + order.marketplaceOrderId()).json().get("orderId").asText())
                .isEqualTo(order.orderId());
        assertThat(ops.get("/ops/api/orders/" + order.orderId()).json().get("status").asText()).isEqualTo("DELIVERED");
    }

    @Test
    void partialInvoicesPerPackageInvoiceTheOrderOnceTheyCoverItsValue() {
        Placed order = marketplace.placeFulfilAndAwaitErp(servicesEndpoint);

        sendEvent(invoiceEvent(order, "PKG-1", "Output", 1, UNIT_PRICE));
        awaitTimeline(order.orderId(), "PARTIALLY_INVOICED");
        sendEvent(invoiceEvent(order, "PKG-2", "Output", 1, ORDER_VALUE - UNIT_PRICE));

        JsonNode timeline = awaitTimeline(order.orderId(), "INVOICED");
        assertThat(timeline.get("invoicedValue").asLong()).isEqualTo(ORDER_VALUE);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                requests(RequestMethod.POST, "/api/oms/pvt/orders/" + order.marketplaceOrderId() + "/invoice").size() == 2);
        assertThat(requests(RequestMethod.POST, "/api/oms/pvt/orders/" + order.marketplaceOrderId() + "/invoice").stream()
                .map(request -> json(request).get("invoiceValue").asLong()).toList())
                .containsExactlyInAnyOrder(UNIT_PRICE, ORDER_VALUE - UNIT_PRICE);
    }

    @Test
    void servicesEndpoint5xxAnd429AreRetriedPerTheErrorPolicy() {
        Placed flaky = marketplace.placeFulfilAndAwaitErp(servicesEndpoint);
        Placed limited = marketplace.placeFulfilAndAwaitErp(servicesEndpoint);
        String flakyPath = "/api/oms/pvt/orders/" + flaky.marketplaceOrderId() + "/invoice";
        String limitedPath = "/api/oms/pvt/orders/" + limited.marketplaceOrderId() + "/invoice";
        remote.stubFor(post(urlPathEqualTo(flakyPath)).inScenario(flakyPath).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        remote.stubFor(post(urlPathEqualTo(flakyPath)).inScenario(flakyPath).whenScenarioStateIs("up").willReturn(okJson(RECEIPT)));
        remote.stubFor(post(urlPathEqualTo(limitedPath)).inScenario(limitedPath).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("allowed"));
        remote.stubFor(post(urlPathEqualTo(limitedPath)).inScenario(limitedPath).whenScenarioStateIs("allowed")
                .willReturn(okJson(RECEIPT)));

        sendEvent(invoiceEvent(flaky, "NF-A", "Output", 2, UNIT_PRICE));
        sendEvent(invoiceEvent(limited, "NF-B", "Output", 2, UNIT_PRICE));

        await().atMost(Duration.ofSeconds(15)).until(() -> requests(RequestMethod.POST, flakyPath).size() == 2
                && requests(RequestMethod.POST, limitedPath).size() == 2);
        List<LoggedRequest> limitedCalls = requests(RequestMethod.POST, limitedPath);
        assertThat(limitedCalls.get(1).getLoggedDate().getTime() - limitedCalls.get(0).getLoggedDate().getTime())
                .as("waited for Retry-After").isGreaterThanOrEqualTo(1000);
        awaitPendingEmpty(flaky.orderId());
        awaitPendingEmpty(limited.orderId());
        assertThat(failedRowsOf(flaky.orderId()) + failedRowsOf(limited.orderId())).isZero();
    }

    @Test
    void aRefusedCallIsStoredAndItsReplayDeliversItOnceBeforeTheTrackingThatWaited() {
        Placed order = marketplace.placeFulfilAndAwaitErp(servicesEndpoint);
        String invoicePath = "/api/oms/pvt/orders/" + order.marketplaceOrderId() + "/invoice";
        remote.stubFor(post(urlPathEqualTo(invoicePath)).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":{\"message\":\"invoiceValue mismatch\"}}")));

        erp.invoice(order.erpOrderId(), "NF-R", "Output", order.sku(), 2, UNIT_PRICE, ORDER_VALUE);
        await().atMost(Duration.ofSeconds(10)).until(() -> failedRowsOf(order.orderId()) == 1);
        JsonNode failed = ops.get("/ops/api/failed?route=marketplace-calls&error=" + order.marketplaceOrderId()).json()
                .get("items").get(0);
        assertThat(failed.get("httpStatus").asInt()).isEqualTo(400);
        assertThat(requests(RequestMethod.POST, invoicePath)).as("a 400 is not redelivered").hasSize(1);
        JsonNode timeline = ops.get("/ops/api/orders/" + order.orderId()).json();
        assertThat(events(timeline)).contains("MARKETPLACE_CALL FAILED");
        assertThat(timeline.get("pending").get(0).get("status").asText()).isEqualTo("FAILED");

        // Tracking arrives meanwhile: it waits behind its invoice instead of reaching VTEX first.
        erp.shipment(order.erpOrderId(), "NF-R", "BR-R");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() ->
                requests(RequestMethod.PATCH, invoicePath + "/NF-R").isEmpty());

        remote.stubFor(post(urlPathEqualTo(invoicePath)).willReturn(okJson(RECEIPT)));
        assertThat(ops.post("/ops/api/failed/" + failed.get("id").asLong() + "/replay").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> requests(RequestMethod.PATCH, invoicePath + "/NF-R").size() == 1);
        assertThat(requests(RequestMethod.POST, invoicePath)).as("delivered once after the replay").hasSize(2);
        List<LoggedRequest> all = remote.findAll(anyRequestedFor(urlPathMatching(invoicePath + ".*")));
        assertThat(all.get(all.size() - 1).getMethod()).as("tracking after its invoice").isEqualTo(RequestMethod.PATCH);
        awaitPendingEmpty(order.orderId());
        assertThat(events(ops.get("/ops/api/orders/" + order.orderId()).json()))
                .contains("MARKETPLACE_CALL REPLAYED", "MARKETPLACE_CALL DONE");
        assertThat(ops.post("/ops/api/failed/" + failed.get("id").asLong() + "/replay").status()).isEqualTo(409);
    }

    @Test
    void theSellerCancelsAReadyOrderButNotAnInvoicedOneWithoutAReturnInvoice() {
        Placed ready = marketplace.placeFulfilAndAwaitErp(servicesEndpoint);
        erp.sellerCancellation(ready.erpOrderId(), "Out of stock");
        LoggedRequest cancel = awaitOne(RequestMethod.POST, "/api/oms/pvt/orders/" + ready.marketplaceOrderId() + "/cancel");
        assertThat(json(cancel).get("reason").asText()).isEqualTo("Out of stock");
        awaitTimeline(ready.orderId(), "CANCELED");

        Placed invoiced = marketplace.placeFulfilAndAwaitErp(servicesEndpoint);
        String cancelPath = "/api/oms/pvt/orders/" + invoiced.marketplaceOrderId() + "/cancel";
        erp.invoice(invoiced.erpOrderId(), "NF-C", "Output", invoiced.sku(), 2, UNIT_PRICE, ORDER_VALUE);
        awaitTimeline(invoiced.orderId(), "INVOICED");
        erp.sellerCancellation(invoiced.erpOrderId(), "Customer changed mind");

        await().atMost(Duration.ofSeconds(10)).until(() -> events(ops.get("/ops/api/orders/" + invoiced.orderId()).json())
                .contains("SELLER_CANCEL REFUSED"));
        JsonNode refused = entry(ops.get("/ops/api/orders/" + invoiced.orderId()).json(), "SELLER_CANCEL");
        assertThat(refused.get("detail").asText()).contains("return (Input) invoice");
        assertThat(refused.get("statusAfter").asText()).isEqualTo("INVOICED");
        assertThat(requests(RequestMethod.POST, cancelPath)).isEmpty();

        // With the return invoice first, the seller's cancellation goes through.
        erp.invoice(invoiced.erpOrderId(), "NF-C-RET", "Input", invoiced.sku(), 2, UNIT_PRICE, ORDER_VALUE);
        awaitTimeline(invoiced.orderId(), "RETURNED");
        erp.sellerCancellation(invoiced.erpOrderId(), "Returned");
        awaitOne(RequestMethod.POST, cancelPath);
        awaitTimeline(invoiced.orderId(), "CANCELED");
        assertThat(requests(RequestMethod.POST, "/api/oms/pvt/orders/" + invoiced.marketplaceOrderId() + "/invoice").stream()
                .map(request -> json(request).get("type").asText()).toList()).containsExactly("Output", "Input");
    }

    @Test
    void aMarketplaceCancellationAfterFulfilReachesTheErpAndOneAfterInvoiceIsRefused() {
        Placed order = marketplace.placeFulfilAndAwaitErp(servicesEndpoint);
        SellerClient vtex = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());

        assertThat(vtex.post("/seller/pvt/orders/" + order.orderId() + "/cancel", "{\"marketplaceOrderId\":\""
                + order.marketplaceOrderId() + "\",\"reason\":\"Customer asked\"}").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> "CANCELLED".equals(erpJdbc.queryForObject(
                "SELECT status FROM erp_order WHERE erp_order_id = :id",
                java.util.Map.of("id", Long.parseLong(order.erpOrderId())), String.class)));
        assertThat(events(ops.get("/ops/api/orders/" + order.orderId()).json()))
                .contains("MARKETPLACE_CANCEL ACCEPTED", "ERP_CANCEL DONE");

        Placed invoiced = marketplace.placeFulfilAndAwaitErp(servicesEndpoint);
        sendEvent(invoiceEvent(invoiced, "NF-M", "Output", 2, ORDER_VALUE));
        awaitTimeline(invoiced.orderId(), "INVOICED");
        SellerClient.Answer late = vtex.post("/seller/pvt/orders/" + invoiced.orderId() + "/cancel",
                "{\"marketplaceOrderId\":\"" + invoiced.marketplaceOrderId() + "\"}");
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.body()).as("not accepted: the invoice is the refusal").isEmpty();
        assertThat(events(ops.get("/ops/api/orders/" + invoiced.orderId()).json())).contains("MARKETPLACE_CANCEL REFUSED");
    }

    @Test
    void twoMarketplacesUsingOneMarketplaceOrderIdAreTwoErpOrdersAndEachGetsItsOwnEvents() {
        String marketplaceOrderId = System.nanoTime() + "-01";
        Placed onDefault = marketplace.placeFulfilAndAwaitErp(servicesEndpoint, marketplaceOrderId);
        Placed onOutlet = outletMarketplace().placeFulfilAndAwaitErp(outletServicesEndpoint, marketplaceOrderId);

        // two ERP orders, each with its connection
        assertThat(onOutlet.erpOrderId()).isNotEqualTo(onDefault.erpOrderId());
        assertThat(erpOrders(marketplaceOrderId)).containsExactlyInAnyOrder(
                onDefault.erpOrderId() + " default " + onDefault.orderId() + " NEW",
                onOutlet.erpOrderId() + " outlet " + onOutlet.orderId() + " NEW");

        // The ERP invoices both in its tables: each invoice goes to its own order's marketplace, with its credentials.
        erp.invoice(onOutlet.erpOrderId(), "NF-OUT", "Output", onOutlet.sku(), 2, UNIT_PRICE, ORDER_VALUE);
        erp.invoice(onDefault.erpOrderId(), "NF-DEF", "Output", onDefault.sku(), 2, UNIT_PRICE, ORDER_VALUE);
        String outletInvoice = "/outlet-oms/api/oms/pvt/orders/" + marketplaceOrderId + "/invoice";
        String defaultInvoice = "/api/oms/pvt/orders/" + marketplaceOrderId + "/invoice";
        LoggedRequest toOutlet = awaitOne(RequestMethod.POST, outletInvoice);
        assertThat(json(toOutlet).get("invoiceNumber").asText()).isEqualTo("NF-OUT");
        assertThat(toOutlet.getHeader("X-VTEX-API-AppKey")).isEqualTo("vtexappkey-testoutlet-GHIJKL");
        LoggedRequest toDefault = awaitOne(RequestMethod.POST, defaultInvoice);
        assertThat(json(toDefault).get("invoiceNumber").asText()).isEqualTo("NF-DEF");
        assertThat(toDefault.getHeader("X-VTEX-API-AppKey")).isEqualTo("vtexappkey-testmarketplace-ABCDEF");

        // Events by marketplace order id: one naming connection outlet is outlet's order, one naming none default's.
        sendEvent(trackingEvent("\"connection\":\"outlet\",", marketplaceOrderId, "NF-OUT", "BR-OUT"));
        sendEvent(trackingEvent("", marketplaceOrderId, "NF-DEF", "BR-DEF"));
        assertThat(json(awaitOne(RequestMethod.PATCH, outletInvoice + "/NF-OUT")).get("trackingNumber").asText())
                .isEqualTo("BR-OUT");
        assertThat(json(awaitOne(RequestMethod.PATCH, defaultInvoice + "/NF-DEF")).get("trackingNumber").asText())
                .isEqualTo("BR-DEF");
        awaitTimeline(onOutlet.orderId(), "SHIPPED");
        awaitTimeline(onDefault.orderId(), "SHIPPED");

        // An event naming a connection the configuration does not have goes to the failed-message store, saying so.
        sendEvent("{\"type\":\"cancellation\",\"connection\":\"nowhere\",\"marketplaceOrderId\":\"" + marketplaceOrderId
                + "\",\"cancellation\":{\"reason\":\"Out of stock\"}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM failed_message "
                + "WHERE route_id = 'erp-order-events-apply' AND body LIKE ?", Integer.class, "%" + marketplaceOrderId + "%") == 1);
        assertThat(jdbc.queryForObject("SELECT error_message FROM failed_message WHERE route_id = 'erp-order-events-apply' "
                + "AND body LIKE ?", String.class, "%" + marketplaceOrderId + "%"))
                .contains("connection 'nowhere', which is not configured").contains("outlet");
        assertThat(remote.findAll(anyRequestedFor(urlPathMatching(".*/orders/" + marketplaceOrderId + "/cancel")))).isEmpty();
    }

    @Test
    void aMarketplaceCancellationCancelsOnlyItsConnectionsErpOrder() {
        String marketplaceOrderId = System.nanoTime() + "-01";
        Placed onDefault = marketplace.placeFulfilAndAwaitErp(servicesEndpoint, marketplaceOrderId);
        Placed onOutlet = outletMarketplace().placeFulfilAndAwaitErp(outletServicesEndpoint, marketplaceOrderId);

        SellerClient outlet = new SellerClient(engineUrl(""), OUTLET_ENDPOINT_KEY, OUTLET_ENDPOINT_TOKEN);
        assertThat(outlet.post("/seller/outlet/pvt/orders/" + onOutlet.orderId() + "/cancel", "{\"marketplaceOrderId\":\""
                + marketplaceOrderId + "\",\"reason\":\"Customer asked\"}").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> erpOrders(marketplaceOrderId).contains(
                onOutlet.erpOrderId() + " outlet " + onOutlet.orderId() + " CANCELLED"));
        assertThat(erpOrders(marketplaceOrderId)).contains(onDefault.erpOrderId() + " default " + onDefault.orderId() + " NEW");
    }

    @Test
    void ordersAreListedWithFiltersAndNeedTheOpsToken() {
        Placed order = marketplace.placeFulfilAndAwaitErp(servicesEndpoint);

        JsonNode ready = ops.get("/ops/api/orders?status=READY_FOR_HANDLING&size=500").json();
        assertThat(ready.get("items").findValuesAsText("orderId")).contains(order.orderId());
        assertThat(ready.get("items").findValuesAsText("status")).containsOnly("READY_FOR_HANDLING");
        assertThat(ops.get("/ops/api/orders?status=CANCELED&size=500").json().get("items").findValuesAsText("orderId"))
                .doesNotContain(order.orderId());
        assertThat(ops.get("/ops/api/orders/NO-SUCH-ORDER").status()).isEqualTo(404);
        assertThat(new OpsClient(engineUrl(""), null).get("/ops/api/orders").status()).isEqualTo(401);

        // Searched by any of its ids, or by the start of one.
        for (String id : List.of(order.marketplaceOrderId(), order.orderId(), order.erpOrderId(),
                order.marketplaceOrderId().substring(0, order.marketplaceOrderId().length() - 3))) {
            assertThat(ops.get("/ops/api/orders?size=500&id=" + id).json().get("items").findValuesAsText("orderId"))
                    .as("search by %s", id).contains(order.orderId());
        }
        assertThat(ops.get("/ops/api/orders?id=NO-SUCH-ORDER").json().get("total").asLong()).isZero();
        assertThat(ops.get("/ops/api/orders?id=%25").json().get("total").asLong()).as("% is no wildcard").isZero();

        // Sorted by the server; newest first by default.
        List<OffsetDateTime> oldestFirst = ops.get("/ops/api/orders?size=500&sort=createdAt,asc").json().get("items")
                .findValuesAsText("createdAt").stream().map(OffsetDateTime::parse).toList();
        assertThat(oldestFirst).hasSizeGreaterThan(1).isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(ops.get("/ops/api/orders?size=500").json().get("items").findValuesAsText("orderId"))
                .containsExactlyElementsOf(ops.get("/ops/api/orders?size=500&sort=createdAt,desc").json().get("items")
                        .findValuesAsText("orderId"));
        assertThat(ops.get("/ops/api/orders?size=500&sort=status").json().get("items").findValuesAsText("status")).isSorted();
        OpsClient.Answer badSort = ops.get("/ops/api/orders?sort=customer");
        assertThat(badSort.status()).isEqualTo(400);
        assertThat(badSort.json().get("message").asText()).contains("marketplaceOrderId");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static final String OUTLET_ENDPOINT_KEY = "vtexappkey-outlet-endpoint";
    private static final String OUTLET_ENDPOINT_TOKEN = "TEST-OUTLET-ENDPOINT-TOKEN-never-stored";

    /** The test profile's second marketplace, connection outlet, on its own seller path. */
    private OrderDriver outletMarketplace() {
        return new OrderDriver(new SellerClient(engineUrl(""), OUTLET_ENDPOINT_KEY, OUTLET_ENDPOINT_TOKEN), projection, links,
                "/seller/outlet/pvt");
    }

    /** The ERP orders of a marketplace order id: "erpOrderId connection sellerOrderId status" each. */
    private List<String> erpOrders(String marketplaceOrderId) {
        return erpJdbc.query("SELECT erp_order_id, connection_id, seller_order_id, status FROM erp_order "
                        + "WHERE marketplace_order_id = :id", java.util.Map.of("id", marketplaceOrderId),
                (rs, n) -> rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
    }

    private static String trackingEvent(String connection, String marketplaceOrderId, String invoiceNumber, String trackingNumber) {
        return "{\"type\":\"tracking\"," + connection + "\"marketplaceOrderId\":\"" + marketplaceOrderId + "\",\"tracking\":{"
                + "\"invoiceNumber\":\"" + invoiceNumber + "\",\"courier\":\"Correios\",\"trackingNumber\":\"" + trackingNumber
                + "\"}}";
    }

    private void sendEvent(String eventJson) {
        producer.sendBody("{{bridge.channels.erp-order-events}}", eventJson);
    }

    private static String invoiceEvent(Placed order, String number, String type, int quantity, long value) {
        return "{\"type\":\"invoice\",\"marketplaceOrderId\":\"" + order.marketplaceOrderId() + "\",\"invoice\":{"
                + "\"type\":\"" + type + "\",\"number\":\"" + number + "\",\"value\":" + value + ",\"items\":[{\"skuId\":\""
                + order.sku() + "\",\"quantity\":" + quantity + ",\"price\":" + UNIT_PRICE + "}]}}";
    }

    private LoggedRequest awaitOne(RequestMethod method, String path) {
        await().atMost(Duration.ofSeconds(15)).until(() -> requests(method, path).size() == 1);
        return requests(method, path).get(0);
    }

    private static List<LoggedRequest> requests(RequestMethod method, String path) {
        return remote.findAll(anyRequestedFor(urlPathEqualTo(path))).stream()
                .filter(request -> request.getMethod().equals(method)).toList();
    }

    private JsonNode awaitTimeline(String id, String status) {
        await().atMost(Duration.ofSeconds(15)).until(() ->
                status.equals(ops.get("/ops/api/orders/" + id).json().get("status").asText()));
        return ops.get("/ops/api/orders/" + id).json();
    }

    private void awaitPendingEmpty(String orderId) {
        await().atMost(Duration.ofSeconds(15)).until(() -> ops.get("/ops/api/orders/" + orderId).json().get("pending").isEmpty());
    }

    private long failedRowsOf(String orderId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM failed_message WHERE status = 'FAILED' AND headers LIKE ?",
                Long.class, "%\"orderId\":\"" + orderId + "\"%");
    }

    private static List<String> events(JsonNode timeline) {
        List<String> events = new java.util.ArrayList<>();
        timeline.get("events").forEach(e -> events.add(e.get("event").asText() + " " + e.get("outcome").asText()));
        return events;
    }

    private static JsonNode entry(JsonNode timeline, String event) {
        for (JsonNode e : timeline.get("events")) {
            if (e.get("event").asText().equals(event)) {
                return e;
            }
        }
        throw new AssertionError("no " + event + " in " + timeline);
    }

    private static JsonNode json(LoggedRequest request) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(request.getBodyAsString());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
