package dev.vtexbridge.seller;

import java.time.Duration;
import java.util.UUID;

import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static dev.vtexbridge.seller.OrderEndpointsTest.offer;
import static dev.vtexbridge.seller.OrderEndpointsTest.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code receipt} of the fulfil and cancel answers (A3, A4): a string, as VTEX's schema types it, holding a GUID
 * that a repeated call on the same order and operation answers again, and that differs between fulfil and cancel.
 */
class OrderReceiptTest extends EngineTest {

    private static final String ORDERS = "/seller/pvt/orders";
    private static final String GUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

    @Autowired
    OfferProjection projection;
    @Autowired
    SellerCredentials credentials;
    @Autowired
    OrderLinks links;

    SellerClient vtex;
    String sku;

    @BeforeEach
    void seed() {
        vtex = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
        sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
        projection.upsert(offer(sku, 10));
    }

    @Test
    void repeatedCallsAnswerTheSameReceiptAndFulfilAndCancelDiffer() {
        String mkt = System.nanoTime() + "-01";
        String orderId = vtex.post(ORDERS, order(mkt, sku, 1)).json().get("orderId").asText();
        String body = "{\"marketplaceOrderId\":\"" + mkt + "\",\"marketplaceOrderGroup\":\"g\"}";

        String fulfil = receipt(vtex.post(ORDERS + "/" + orderId + "/fulfill", body));
        String fulfilAgain = receipt(vtex.post(ORDERS + "/" + orderId + "/fulfill", body));
        await().atMost(Duration.ofSeconds(10)).until(() -> links.find(orderId).orElseThrow().inErp());
        String cancel = receipt(vtex.post(ORDERS + "/" + orderId + "/cancel", body));
        String cancelAgain = receipt(vtex.post(ORDERS + "/" + mkt + "/cancel", body));

        assertThat(fulfil).matches(GUID).isEqualTo(fulfilAgain);
        assertThat(cancel).matches(GUID).isEqualTo(cancelAgain);
        assertThat(cancel).as("fulfil and cancel of one order").isNotEqualTo(fulfil);
    }

    @Test
    void ordersHaveReceiptsOfTheirOwn() {
        String first = System.nanoTime() + "-01";
        String second = System.nanoTime() + "-02";
        String firstId = vtex.post(ORDERS, order(first, sku, 1)).json().get("orderId").asText();
        String secondId = vtex.post(ORDERS, order(second, sku, 1)).json().get("orderId").asText();

        String a = receipt(vtex.post(ORDERS + "/" + firstId + "/cancel", "{\"marketplaceOrderId\":\"" + first + "\"}"));
        String b = receipt(vtex.post(ORDERS + "/" + secondId + "/cancel", "{\"marketplaceOrderId\":\"" + second + "\"}"));

        assertThat(a).matches(GUID).isNotEqualTo(b);
    }

    private static String receipt(SellerClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("receipt").isTextual()).as(answer.body()).isTrue();
        return answer.json().get("receipt").asText();
    }
}
