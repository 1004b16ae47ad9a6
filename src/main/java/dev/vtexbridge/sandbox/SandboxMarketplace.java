package dev.vtexbridge.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The sandbox's simulated external marketplace, for the External Marketplace role: the REST offers sink
 * ({@code /sandbox/marketplace/offers}) keeps the last offer received per (connection, SKU), the events sink
 * ({@code /sandbox/marketplace/events}) the last events, both readable under {@code /sandbox/api/marketplace/…}; and a
 * shopper that, every {@code bridge.sandbox.marketplace.order-interval}, places an order for one unit of a listed
 * offer with stock on the engine's {@code POST /marketplace/<id>/orders} (Bearer endpoint token; marketplace status
 * {@code new}), and approves it ({@code approved}) {@code approve-after} later. Until that endpoint exists (404) the
 * shopper passes its turn quietly. Everything is in memory.
 */
@Component("sandboxMarketplace") // always a bean, so its routes exist; they only start with the sandbox
public class SandboxMarketplace {

    private static final Logger log = LoggerFactory.getLogger(SandboxMarketplace.class);
    static final String BASE = "/sandbox/marketplace";
    private static final int MAX_EVENTS = 500;

    /** An offer as the sink received it. */
    public record ReceivedOffer(String connection, String skuId, Instant receivedAt, JsonNode offer) {
    }

    /** An event as the events sink received it. */
    public record ReceivedEvent(Instant receivedAt, JsonNode event) {
    }

    /** An order the shopper placed: where it stands with the engine. */
    public record PlacedOrder(String connection, String marketplaceOrderId, String skuId, Instant placedAt,
                              int placeStatus, Instant approveAt, Integer approveStatus) {
    }

    private final Map<String, ReceivedOffer> offers = new ConcurrentHashMap<>();
    private final Deque<ReceivedEvent> events = new ArrayDeque<>();
    private final Map<String, PlacedOrder> orders = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Connections connections;
    private final ObjectMapper json;
    private final Clock clock;
    private final Environment env;

    public SandboxMarketplace(Connections connections, ObjectMapper json, Clock clock, Environment env) {
        this.connections = connections;
        this.json = json;
        this.clock = clock;
        this.env = env;
    }

    void offer(JsonNode offer) {
        String connection = offer.path("connection").asText("");
        String sku = offer.path("skuId").asText("");
        offers.put(connection + "/" + sku, new ReceivedOffer(connection, sku, clock.instant(), offer));
    }

    synchronized void event(JsonNode event) {
        events.addFirst(new ReceivedEvent(clock.instant(), event));
        while (events.size() > MAX_EVENTS) {
            events.removeLast();
        }
    }

    /** Newest first; {@code connection} null: every connection's. */
    public List<ReceivedOffer> offers(String connection) {
        return offers.values().stream().filter(o -> connection == null || connection.equals(o.connection()))
                .sorted((a, b) -> b.receivedAt().compareTo(a.receivedAt())).toList();
    }

    public synchronized List<ReceivedEvent> events() {
        return List.copyOf(events);
    }

    public List<PlacedOrder> orders() {
        return orders.values().stream().sorted((a, b) -> b.placedAt().compareTo(a.placedAt())).toList();
    }

    void clear() {
        offers.clear();
        synchronized (this) {
            events.clear();
        }
        orders.clear();
    }

    /** Timer step: places one order for a listed offer with stock, on the next connection that has one. */
    public int shop() {
        for (Connection connection : servedConnections()) {
            List<ReceivedOffer> sellable = offers(connection.id()).stream()
                    .filter(o -> o.offer().path("active").asBoolean(false) && o.offer().path("stock").asInt(0) > 0
                            && o.offer().path("price").isNumber()).toList();
            if (sellable.isEmpty()) {
                continue;
            }
            ReceivedOffer pick = sellable.get(ThreadLocalRandom.current().nextInt(sellable.size()));
            String marketplaceOrderId = "SBXM" + clock.millis() + sequence.incrementAndGet();
            long price = pick.offer().path("price").asLong();
            ObjectNode order = json.createObjectNode().put("marketplaceOrderId", marketplaceOrderId)
                    .put("marketplaceOrderStatus", "new").put("marketplacePaymentValue", price + 1500);
            order.putArray("items").addObject().put("id", pick.skuId()).put("quantity", 1).put("price", price);
            order.putObject("clientProfileData").put("email", "buyer@marketplace.sandbox.example")
                    .put("firstName", "Sandbox").put("lastName", "Buyer").put("documentType", "cpf")
                    .put("document", "12345678909").put("phone", "+5521999990000");
            order.putObject("shippingData").putObject("address").put("addressType", "residential")
                    .put("receiverName", "Sandbox Buyer").put("postalCode", "22270-030").put("city", "Rio de Janeiro")
                    .put("state", "RJ").put("country", "BRA").put("street", "Praia de Botafogo").put("number", "300")
                    .put("neighborhood", "Botafogo");
            int status = post(connection, order);
            if (status == 404) {
                log.debug("Sandbox marketplace: connection {} takes no orders (404)", connection.id());
                return 0;
            }
            orders.put(connection.id() + "/" + marketplaceOrderId, new PlacedOrder(connection.id(), marketplaceOrderId,
                    pick.skuId(), clock.instant(), status, status < 300 ? clock.instant().plus(approveAfter()) : null, null));
            log.info("Sandbox marketplace: order {} for SKU {} on connection {} answered {}", marketplaceOrderId,
                    pick.skuId(), connection.id(), status);
            return 1;
        }
        return 0;
    }

    /** Timer step: approves the orders whose time came; returns how many. */
    public int approveDue() {
        int approved = 0;
        for (PlacedOrder order : List.copyOf(orders.values())) {
            if (order.approveAt() == null || order.approveStatus() != null || order.approveAt().isAfter(clock.instant())) {
                continue;
            }
            Connection connection = connections.find(order.connection()).orElse(null);
            if (connection == null) {
                continue;
            }
            int status = post(connection, json.createObjectNode().put("marketplaceOrderId", order.marketplaceOrderId())
                    .put("marketplaceOrderStatus", "approved"));
            orders.put(order.connection() + "/" + order.marketplaceOrderId(), new PlacedOrder(order.connection(),
                    order.marketplaceOrderId(), order.skuId(), order.placedAt(), order.placeStatus(), order.approveAt(), status));
            approved++;
        }
        return approved;
    }

    /** {@code POST /marketplace/<id>/orders} with the connection's endpoint token; the status, or 0 when not answered. */
    private int post(Connection connection, JsonNode body) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(engineUrl() + "/marketplace/"
                            + connection.id() + "/orders")).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + connection.endpoint().token())
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode();
        } catch (Exception e) {
            log.info("Sandbox marketplace: order call to connection {} failed: {}", connection.id(), e.getMessage());
            return 0;
        }
    }

    /** The enabled marketplace connections whose offers come to this marketplace. */
    List<Connection> servedConnections() {
        return connections.marketplaces().stream().filter(c -> c.offers() != null && c.offers().rest() != null
                && c.offers().rest().url() != null && c.offers().rest().url().contains(BASE + "/")).toList();
    }

    private Duration approveAfter() {
        return env.getProperty("bridge.sandbox.marketplace.approve-after", Duration.class, Duration.ofSeconds(5));
    }

    private String engineUrl() {
        return "http://localhost:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    }
}
