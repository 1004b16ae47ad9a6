package dev.vtexbridge.seller;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.orders.OrderStatus;
import dev.vtexbridge.orders.SellerOrders;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferUpdate;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Order placement, fulfil and cancel (protocol A2–A4) over real HTTP, on the real database and broker. */
class OrderEndpointsTest extends EngineTest {

    private static final String ORDERS = "/seller/pvt/orders";

    @Autowired
    OfferProjection projection;
    @Autowired
    SellerOrders orders;
    @Autowired
    SellerCredentials credentials;
    @Autowired
    OrderLinks links;
    @Autowired
    @Qualifier("erpJdbc")
    NamedParameterJdbcTemplate erp;

    SellerClient vtex;
    String sku;

    @BeforeEach
    void seed() {
        vtex = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
        sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
        projection.upsert(offer(sku, 10));
    }

    @Test
    void placementAnswersTheOrderWithOurIdAndHoldsItsStock() {
        ObjectNode order = order(uniqueOrderId(), sku, 3);

        SellerClient.Answer placed = vtex.post(ORDERS, order);

        assertThat(placed.status()).isEqualTo(200);
        JsonNode answer = placed.json();
        assertThat(answer.isObject()).as("answered in the shape received").isTrue();
        assertThat(answer.get("orderId").asText()).startsWith("SO-");
        assertThat(answer.get("followUpEmail").asText()).contains("@");
        assertThat(answer.get("marketplaceOrderId").asText()).isEqualTo(order.get("marketplaceOrderId").asText());
        assertThat(answer.get("items")).isEqualTo(order.get("items"));
        assertThat(answer.get("clientProfileData")).isEqualTo(order.get("clientProfileData"));
        assertThat(answer.get("shippingData")).isEqualTo(order.get("shippingData"));
        assertThat(projection.find(sku).orElseThrow().available()).isEqualTo(7);
    }

    @Test
    void anArrayOfOrdersIsAnsweredAsAnArray() {
        String otherSku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
        projection.upsert(offer(otherSku, 5));
        ArrayNode body = new ObjectMapper().createArrayNode().add(order(uniqueOrderId(), sku, 1)).add(order(uniqueOrderId(), otherSku, 2));

        SellerClient.Answer placed = vtex.post(ORDERS, body);

        assertThat(placed.status()).isEqualTo(200);
        assertThat(placed.json().isArray()).isTrue();
        assertThat(placed.json()).hasSize(2);
        assertThat(placed.json().get(0).get("orderId").asText()).isNotEqualTo(placed.json().get(1).get("orderId").asText());
        assertThat(projection.find(otherSku).orElseThrow().available()).isEqualTo(3);
    }

    @Test
    void concurrentRepeatsOfOnePlacementCreateOneOrder() throws Exception {
        ObjectNode order = order(uniqueOrderId(), sku, 2);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<SellerClient.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Callable<SellerClient.Answer> placement = () -> {
                start.await();
                return vtex.post(ORDERS, order);
            };
            answers.add(pool.submit(placement));
        }
        start.countDown();
        Set<String> sellerIds = new HashSet<>();
        for (Future<SellerClient.Answer> answer : answers) {
            SellerClient.Answer placed = answer.get();
            assertThat(placed.status()).as(placed.body()).isEqualTo(200);
            sellerIds.add(placed.json().get("orderId").asText());
        }
        pool.shutdown();

        assertThat(sellerIds).hasSize(1);
        String mkt = order.get("marketplaceOrderId").asText();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM seller_order WHERE marketplace_order_id = ?", Integer.class, mkt)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM stock_reservation WHERE order_id = ?", Integer.class,
                sellerIds.iterator().next())).isEqualTo(1);
        assertThat(projection.find(sku).orElseThrow().available()).as("held once").isEqualTo(8);
    }

    @Test
    void refusalsUseVtexErrorShapeAndHoldNothing() {
        SellerClient.Answer unknown = vtex.post(ORDERS, order(uniqueOrderId(), "NO-SUCH-SKU-" + UUID.randomUUID(), 1));
        assertVtexError(unknown, 400, "ORD021");

        SellerClient.Answer noStock = vtex.post(ORDERS, order(uniqueOrderId(), sku, 11));
        assertVtexError(noStock, 400, "FMT002");
        assertThat(noStock.json().at("/error/message").asText()).contains("10 available");

        ObjectNode wrongSla = order(uniqueOrderId(), sku, 1);
        ((ObjectNode) wrongSla.at("/shippingData/logisticsInfo/0")).put("selectedSla", "Teleport");
        assertVtexError(vtex.post(ORDERS, wrongSla), 400, "FMT010");

        ObjectNode outdated = order(uniqueOrderId(), sku, 1);
        ((ObjectNode) outdated.get("shippingData")).put("updateStatus", "outdated");
        assertVtexError(vtex.post(ORDERS, outdated), 400, "FMT010");

        ObjectNode noId = order(uniqueOrderId(), sku, 1);
        noId.remove("marketplaceOrderId");
        SellerClient.Answer missing = vtex.post(ORDERS, noId);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/error/message").asText()).contains("marketplaceOrderId");

        ObjectNode zero = order(uniqueOrderId(), sku, 1);
        ((ObjectNode) zero.at("/items/0")).put("quantity", 0);
        assertThat(vtex.post(ORDERS, zero).json().at("/error/message").asText()).contains("items[0].quantity");

        ObjectNode wrongType = order(uniqueOrderId(), sku, 1);
        ((ObjectNode) wrongType.at("/items/0")).put("quantity", "two");
        SellerClient.Answer badType = vtex.post(ORDERS, wrongType);
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().at("/error/message").asText()).contains("items[0].quantity");

        assertThat(vtex.post(ORDERS, "{\"marketplaceOrderId\": ").status()).isEqualTo(400);
        assertThat(vtex.post(ORDERS, "[]").status()).isEqualTo(400);
        assertThat(projection.find(sku).orElseThrow().available()).as("nothing held").isEqualTo(10);
    }

    @Test
    void fulfilHandsTheOrderToTheErpOnce() {
        String mkt = uniqueOrderId();
        String orderId = vtex.post(ORDERS, order(mkt, sku, 4)).json().get("orderId").asText();

        SellerClient.Answer fulfilled = vtex.post(ORDERS + "/" + orderId + "/fulfill",
                "{\"marketplaceOrderId\":\"" + mkt + "\",\"marketplaceOrderGroup\":\"g\"}");

        assertThat(fulfilled.status()).isEqualTo(200);
        JsonNode receipt = fulfilled.json();
        assertThat(receipt.get("orderId").asText()).isEqualTo(orderId);
        assertThat(receipt.get("marketplaceOrderId").asText()).isEqualTo(mkt);
        assertThat(receipt.get("date").asText()).isNotBlank();
        assertThat(receipt.has("receipt")).isTrue();
        assertThat(orders.statusOf(orderId)).contains(OrderStatus.READY_FOR_HANDLING);

        await().atMost(Duration.ofSeconds(10)).until(() -> links.find(orderId).orElseThrow().inErp());
        assertThat(erpOrders(mkt)).as("written to the ERP's order table").isEqualTo(1);
        // still held once the ERP has the order, until the ERP's stock shows it (HandoverHoldTest)
        assertThat(projection.find(sku).orElseThrow().available()).isEqualTo(6);
        assertThat(jdbc.queryForList("SELECT status FROM stock_reservation WHERE order_id = ?", String.class, orderId))
                .containsExactly("HANDED_OVER");

        assertThat(vtex.post(ORDERS + "/" + orderId + "/fulfill", "{\"marketplaceOrderId\":\"" + mkt + "\"}").status())
                .as("repeats are harmless").isEqualTo(200);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> erpOrders(mkt) == 1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM order_event WHERE order_id = ? AND event = 'ERP_WRITE'",
                Integer.class, orderId)).as("handed over once").isEqualTo(1);
    }

    private int erpOrders(String marketplaceOrderId) {
        return erp.queryForObject("SELECT COUNT(*) FROM erp_order WHERE marketplace_order_id = :id",
                Map.of("id", marketplaceOrderId), Integer.class);
    }

    @Test
    void cancelReleasesTheStockAndRepeatsAreHarmless() {
        String mkt = uniqueOrderId();
        String orderId = vtex.post(ORDERS, order(mkt, sku, 6)).json().get("orderId").asText();
        assertThat(projection.find(sku).orElseThrow().available()).isEqualTo(4);

        String cancellation = "{\"marketplaceOrderId\":\"" + mkt + "\",\"marketplaceOrderGroup\":\"g\","
                + "\"cancellationRequestId\":\"c1\",\"cancellationRequestDate\":\"2024-03-04T15:45:02.1306363+00:00\","
                + "\"reason\":\"Customer asked\",\"requestedByUser\":true}";
        SellerClient.Answer cancelled = vtex.post(ORDERS + "/" + orderId + "/cancel", cancellation);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("orderId").asText()).isEqualTo(orderId);
        assertThat(cancelled.json().get("marketplaceOrderId").asText()).isEqualTo(mkt);
        assertThat(projection.find(sku).orElseThrow().available()).isEqualTo(10);
        assertThat(orders.statusOf(orderId)).contains(OrderStatus.CANCELED);

        SellerClient.Answer byMarketplaceId = vtex.post(ORDERS + "/" + mkt + "/cancel", "{\"marketplaceOrderId\":\"" + mkt + "\"}");
        assertThat(byMarketplaceId.status()).as("repeat, addressed by the marketplace id").isEqualTo(200);
        assertThat(projection.find(sku).orElseThrow().available()).as("released once").isEqualTo(10);

        assertVtexError(vtex.post(ORDERS + "/" + orderId + "/fulfill", "{\"marketplaceOrderId\":\"" + mkt + "\"}"), 409, "ORD_CANCELED");
        assertThat(vtex.post(ORDERS + "/SO-NOPE/cancel", "{\"marketplaceOrderId\":\"nope\"}").status()).isEqualTo(404);
        assertThat(vtex.post(ORDERS + "/SO-NOPE/fulfill", "{\"marketplaceOrderId\":\"nope\"}").status()).isEqualTo(404);
        assertThat(vtex.post(ORDERS + "/" + orderId + "/cancel", "{}").status()).isEqualTo(400);
    }

    @Test
    void anExpiredReservationGivesTheStockBack() {
        ObjectNode order = order(uniqueOrderId(), sku, 5);
        ((ObjectNode) order.at("/shippingData/logisticsInfo/0")).put("lockTTL", "1s");
        String orderId = vtex.post(ORDERS, order).json().get("orderId").asText();
        assertThat(projection.find(sku).orElseThrow().available()).isEqualTo(5);

        // the in-memory projection takes the release right after the expiry's commit, so wait for both
        await().atMost(Duration.ofSeconds(10)).until(() -> orders.statusOf(orderId).orElseThrow() == OrderStatus.EXPIRED
                && projection.find(sku).orElseThrow().available() == 10);

        SellerClient.Answer lateFulfil = vtex.post(ORDERS + "/" + orderId + "/fulfill",
                "{\"marketplaceOrderId\":\"" + order.get("marketplaceOrderId").asText() + "\"}");
        assertThat(lateFulfil.status()).as("a late fulfil holds the stock again")
                .isEqualTo(200);
        assertThat(orders.statusOf(orderId)).contains(OrderStatus.READY_FOR_HANDLING);
        await().atMost(Duration.ofSeconds(10)).until(() -> links.find(orderId).orElseThrow().inErp());
    }

    @Test
    void everyOrderEndpointRefusesWrongCredentials() {
        SellerClient stranger = new SellerClient(engineUrl(""), credentials.appKey(), "wrong-token");
        for (String path : List.of(ORDERS, ORDERS + "/SO-1/fulfill", ORDERS + "/SO-1/cancel")) {
            SellerClient.Answer refused = stranger.post(path, "{}");
            assertThat(refused.status()).as(path).isEqualTo(401);
            assertThat(refused.json().at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
        }
    }

    private static void assertVtexError(SellerClient.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().at("/error/code").asText()).isEqualTo(code);
        assertThat(answer.json().at("/error/message").asText()).isNotBlank();
        assertThat(answer.json().get("error").has("exception")).isTrue();
        assertThat(answer.header("x-vtex-error-code")).isEqualTo(code);
        assertThat(answer.header("x-vtex-error-message")).isNotBlank();
    }

    static ObjectNode order(String marketplaceOrderId, String sku, int quantity) {
        ObjectNode order = SellerClient.fixture("order-placement.json");
        order.put("marketplaceOrderId", marketplaceOrderId);
        ((ObjectNode) order.at("/items/0")).put("id", sku).put("quantity", quantity);
        return order;
    }

    static OfferUpdate offer(String sku, int stock) {
        return new OfferUpdate(sku, 4990L, 5990L, null, true, "un", 1, 300, new BigDecimal("2"), new BigDecimal("30"),
                new BigDecimal("40"), Map.of("main", stock));
    }

    private static String uniqueOrderId() {
        return System.nanoTime() + "-01";
    }
}
