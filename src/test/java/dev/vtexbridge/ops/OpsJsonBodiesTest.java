package dev.vtexbridge.ops;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.RawAnswer;
import dev.vtexbridge.web.JsonLimits;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON bodies of the ops API and the sandbox that are not one readable document, sent byte for byte: each is a 400 in
 * the engine's error shape ({@code {"status":400,"error":...,"message":...}}) saying what is wrong, never a 500 and
 * never Spring's default error page. Spring MVC handlers answer {@code invalid_json}; the projection its
 * {@code bad_offer}.
 */
class OpsJsonBodiesTest extends EngineTest {

    private static final String PREVIEW = "/ops/api/mappings/preview";
    private static final String PROJECTION = "/ops/api/projection";

    @Autowired
    JsonLimits limits;

    @Test
    void theProjectionRefusesDeepNestingNamingTheLimit() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);

        assertRefused(ops(PROJECTION, deep), "bad_offer", "JSON nesting deeper than " + limits.maxDepth() + " levels");
        assertRefused(ops(PROJECTION, "[{\"skuId\":\"a\",\"active\":true,\"x\":" + deep + "}]"), "bad_offer",
                "JSON nesting deeper than " + limits.maxDepth() + " levels");
    }

    @Test
    void theProjectionRefusesWhatIsNotOneUtf8Document() {
        String offer = "{\"skuId\":\"ops-json-" + UUID.randomUUID() + "\",\"active\":true}";
        assertRefused(ops(PROJECTION, "null"), "bad_offer", "request body is the JSON literal null");
        assertRefused(ops(PROJECTION, "[" + offer + "] xyz"), "bad_offer", "trailing content after the JSON document");
        assertRefused(ops(PROJECTION, "[" + offer + "][" + offer + "]"), "bad_offer", "trailing content after the JSON document");
        assertRefused(ops(PROJECTION, bytes("[{\"skuId\":\"", new byte[] {(byte) 0xC3, 0x28}, "\",\"active\":true}]")),
                "bad_offer", "request body is not valid UTF-8 (at byte offset 11)");
        assertRefused(ops(PROJECTION, "[{\"skuId\":\"a\",\"active\":true,\"weightGrams\":" + "9".repeat(limits.maxNumberLength() + 1) + "}]"),
                "bad_offer", "a JSON number longer than " + limits.maxNumberLength() + " characters");
    }

    @Test
    void springMvcHandlersAnswerUnreadableBodiesWithTheEngineErrorShape() {
        assertRefused(ops(PREVIEW, "{\"offer\": "), "invalid_json", "malformed JSON at line 1, column");
        assertRefused(ops(PREVIEW, "not json"), "invalid_json", "malformed JSON at line 1, column 5: Unrecognized token 'not'");
        assertRefused(ops(PREVIEW, "{\"offer\": {}} xyz"), "invalid_json", "trailing content after the JSON document");
        assertRefused(ops(PREVIEW, "{\"offer\": {}}{\"offer\": {}}"), "invalid_json", "trailing content after the JSON document");
        assertRefused(ops(PREVIEW, "{\"offer\": {}}}"), "invalid_json", "trailing content after the JSON document");
        assertRefused(ops(PREVIEW, "{\"offer\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}"), "invalid_json",
                "JSON nesting deeper than " + limits.maxDepth() + " levels");
        assertRefused(ops(PREVIEW, "{\"offer\": " + "1".repeat(limits.maxNumberLength() + 1) + "}"), "invalid_json",
                "a JSON number longer than " + limits.maxNumberLength() + " characters");
        assertRefused(ops(PREVIEW, "{\"" + "n".repeat(limits.maxNameLength() + 1) + "\": 1}"), "invalid_json",
                "a JSON property name longer than " + limits.maxNameLength() + " characters");
        assertRefused(ops(PREVIEW, bytes("{\"offer\": \"", new byte[] {(byte) 0xC3, 0x28}, "\"}")), "invalid_json",
                "request body is not valid UTF-8 (at byte offset 11)");
        // an overlong "/" and an encoded surrogate, which Jackson alone would take
        assertRefused(ops(PREVIEW, bytes("{\"offer\": \"", new byte[] {(byte) 0xC0, (byte) 0xAF}, "\"}")), "invalid_json",
                "request body is not valid UTF-8");
        assertRefused(ops(PREVIEW, bytes("{\"offer\": \"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}")),
                "invalid_json", "request body is not valid UTF-8");
        assertRefused(ops(PREVIEW, ""), "invalid_json", "a JSON request body is required");
        assertRefused(ops("/ops/api/failed/999999999/discard", "{\"reason\": {\"a\": 1}}"), "invalid_json",
                "field 'reason' has the wrong type or value");
        assertRefused(ops("/ops/api/failed/999999999/discard", "{\"reason\": \"x\"} xyz"), "invalid_json",
                "trailing content after the JSON document");
    }

    @Test
    void theSandboxAnswersUnreadableBodiesTheSameWay() {
        String suggestion = "/sandbox/vtex/testmarketplace/suggestions/bridgeseller/SKU-" + UUID.randomUUID();
        String[] credentials = {"X-VTEX-API-AppKey", "vtexappkey-testmarketplace-ABCDEF", "X-VTEX-API-AppToken", VTEX_APP_TOKEN};

        assertRefused(RawAnswer.put(port, suggestion, bytes("{\"SkuName\": \"a\"} xyz"), credentials), "invalid_json",
                "trailing content after the JSON document");
        assertRefused(RawAnswer.put(port, suggestion, bytes("[".repeat(10_000) + "]".repeat(10_000)), credentials),
                "invalid_json", "JSON nesting deeper than " + limits.maxDepth() + " levels");
        assertRefused(RawAnswer.put(port, suggestion, bytes("{\"SkuName\": \"", new byte[] {(byte) 0xFF}, "\"}"), credentials),
                "invalid_json", "request body is not valid UTF-8 (at byte offset 13)");
        assertRefused(RawAnswer.post(port, "/sandbox/vtex/api/oms/pvt/orders/1/invoice", bytes("{\"type\": "), credentials),
                "invalid_json", "malformed JSON at line 1");
    }

    private RawAnswer ops(String path, String body) {
        return ops(path, bytes(body));
    }

    private RawAnswer ops(String path, byte[] body) {
        return RawAnswer.post(port, path, body, "Authorization", "Bearer " + OPS_TOKEN);
    }

    private static void assertRefused(RawAnswer answer, String error, String messagePart) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.json().path("status").asInt()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo(error);
        assertThat(answer.json().path("message").asText()).contains(messagePart);
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] b ? b : part.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
