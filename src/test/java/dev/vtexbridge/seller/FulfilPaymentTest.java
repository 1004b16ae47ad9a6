package dev.vtexbridge.seller;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.orders.ErpHandover;
import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The payment data a marketplace shares on /fulfill (vtex-protocol.md §2.4, "share payment data"): its listed fields
 * are stored with the order and forwarded in the ERP order message as {@code payment}; card data never is, nor logged,
 * nor kept in the failed-message store.
 */
class FulfilPaymentTest extends EngineTest {

    private static final String ORDERS = "/seller/pvt/orders";
    private static final String CARD = "4111111111111111";
    private static final String CARD_SPACED = "5555 5555 5555 4444";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    OfferProjection projection;
    @Autowired
    SellerCredentials credentials;
    @Autowired
    OrderLinks links;
    @Autowired
    ErpHandover handover;

    SellerClient vtex;
    String sku;
    ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void seed() {
        vtex = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
        sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
        projection.upsert(OrderEndpointsTest.offer(sku, 10));
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void stopCapture() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    /** The spec's example of A3 with shared payment data, plus card fields a marketplace must not send (and we drop). */
    private static String fulfilWithPayment(String marketplaceOrderId) {
        return """
                {"marketplaceOrderId": "%s", "marketplaceOrderGroup": "group-123",
                 "paymentData": {
                   "transactionId": "PAYMENT-FROM-AFFILIATE",
                   "payments": [{"paymentSystem": "1", "paymentSystemName": "Visa", "value": 32499, "installments": 1,
                                 "referenceValue": 32499, "group": "creditCard",
                                 "cardNumber": "%s", "cardHolder": "ANA SILVA", "expiryMonth": "12", "expiryYear": "2030",
                                 "cvv2": "123", "firstDigits": "411111"}],
                   "connectorResponses": {"Message": "Processing Payment", "tid": "2212318890", "authorizationId": "333333",
                                          "status": "Approved", "delayToAutoSettle": 432000, "ReturnCode": "6205",
                                          "nsu": "1234567891111110", "code": "2000",
                                          "message": "Transaction approved for card %s", "acquirer": "Visa",
                                          "authId": "769670", "paymentId": "1138342255777",
                                          "delayToAutoSettleAfterAntifraud": "12000", "cardToken": "tok_%s"}}}
                """.formatted(marketplaceOrderId, CARD, CARD_SPACED, CARD);
    }

    @Test
    void sharedPaymentDataIsStoredAndForwardedToTheErpWithoutCardData() throws Exception {
        String mkt = System.nanoTime() + "-01";
        String orderId = vtex.post(ORDERS, OrderEndpointsTest.order(mkt, sku, 1)).json().get("orderId").asText();

        SellerClient.Answer fulfilled = vtex.post(ORDERS + "/" + orderId + "/fulfill", fulfilWithPayment(mkt));

        assertThat(fulfilled.status()).as(fulfilled.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> links.find(orderId).orElseThrow().inErp());

        JsonNode message = JSON.readTree(handover.releaseMessage(links.find(orderId).orElseThrow()));
        JsonNode payment = message.get("payment");
        assertThat(payment.get("transactionId").asText()).isEqualTo("PAYMENT-FROM-AFFILIATE");
        assertThat(payment.get("fromAffiliate").asBoolean()).isTrue();
        assertThat(payment.get("payments")).hasSize(1);
        JsonNode first = payment.at("/payments/0");
        assertThat(first.get("paymentSystem").asText()).isEqualTo("1");
        assertThat(first.get("paymentSystemName").asText()).isEqualTo("Visa");
        assertThat(first.get("value").asLong()).isEqualTo(32499);
        assertThat(first.get("installments").asInt()).isEqualTo(1);
        assertThat(first.get("referenceValue").asLong()).isEqualTo(32499);
        assertThat(first.get("group").asText()).isEqualTo("creditCard");
        assertThat(first.fieldNames()).toIterable().containsExactlyInAnyOrder("paymentSystem", "paymentSystemName",
                "value", "installments", "referenceValue", "group");
        JsonNode connector = payment.get("connectorResponses");
        assertThat(connector.get("tid").asText()).isEqualTo("2212318890");
        assertThat(connector.get("nsu").asText()).isEqualTo("1234567891111110");
        assertThat(connector.get("authId").asText()).isEqualTo("769670");
        assertThat(connector.get("authorizationId").asText()).isEqualTo("333333");
        assertThat(connector.get("acquirer").asText()).isEqualTo("Visa");
        assertThat(connector.get("status").asText()).isEqualTo("Approved");
        assertThat(connector.get("delayToAutoSettle").asInt()).isEqualTo(432000);
        assertThat(connector.get("message").asText()).isEqualTo("Transaction approved for card [redacted]");
        assertThat(connector.has("cardToken")).isFalse();
        // the rest of the message is the order as before
        assertThat(message.get("marketplaceOrderId").asText()).isEqualTo(mkt);
        assertThat(message.get("sellerOrderId").asText()).isEqualTo(orderId);
        assertThat(message.at("/items/0/skuId").asText()).isEqualTo(sku);

        // an unknown order: 404, and its card data is not kept either
        assertThat(vtex.post(ORDERS + "/SO-NO-SUCH-" + mkt + "/fulfill", fulfilWithPayment(mkt)).status()).isEqualTo(404);

        String stored = jdbc.queryForObject("SELECT fulfil_payment FROM seller_order WHERE order_id = ?", String.class, orderId);
        assertNoCardData("stored payment", stored);
        assertNoCardData("the ERP message", message.toString());
        for (String column : List.of("body", "headers", "error_message")) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM failed_message WHERE " + column + " LIKE ? OR " + column
                    + " LIKE ?", Integer.class, "%" + CARD + "%", "%" + CARD_SPACED + "%")).as("failed messages' " + column).isZero();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM order_event WHERE order_id = ? AND detail LIKE ?", Integer.class,
                orderId, "%" + CARD + "%")).as("timeline").isZero();
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertNoCardData("log line " + event.getLoggerName(), text);
        }
    }

    @Test
    void aFulfilWithoutPaymentDataWorksAsBefore() throws Exception {
        String mkt = System.nanoTime() + "-01";
        String orderId = vtex.post(ORDERS, OrderEndpointsTest.order(mkt, sku, 2)).json().get("orderId").asText();

        SellerClient.Answer fulfilled = vtex.post(ORDERS + "/" + orderId + "/fulfill",
                "{\"marketplaceOrderId\":\"" + mkt + "\",\"marketplaceOrderGroup\":\"g\", \"paymentData\": null}");

        assertThat(fulfilled.status()).as(fulfilled.body()).isEqualTo(200);
        assertThat(fulfilled.json().get("orderId").asText()).isEqualTo(orderId);
        await().atMost(Duration.ofSeconds(10)).until(() -> links.find(orderId).orElseThrow().inErp());
        JsonNode message = JSON.readTree(handover.releaseMessage(links.find(orderId).orElseThrow()));
        assertThat(message.get("payment").isNull()).isTrue();
        assertThat(message.at("/items/0/quantity").asInt()).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT fulfil_payment FROM seller_order WHERE order_id = ?", String.class, orderId))
                .isNull();
    }

    private static void assertNoCardData(String where, String text) {
        assertThat(text).as(where).doesNotContain(CARD).doesNotContain(CARD_SPACED).doesNotContain("ANA SILVA")
                .doesNotContainIgnoringCase("cvv").doesNotContain("tok_");
    }
}
