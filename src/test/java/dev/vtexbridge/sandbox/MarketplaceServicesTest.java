package dev.vtexbridge.sandbox;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.testkit.EngineTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox marketplace's services endpoint (B4-B7), over real HTTP. Each test uses its own order id. */
class MarketplaceServicesTest extends EngineTest {

    private static final String TRACKING = """
            {"courier": "Correios", "trackingNumber": "BR123456789", "trackingUrl": "https://track.example/BR123456789",
             "dispatchedDate": "2024-03-05T15:00:00Z"}""";
    private static final String DELIVERED = """
            {"isDelivered": true, "deliveredDate": "2024-03-08 14:30",
             "events": [{"city": "Rio de Janeiro", "state": "RJ", "description": "Delivered", "date": "2024-03-08"}]}""";

    SandboxClient sandbox;
    String orders;
    String orderId;

    @BeforeEach
    void setUp() {
        sandbox = new SandboxClient(engineUrl(""));
        orderId = UUID.randomUUID() + "-01";
        orders = "/api/oms/pvt/orders/" + orderId;
    }

    @Test
    void invoiceTrackingAndDeliveryAreAcknowledgedWithAReceipt() {
        SandboxClient.Answer invoice = sandbox.vtex("POST", orders + "/invoice", invoice("NF-1", "11480", "4990"));
        assertThat(invoice.status()).isEqualTo(200);
        assertReceipt(invoice.json());

        assertReceipt(ok(sandbox.vtex("PATCH", orders + "/invoice/NF-1", TRACKING)));
        assertReceipt(ok(sandbox.vtex("PUT", orders + "/invoice/NF-1/tracking", DELIVERED)));
    }

    @Test
    void theProtocolsPostMethodsWorkLikeTheOmsOnes() {
        ok(sandbox.vtex("POST", orders + "/invoice", invoice("NF-1", "\"11480\"", "4990")));

        ok(sandbox.vtex("POST", orders + "/invoice/NF-1", TRACKING));
        ok(sandbox.vtex("POST", orders + "/invoice/NF-1/tracking", "{\"isDelivered\": false}"));
    }

    @Test
    void anInvoiceWithDecimalsOrMissingFieldsIsRefused() {
        String body = """
                {"type": "Sale", "invoiceNumber": "NF-2", "invoiceValue": 114.80,
                 "items": [{"id": "ERP-123", "quantity": 2, "price": "49.90"}, {"id": "ERP-124", "quantity": 0}]}""";

        SandboxClient.Answer answer = sandbox.vtex("POST", orders + "/invoice", body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().findValuesAsText("field")).containsExactlyInAnyOrder("type", "invoiceValue",
                "issuanceDate", "items[0].price", "items[1].quantity", "items[1].price");
        assertThat(answer.json().path("message").asText()).contains("invoiceValue: must be an integer amount in cents, without decimals");
    }

    @Test
    void anInvoiceValueMustBePositive() {
        SandboxClient.Answer answer = sandbox.vtex("POST", orders + "/invoice", invoice("NF-3", "0", "4990"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().findValuesAsText("field")).containsExactly("invoiceValue");
    }

    @Test
    void trackingNeedsAnInvoiceAndTrackingStatusNeedsTracking() {
        SandboxClient.Answer unknownInvoice = sandbox.vtex("PATCH", orders + "/invoice/NF-9", TRACKING);
        assertThat(unknownInvoice.status()).isEqualTo(400);
        assertThat(unknownInvoice.json().path("message").asText()).contains("has no invoice NF-9");

        ok(sandbox.vtex("POST", orders + "/invoice", invoice("NF-1", "11480", "4990")));
        SandboxClient.Answer untracked = sandbox.vtex("PUT", orders + "/invoice/NF-1/tracking", DELIVERED);
        assertThat(untracked.status()).isEqualTo(400);
        assertThat(untracked.json().path("message").asText()).contains("no tracking number yet");
    }

    @Test
    void trackingAndTrackingStatusCheckTheirFields() {
        ok(sandbox.vtex("POST", orders + "/invoice", invoice("NF-1", "11480", "4990")));

        SandboxClient.Answer tracking = sandbox.vtex("PATCH", orders + "/invoice/NF-1", "{\"trackingUrl\": null}");
        assertThat(tracking.status()).isEqualTo(400);
        assertThat(tracking.json().findValuesAsText("field")).containsExactlyInAnyOrder("courier", "trackingNumber");

        ok(sandbox.vtex("PATCH", orders + "/invoice/NF-1", TRACKING));
        SandboxClient.Answer status = sandbox.vtex("PUT", orders + "/invoice/NF-1/tracking", "{\"isDelivered\": \"yes\"}");
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.json().findValuesAsText("field")).containsExactly("isDelivered");
    }

    @Test
    void aCancellationNeedsAReason() {
        SandboxClient.Answer refused = sandbox.vtex("POST", orders + "/cancel", "{}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().findValuesAsText("field")).containsExactly("reason");

        assertReceipt(ok(sandbox.vtex("POST", orders + "/cancel", "{\"reason\": \"Product is unavailable.\"}")));
    }

    @Test
    void anInvoicedOrderIsCancelledOnlyAfterAReturnInvoice() {
        String cancel = "{\"reason\": \"Customer asked\"}";
        ok(sandbox.vtex("POST", orders + "/invoice", invoice("NF-1", "11480", "4990")));

        assertThat(sandbox.vtex("POST", orders + "/cancel", cancel).status()).isEqualTo(400);

        String returned = invoice("NF-1R", "11480", "4990").replace("\"Output\"", "\"Input\"");
        ok(sandbox.vtex("POST", orders + "/invoice", returned));
        ok(sandbox.vtex("POST", orders + "/cancel", cancel));
    }

    /** The invoice of vtex-protocol.md §5.5 with the given number, total and unit price (JSON literals). */
    private static String invoice(String number, String value, String itemPrice) {
        return """
                {"type": "Output", "invoiceNumber": "%s", "invoiceValue": %s,
                 "issuanceDate": "2024-03-05T10:00:00-03:00", "invoiceKey": null,
                 "invoiceUrl": "https://acme.example/nf/123.pdf", "courier": "", "trackingNumber": "", "trackingUrl": "",
                 "items": [{"id": "ERP-123", "quantity": 2, "price": %s}]}""".formatted(number, value, itemPrice);
    }

    private static JsonNode ok(SandboxClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private void assertReceipt(JsonNode receipt) {
        assertThat(receipt.path("orderId").asText()).isEqualTo(orderId);
        assertThat(receipt.path("receipt").asText()).hasSize(32);
        assertThat(receipt.path("date").asText()).isNotBlank();
    }
}
