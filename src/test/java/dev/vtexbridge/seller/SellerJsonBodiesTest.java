package dev.vtexbridge.seller;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.orders.OrderStatus;
import dev.vtexbridge.orders.SellerOrders;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.RawAnswer;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static dev.vtexbridge.seller.SimulationTest.SIMULATION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies of the seller endpoints that are JSON only at first sight, sent byte for byte: the literal {@code null},
 * bytes that are not UTF-8, a document followed by more (garbage or a second document), nesting, strings and numbers
 * beyond the limits. Each is a 400 in VTEX's error shape naming what is wrong, never a 500, and never accepted.
 */
class SellerJsonBodiesTest extends EngineTest {

    private static final String ORDERS = "/seller/pvt/orders";
    /** An invalid UTF-8 sequence: a two-byte lead followed by an ASCII byte. */
    private static final byte[] NOT_UTF8 = {(byte) 0xC3, 0x28};

    @Autowired
    SellerCredentials credentials;
    @Autowired
    SellerProperties properties;
    @Autowired
    OfferProjection projection;
    @Autowired
    SellerOrders orders;

    SellerClient vtex;
    String sku;

    @BeforeEach
    void setUp() {
        vtex = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
        sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
        projection.upsert(OrderEndpointsTest.offer(sku, 10));
    }

    @Test
    void theLiteralNullIsRefusedOnEveryEndpoint() {
        for (String path : new String[] {SIMULATION, ORDERS, ORDERS + "/SO-1/fulfill", ORDERS + "/SO-1/cancel"}) {
            assertRefused(post(path, "null"), "request body is the JSON literal null");
            assertRefused(post(path, " null \n"), "request body is the JSON literal null");
        }
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        byte[] simulation = bytes("{\"items\":[{\"id\":\"", NOT_UTF8, "\",\"quantity\":1,\"seller\":\"1\"}]}");
        assertRefused(post(SIMULATION, simulation), "request body is not valid UTF-8 (at byte offset 17)");

        String order = OrderEndpointsTest.order(uniqueOrderId(), sku, 1).toString();
        int name = order.indexOf("\"Ana\"");
        byte[] placement = bytes(order.substring(0, name) + "\"A", NOT_UTF8, "na\"" + order.substring(name + 5));
        assertRefused(post(ORDERS, placement), "not valid UTF-8");
        assertThat(projection.find(sku).orElseThrow().available()).as("nothing reserved").isEqualTo(10);

        assertRefused(post(ORDERS + "/SO-1/cancel", bytes("{\"marketplaceOrderId\":\"1\",\"reason\":\"", NOT_UTF8, "\"}")),
                "not valid UTF-8");
        assertRefused(post(ORDERS + "/SO-1/fulfill", bytes("{\"marketplaceOrderId\":\"", NOT_UTF8, "\"}")),
                "not valid UTF-8");
        // a name, and an encoded surrogate (ED A0 80), are no better
        assertRefused(post(SIMULATION, bytes("{\"", NOT_UTF8, "\":1,\"items\":[]}")), "not valid UTF-8");
        assertRefused(post(SIMULATION, bytes("{\"items\":[{\"id\":\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                "\",\"quantity\":1,\"seller\":\"1\"}]}")), "not valid UTF-8");
    }

    @Test
    void contentAfterTheDocumentIsRefusedNotIgnored() {
        String simulation = "{\"items\":[{\"id\":\"" + sku + "\",\"quantity\":1,\"seller\":\"1\"}]}";
        assertThat(post(SIMULATION, simulation).status()).as("the document alone is fine").isEqualTo(200);
        assertRefused(post(SIMULATION, simulation + " xyz"), "trailing content after the JSON document");
        assertRefused(post(SIMULATION, simulation + simulation), "trailing content after the JSON document");
        assertRefused(post(SIMULATION, simulation + ",1"), "trailing content after the JSON document");
        assertThat(post(SIMULATION, simulation + " \r\n\t").status()).as("white space after it is fine").isEqualTo(200);

        String mkt = uniqueOrderId();
        String order = OrderEndpointsTest.order(mkt, sku, 2).toString();
        assertRefused(post(ORDERS, order + " xyz"), "trailing content after the JSON document");
        assertRefused(post(ORDERS, order + order), "trailing content after the JSON document");
        assertThat(projection.find(sku).orElseThrow().available()).as("nothing reserved").isEqualTo(10);

        String orderId = post(ORDERS, order).json().get("orderId").asText();
        String reference = "{\"marketplaceOrderId\":\"" + mkt + "\"}";
        assertRefused(post(ORDERS + "/" + orderId + "/fulfill", reference + " xyz"), "trailing content");
        assertRefused(post(ORDERS + "/" + orderId + "/fulfill", reference + reference), "trailing content");
        assertRefused(post(ORDERS + "/" + orderId + "/cancel", reference + "}"), "trailing content");
        assertRefused(post(ORDERS + "/" + orderId + "/cancel", reference + reference), "trailing content");
        assertThat(orders.statusOf(orderId)).as("neither fulfilled nor cancelled").contains(OrderStatus.RESERVED);
    }

    @Test
    void limitsAreNamedInTheRefusal() {
        int depth = properties.maxNestingDepth();
        String item = "{\"id\":\"" + sku + "\",\"quantity\":1,\"seller\":\"1\"}";
        String deep = "[".repeat(depth) + "]".repeat(depth);
        assertThat(post(SIMULATION, "{\"items\":[" + item + "],\"x\":" + deep.substring(1, deep.length() - 1) + "}").status())
                .as("nesting up to the limit").isEqualTo(200);
        assertRefused(post(SIMULATION, "{\"items\":[" + item + "],\"x\":" + deep + "}"),
                "JSON nesting deeper than " + depth + " levels");
        assertRefused(post(ORDERS, "[".repeat(10_000) + "]".repeat(10_000)), "JSON nesting deeper than " + depth + " levels");

        String longString = "x".repeat(properties.maxStringLength() + 1);
        assertRefused(post(SIMULATION, "{\"items\":[" + item + "],\"x\":\"" + longString + "\"}"),
                "a JSON string longer than " + properties.maxStringLength() + " characters");
        assertRefused(post(ORDERS + "/SO-1/cancel", "{\"marketplaceOrderId\":\"1\",\"reason\":\"" + longString + "\"}"),
                "a JSON string longer than " + properties.maxStringLength() + " characters");

        assertRefused(post(SIMULATION, "{\"items\":[" + item + "],\"x\":" + "9".repeat(1001) + "}"),
                "a JSON number longer than");
    }

    private RawAnswer post(String path, String body) {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    private RawAnswer post(String path, byte[] body) {
        return RawAnswer.post(port, path, body,
                "X-VTEX-API-AppKey", credentials.appKey(), "X-VTEX-API-AppToken", credentials.appToken());
    }

    private static void assertRefused(RawAnswer answer, String messagePart) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        JsonNode error = answer.json().path("error");
        assertThat(error.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(error.path("message").asText()).containsIgnoringCase(messagePart);
        assertThat(answer.header("x-vtex-error-code")).isEqualTo("INVALID_REQUEST");
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] b ? b : part.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String uniqueOrderId() {
        return System.nanoTime() + "-01";
    }
}
