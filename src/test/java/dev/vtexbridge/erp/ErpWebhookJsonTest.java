package dev.vtexbridge.erp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.RawAnswer;
import dev.vtexbridge.web.JsonLimits;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ERP webhook ({@code POST /erp/events/{kind}}) with bodies that are not one readable JSON document, sent byte for
 * byte: each is a 400 {@code INVALID_EVENT} with a JSON error body saying what is wrong, and nothing of it is taken.
 */
class ErpWebhookJsonTest extends EngineTest {

    private static final String STOCK = "/erp/events/stock";

    @Autowired
    JsonLimits limits;

    @Test
    void whatIsNotOneJsonDocumentIsRefused() {
        String event = stockEvent();
        assertThat(erp(event).status()).as("the event alone is taken").isEqualTo(202);

        assertRefused(erp("{\"sku\": "), "malformed JSON at line 1, column");
        assertRefused(erp("not json"), "malformed JSON at line 1, column 5");
        assertRefused(erp(event + " xyz"), "trailing content after the JSON document");
        assertRefused(erp(event + event), "trailing content after the JSON document");
        assertRefused(erp("[" + event + "]]"), "trailing content after the JSON document");
        assertRefused(erp("[" + event + "]" + "[" + event + "]"), "trailing content after the JSON document");
        assertRefused(erp("null"), "request body is the JSON literal null");
        assertRefused(erp("  \n"), "empty event");
        assertRefused(erp("{\"sku\": \"A\", \"warehouses\": [1]}"), "field 'warehouses' has the wrong type or value");
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        assertRefused(erp(bytes("{\"sku\":\"", new byte[] {(byte) 0xC3, 0x28}, "\",\"warehouses\":{\"main\":1}}")),
                "request body is not valid UTF-8 (at byte offset 8)");
        assertRefused(erp(bytes("[{\"sku\":\"A\",\"warehouse\":\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                "\",\"quantity\":1}]")), "request body is not valid UTF-8");
    }

    @Test
    void limitsAreNamed() {
        assertRefused(erp("{\"sku\":\"A\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"),
                "JSON nesting deeper than " + limits.maxDepth() + " levels");
        assertRefused(erp("{\"sku\":\"A\",\"x\":" + "[".repeat(limits.maxDepth()) + "]".repeat(limits.maxDepth()) + "}"),
                "JSON nesting deeper than " + limits.maxDepth() + " levels");
        // the webhook takes bodies of 8 MB, so a string can pass the string limit before the body limit
        assertRefused(erp("{\"sku\":\"" + "x".repeat(limits.maxStringLength() + 1) + "\",\"warehouses\":{\"main\":1}}"),
                "a JSON string longer than " + limits.maxStringLength() + " characters");
        assertRefused(erp("{\"sku\":\"A\",\"warehouses\":{\"main\":" + "1".repeat(limits.maxNumberLength() + 1) + "}}"),
                "a JSON number longer than " + limits.maxNumberLength() + " characters");
        assertRefused(erp("{\"" + "n".repeat(limits.maxNameLength() + 1) + "\":1,\"sku\":\"A\"}"),
                "a JSON property name longer than " + limits.maxNameLength() + " characters");
    }

    private static String stockEvent() {
        return "{\"sku\":\"ERP-JSON-" + UUID.randomUUID() + "\",\"warehouses\":{\"main\":3}}";
    }

    private RawAnswer erp(String body) {
        return erp(body.getBytes(StandardCharsets.UTF_8));
    }

    private RawAnswer erp(byte[] body) {
        return RawAnswer.post(port, STOCK, body, "Authorization", "Bearer test-erp-token");
    }

    private static void assertRefused(RawAnswer answer, String messagePart) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        JsonNode error = answer.json().path("error");
        assertThat(error.path("code").asText()).isEqualTo("INVALID_EVENT");
        assertThat(error.path("message").asText()).contains(messagePart);
        assertThat(answer.header("x-vtex-error-code")).isEqualTo("INVALID_EVENT");
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] b ? b : part.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
