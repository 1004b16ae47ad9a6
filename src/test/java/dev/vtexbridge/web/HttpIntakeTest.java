package dev.vtexbridge.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.seller.SellerCredentials;
import dev.vtexbridge.seller.SellerProperties;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.RawHttp;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a hostile or broken caller can do to the HTTP intake, sent byte for byte as the probe sent it: unfinished and
 * huge uploads without credentials are refused on their headers, a silent sender is cut off, each entry point takes
 * bodies up to its own limit, and none of it keeps VTEX's checkout calls from being answered within 2.5 s.
 */
class HttpIntakeTest extends EngineTest {

    /** How long VTEX waits for a simulation during checkout. */
    private static final String SIMULATION = "/seller/pvt/orderForms/simulation";
    private static final Duration VTEX_DEADLINE = Duration.ofMillis(2500);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    SellerCredentials credentials;
    @Autowired
    SellerProperties seller;
    @Autowired
    HttpProperties http;
    @Value("${bridge.erp.webhook-max-body-bytes}")
    long webhookMaxBody;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<RawHttp> connections = new ArrayList<>();

    @BeforeEach
    void openTheGate() {
        HeldRequests.release();
    }

    @AfterEach
    void closeConnections() throws IOException {
        HeldRequests.release();
        for (RawHttp connection : connections) {
            connection.close();
        }
    }

    @Test
    void unfinishedUploadsWithoutATokenAreRefusedAtOnceAndCheckoutGoesOn() throws Exception {
        // The probe's bytes: 1 KB announced, 8 sent, no token, then silence; it took eight to stall checkout.
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            answers.add(open("POST /erp/events/stock HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n"
                    + "Content-Length: 1024\n", "{\"sku\":\"".getBytes(StandardCharsets.US_ASCII))
                    .answer(Duration.ofSeconds(5)));
        }

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer).isNotNull();
            assertThat(RawHttp.status(answer)).isEqualTo(401);
            assertThat(answer).containsIgnoringCase("WWW-Authenticate: Bearer").contains("UNAUTHORIZED");
        });
        assertCheckoutIsAnswered();
    }

    @Test
    void hugeBodiesWithoutATokenAreRefusedBeforeTheyAreRead() throws Exception {
        // Four parallel 100 MB posts filled the heap: now each gets its 401 after the first 64 KB at most.
        byte[] start = new byte[64 * 1024];
        Arrays.fill(start, (byte) 'x');
        for (int i = 0; i < 4; i++) {
            String answer = open("POST /erp/events/stock HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n"
                    + "Content-Length: 104857600\n", start).answer(Duration.ofSeconds(5));

            assertThat(answer).isNotNull();
            assertThat(RawHttp.status(answer)).isEqualTo(401);
        }
        assertCheckoutIsAnswered();
    }

    @Test
    void aSenderThatStopsIsCutOffWith408() throws Exception {
        // 10 bytes of a 1 KB body, then silence: the read timeout (server.tomcat.connection-timeout) ends the wait.
        RawHttp silent = open("POST /erp/events/stock HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n"
                + "Authorization: Bearer test-erp-token\nContent-Length: 1024\n", "[{\"sku\":\"A".getBytes(StandardCharsets.US_ASCII));

        String answer = silent.answer(Duration.ofSeconds(15));

        assertThat(answer).isNotNull();
        assertThat(RawHttp.status(answer)).isEqualTo(408);
        // The server answers a read that timed out itself, with the engine's error body.
        assertThat(answer).containsIgnoringCase("Connection: close").contains("\"status\":408");
    }

    @Test
    void aSenderThatTricklesIsCutOffAtTheBodyDeadline() throws Exception {
        // One byte a second never trips the per-read timeout; bridge.http.body-read-timeout bounds the whole body.
        RawHttp trickle = open("POST /ops/api/projection HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n"
                + "Authorization: Bearer " + OPS_TOKEN + "\nContent-Length: 1024\n", "[".getBytes(StandardCharsets.US_ASCII));
        long deadline = System.nanoTime() + http.bodyReadTimeout().plusSeconds(10).toNanos();
        String answer = null;
        while (answer == null && System.nanoTime() < deadline) {
            answer = trickle.answer(Duration.ofSeconds(1));
            if (answer == null) {
                trickle.write("1,".getBytes(StandardCharsets.US_ASCII));
            }
        }

        assertThat(answer).as("an answer before the body was complete").isNotNull();
        assertThat(RawHttp.status(answer)).isEqualTo(408);
        assertThat(JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("error").asText())
                .isEqualTo("request_timeout");
    }

    @Test
    void otherCallersCannotTakeTheThreadsOfTheSellerEndpoints() throws Exception {
        // Every thread of the pool that runs the other HTTP routes is held by a request that does not end.
        HeldRequests.close();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < http.otherThreads(); i++) {
            held.add(client.sendAsync(HttpRequest.newBuilder(URI.create(engineUrl("/test/held"))).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> HeldRequests.held() == http.otherThreads());

        assertCheckoutIsAnswered();

        HeldRequests.release();
        for (CompletableFuture<HttpResponse<String>> request : held) {
            assertThat(request.get().body()).isEqualTo("released");
        }
    }

    @Test
    void bodiesInFlightAreBoundedAndCheckoutKeepsItsShare() throws Exception {
        // Unfinished uploads of the largest webhook body hold all the memory other callers' bodies may take…
        long uploads = http.maxBufferedBytes() / webhookMaxBody;
        for (int i = 0; i < uploads; i++) {
            open(webhookHead(webhookMaxBody), "[".getBytes(StandardCharsets.US_ASCII));
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> {
            String next = open(webhookHead(webhookMaxBody), new byte[0]).answer(Duration.ofMillis(500));
            return next != null && RawHttp.status(next) == 503;
        });
        String refused = open(webhookHead(1024), new byte[0]).answer(Duration.ofSeconds(1));
        assertThat(RawHttp.status(refused)).isEqualTo(503);
        assertThat(refused).containsIgnoringCase("Retry-After: 1").contains("bridge.http.max-buffered-bytes");

        // …and none of what the seller endpoints may take.
        assertCheckoutIsAnswered();
    }

    @Test
    void eachEntryPointRefusesABodyOverItsLimitWith413() throws Exception {
        SellerClient vtex = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
        String item = "{\"id\": \"" + UUID.randomUUID() + "\", \"quantity\": 1, \"seller\": \"1\"}";

        // The seller endpoints, with the body sent in chunks (no length announced): the limit holds while streaming.
        String chunked = chunked(sellerHead(SIMULATION), "{\"items\": [" + item + "], \"pad\": \""
                + "x".repeat((int) seller.maxBodyBytes()) + "\"}");
        assertThat(RawHttp.status(chunked)).isEqualTo(413);
        assertThat(chunked).contains("\"code\":\"PAYLOAD_TOO_LARGE\"").containsIgnoringCase("x-vtex-error-code: PAYLOAD_TOO_LARGE");
        // …while a small chunked simulation is answered as usual.
        assertThat(RawHttp.status(chunked(sellerHead(SIMULATION), "{\"items\": [" + item + "]}"))).isEqualTo(200);

        // The ERP webhook takes up to its own limit (8 MB by default), announced or chunked.
        String overWebhook = "[" + "\"x\",".repeat((int) (webhookMaxBody / 4)) + "\"x\"]";
        HttpResponse<String> announced = post("/erp/events/stock", "Bearer test-erp-token", overWebhook);
        assertThat(announced.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(announced.body()).path("error").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(RawHttp.status(chunked("POST /erp/events/stock HTTP/1.1\nHost: 127.0.0.1\n"
                + "Content-Type: application/json\nAuthorization: Bearer test-erp-token\n", overWebhook))).isEqualTo(413);

        // The ops API: the probe's 5 MB projection upload.
        String fiveMegabytes = "[" + "{\"skuId\":\"A\"},".repeat(5 * 1024 * 1024 / 14) + "{}]";
        HttpResponse<String> projection = post("/ops/api/projection", "Bearer " + OPS_TOKEN, fiveMegabytes);
        assertThat(projection.statusCode()).isEqualTo(413);
        JsonNode error = JSON.readTree(projection.body());
        assertThat(error.path("error").asText()).isEqualTo("payload_too_large");
        assertThat(error.path("message").asText()).contains(String.valueOf(http.maxBodyBytes()));

        // The sandbox's stand-in VTEX.
        HttpResponse<String> sandbox = post("/sandbox/vtex/api/oms/pvt/orders/1-01/invoice", null,
                "{\"pad\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}");
        assertThat(sandbox.statusCode()).isEqualTo(413);
    }

    /** A simulation of a new SKU, answered within VTEX's deadline. */
    private void assertCheckoutIsAnswered() throws Exception {
        String body = "{\"items\": [{\"id\": \"" + UUID.randomUUID() + "\", \"quantity\": 1, \"seller\": \"1\"}]}";
        HttpResponse<String> simulation = client.send(HttpRequest.newBuilder(URI.create(engineUrl(SIMULATION)))
                .timeout(VTEX_DEADLINE)
                .header("X-VTEX-API-AppKey", credentials.appKey()).header("X-VTEX-API-AppToken", credentials.appToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(simulation.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(simulation.body()).path("items")).hasSize(1);
    }

    private static String webhookHead(long announced) {
        return "POST /erp/events/stock HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n"
                + "Authorization: Bearer test-erp-token\nContent-Length: " + announced + "\n";
    }

    private String sellerHead(String path) {
        return "POST " + path + " HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n"
                + "X-VTEX-API-AppKey: " + credentials.appKey() + "\nX-VTEX-API-AppToken: " + credentials.appToken() + "\n";
    }

    /** Sends {@code body} in 16 KB chunks after {@code head} and answers the server's response. */
    private String chunked(String head, String body) throws IOException {
        RawHttp connection = open(head + "Transfer-Encoding: chunked\n", new byte[0]);
        connection.stream(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), true);
        String answer = connection.answer(Duration.ofSeconds(10));
        assertThat(answer).as("an answer to " + head.lines().findFirst().orElseThrow()).isNotNull();
        return answer;
    }

    private HttpResponse<String> post(String path, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(engineUrl(path)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private RawHttp open(String head, byte[] body) throws IOException {
        RawHttp connection = RawHttp.send(port, head, body);
        connections.add(connection);
        return connection;
    }
}
