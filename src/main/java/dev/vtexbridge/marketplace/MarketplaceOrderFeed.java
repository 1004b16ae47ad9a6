package dev.vtexbridge.marketplace;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.connections.MarketplaceOrders;
import dev.vtexbridge.ops.FailedMessageStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads the order feed of a marketplace-role connection with {@code orders.source: rest-poll}, once per tick of its
 * route ({@link MarketplaceOrderSources}): {@code GET <url>?<cursor-param>=<cursor>} (no cursor before the first page
 * was taken), each order of the answer sent on its own through {@value MarketplaceOrderSources#POLLED} (its own
 * transaction; a bad one goes to the failed-message store and the others still go), then the answer's next cursor
 * kept ({@link OrderFeedCursors}), only once every order of the page is durable. While a page holds orders and a new
 * cursor the next page is read at once, up to {@value #MAX_PAGES} pages per tick.
 * <p>
 * A feed that fails (5xx, timeout, refused connection, an answer that is not the expected JSON) is logged once per
 * outage and read again on the next tick from the same cursor; a 4xx (its URL or credentials) is logged as an error,
 * once until the answer changes. Metrics: {@code bridge.marketplace.feed.polls} (tags connection, outcome ok|failed)
 * and {@code bridge.marketplace.feed.orders} (tags connection, outcome taken|failed).
 * <p>
 * One engine instance at a time polls a connection's feed: its route's trigger is a clustered Quartz trigger with
 * {@code stateful=true} ({@link MarketplaceOrderSources#pollUri}), so the cursor is read and moved on by one poller;
 * when that instance dies another polls on from the stored cursor. A repeat of an order changes nothing anyway.
 */
@Component("marketplaceOrderFeed")
public class MarketplaceOrderFeed {

    static final int MAX_PAGES = 20;
    /** An answer larger than this is refused (a page is a few orders, not the whole history). */
    static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(MarketplaceOrderFeed.class);

    private final Connections connections;
    private final OrderFeedCursors cursors;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    /** Per connection: what its feed last failed with, or absent while it answers (to log an outage once). */
    private final Map<String, String> outages = new ConcurrentHashMap<>();

    public MarketplaceOrderFeed(Connections connections, OrderFeedCursors cursors, ProducerTemplate producer,
                                ObjectMapper json, MeterRegistry meters) {
        this.connections = connections;
        this.cursors = cursors;
        this.producer = producer;
        this.json = json;
        this.meters = meters;
    }

    /** A failed read of the feed: {@code status} is the HTTP status, 0 when there was no usable answer. */
    static final class FeedFailure extends Exception {
        final int status;

        FeedFailure(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }
    }

    /** One page of the feed: its orders and the cursor it answered (null when none). */
    record Page(List<JsonNode> orders, String cursor) {
    }

    /** Route step of the connection's schedule: header {@value Connection#HEADER}. Never fails the exchange. */
    public void poll(Exchange exchange) {
        Connection connection = connections.require(exchange.getIn().getHeader(Connection.HEADER, String.class));
        MarketplaceOrders.RestPoll feed = connection.ordersOrDefault().restPoll();
        String id = connection.id();
        try {
            String cursor = cursors.find(id).orElse(null);
            for (int page = 1; page <= MAX_PAGES; page++) {
                Page answer = read(feed, cursor);
                count("bridge.marketplace.feed.polls", id, "ok");
                recovered(id);
                for (JsonNode order : answer.orders()) {
                    take(id, order);
                }
                boolean advanced = answer.cursor() != null && !answer.cursor().equals(cursor);
                if (advanced) {
                    cursors.store(id, answer.cursor()); // every order of the page is durable by now
                    cursor = answer.cursor();
                }
                if (answer.orders().isEmpty() || !advanced) {
                    return;
                }
            }
            log.info("Order feed of connection {}: {} pages read in one tick; the next tick reads on", id, MAX_PAGES);
        } catch (FeedFailure e) {
            count("bridge.marketplace.feed.polls", id, "failed");
            failed(id, e.status, e.getMessage());
        } catch (RuntimeException e) {
            // an order that could be neither taken nor stored, or a cursor not stored (database down): the cursor
            // stays where it was and the page is read again
            failed(id, 0, "the page could not be taken (" + e.getMessage() + ")");
        }
    }

    /** Sends one order through the intake route; it comes back either taken or stored as failed. */
    private void take(String connection, JsonNode order) {
        byte[] body = order.toString().getBytes(StandardCharsets.UTF_8);
        Exchange done = producer.send(MarketplaceOrderSources.POLLED, exchange -> {
            exchange.getIn().setBody(body);
            exchange.getIn().setHeader(Connection.HEADER, connection);
        });
        if (done.getException() != null) {
            throw new IllegalStateException(done.getException().getMessage(), done.getException());
        }
        boolean stored = Boolean.TRUE.equals(done.getProperty(FailedMessageStore.RECORDED, Boolean.class));
        count("bridge.marketplace.feed.orders", connection, stored ? "failed" : "taken");
    }

    Page read(MarketplaceOrders.RestPoll feed, String cursor) throws FeedFailure {
        String url = feed.url();
        if (cursor != null) {
            url += (url.contains("?") ? "&" : "?") + URLEncoder.encode(feed.cursorParamOrDefault(), StandardCharsets.UTF_8)
                    + "=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(ANSWER_TIMEOUT).GET()
                .header("Accept", "application/json");
        feed.headers().forEach(request::header);
        byte[] body;
        int status;
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
        } catch (IOException e) {
            throw new FeedFailure(0, "GET " + feed.url() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FeedFailure(0, "GET " + feed.url() + " interrupted", e);
        }
        if (status < 200 || status >= 300) {
            String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            throw new FeedFailure(status, "GET " + feed.url() + " answered " + status + ": " + text, null);
        }
        if (body.length > MAX_ANSWER_BYTES) {
            throw new FeedFailure(0, "GET " + feed.url() + " answered more than " + MAX_ANSWER_BYTES + " bytes", null);
        }
        return page(feed, body);
    }

    Page page(MarketplaceOrders.RestPoll feed, byte[] body) throws FeedFailure {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new FeedFailure(0, "the answer of " + feed.url() + " is not JSON: " + e.getMessage(), e);
        }
        String pointer = feed.ordersPointerOrNull();
        JsonNode orders = pointer != null ? root.at(pointer) : root.isArray() ? root : root.at("/orders");
        if (!orders.isArray()) {
            throw new FeedFailure(0, "the answer of " + feed.url() + " has no array of orders at "
                    + (pointer != null ? pointer : "/orders (nor is it an array)"), null);
        }
        JsonNode next = root.isArray() ? null : root.at(feed.cursorPointerOrDefault());
        String cursor = next == null || next.isMissingNode() || next.isNull() || next.isContainerNode()
                || next.asText().isEmpty() ? null : next.asText();
        List<JsonNode> list = new ArrayList<>();
        orders.forEach(list::add);
        return new Page(list, cursor);
    }

    private void failed(String connection, int status, String message) {
        String kind = status >= 400 && status < 500 ? "HTTP " + status : "unavailable";
        String before = outages.put(connection, kind);
        if (kind.equals(before)) {
            log.debug("Order feed of connection {} still failing: {}", connection, message);
        } else if (status >= 400 && status < 500) {
            log.error("Order feed of connection {} refused the poll: {} (check orders.rest-poll.url and its headers; "
                    + "read again every interval, the cursor is kept)", connection, message);
        } else {
            log.warn("Order feed of connection {} is unavailable: {} (read again every interval, the cursor is kept; "
                    + "logged once until it answers)", connection, message);
        }
    }

    private void recovered(String connection) {
        if (outages.remove(connection) != null) {
            log.info("Order feed of connection {} answers again", connection);
        }
    }

    private void count(String name, String connection, String outcome) {
        Counter.builder(name).tag("connection", connection).tag("outcome", outcome).register(meters).increment();
    }
}
