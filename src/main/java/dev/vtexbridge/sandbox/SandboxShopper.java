package dev.vtexbridge.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.connections.EndpointCredentials;
import dev.vtexbridge.seller.SellerProperties;
import dev.vtexbridge.sync.ConnectionOffers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The sandbox marketplace plays a shopper ({@code routes/sandbox/sandbox-shopper.camel.yaml}): it buys one unit of a
 * sellable offer the way a VTEX marketplace does, over HTTP against the engine's own seller endpoints: fulfillment
 * simulation, order placement (its services endpoint is the sandbox's OMS), and {@code fulfil-after} later the fulfil
 * that releases the order to the ERP. The orders waiting for their fulfil are kept in memory, like the sandbox's call log.
 * <p>
 * It shops on every enabled seller connection in turn (round robin, starting with {@value Connection#DEFAULT}), each
 * on its own endpoint path ({@code /seller/pvt/…}, {@code /seller/<id>/pvt/…}) with that connection's endpoint
 * credentials, its seller id and its VTEX account: the orders of every marketplace draw on the one stock pool. A
 * connection with nothing to sell passes its turn to the next.
 */
@Component("sandboxShopper") // always a bean, so its route exists; that route only starts with the sandbox
public class SandboxShopper {

    private static final Logger log = LoggerFactory.getLogger(SandboxShopper.class);

    private record Placed(Connection connection, String orderId, String marketplaceOrderId, Instant fulfilAt) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Placed> awaitingFulfil = new ConcurrentHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();
    private final ConnectionOffers offers;
    private final JdbcTemplate jdbc;
    private final Connections connections;
    private final SellerProperties seller;
    private final Environment env;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration fulfilAfter;
    private final String postalCode;

    public SandboxShopper(ConnectionOffers offers, JdbcTemplate jdbc, Connections connections,
                          SellerProperties seller, Environment env, ObjectMapper json, Clock clock,
                          @Value("${bridge.sandbox.shopper.fulfil-after}") Duration fulfilAfter,
                          @Value("${bridge.sandbox.shopper.postal-code}") String postalCode) {
        this.offers = offers;
        this.jdbc = jdbc;
        this.connections = connections;
        this.seller = seller;
        this.env = env;
        this.json = json;
        this.clock = clock;
        this.fulfilAfter = fulfilAfter;
        this.postalCode = postalCode;
    }

    /**
     * Simulates and places one order on the connection whose turn it is (or the next one with something to sell);
     * empty when no connection has anything to buy, or no delivery option.
     */
    public Optional<String> shop() throws IOException, InterruptedException {
        List<Connection> sellers = connections.sellers();
        int first = Math.floorMod(turn.getAndIncrement(), Math.max(sellers.size(), 1));
        for (int i = 0; i < sellers.size(); i++) {
            Connection connection = sellers.get((first + i) % sellers.size());
            Optional<String> sku = pickOffer(connection);
            if (sku.isPresent()) {
                return shop(connection, sku.get());
            }
        }
        log.info("Sandbox shopper: nothing to buy yet (no offer any seller connection may sell)");
        return Optional.empty();
    }

    private Optional<String> shop(Connection connection, String sku) throws IOException, InterruptedException {
        JsonNode simulation = call(connection, "/orderForms/simulation", json.createObjectNode()
                .put("postalCode", postalCode).put("country", "BRA")
                .set("items", json.createArrayNode().add(item(connection, sku))));
        JsonNode sla = simulation.at("/logisticsInfo/0/slas/0");
        if (sla.isMissingNode()) {
            log.info("Sandbox shopper: SKU {} has no delivery option to {} on connection {}", sku, postalCode, connection.id());
            return Optional.empty();
        }
        String marketplaceOrderId = "SBX" + clock.millis() + "-01";
        JsonNode placed = call(connection, "/orders",
                order(connection, marketplaceOrderId, sku, simulation.at("/items/0/price").asLong(), sla));
        String orderId = placed.path("orderId").asText();
        awaitingFulfil.put(orderId, new Placed(connection, orderId, marketplaceOrderId, clock.instant().plus(fulfilAfter)));
        log.info("Sandbox shopper: placed marketplace order {} (seller order {}) for SKU {} on connection {}",
                marketplaceOrderId, orderId, sku, connection.id());
        return Optional.of(orderId);
    }

    /** Authorizes dispatch of the orders whose fulfil is due; returns how many. */
    public int fulfilDue() throws IOException, InterruptedException {
        int fulfilled = 0;
        for (Placed order : List.copyOf(awaitingFulfil.values())) {
            if (!order.fulfilAt().isAfter(clock.instant())) {
                call(order.connection(), "/orders/" + order.orderId() + "/fulfill", json.createObjectNode()
                        .put("marketplaceOrderId", order.marketplaceOrderId())
                        .put("marketplaceOrderGroup", groupOf(order.marketplaceOrderId())));
                awaitingFulfil.remove(order.orderId());
                fulfilled++;
            }
        }
        return fulfilled;
    }

    /** A SKU of the newest offers that the connection may sell (its own price and share of the pool). */
    private Optional<String> pickOffer(Connection connection) {
        List<String> sellable = jdbc.queryForList("SELECT sku_id FROM offer_projection WHERE active = TRUE "
                        + "ORDER BY updated_at DESC LIMIT 50", String.class).stream()
                .map(sku -> offers.find(connection.id(), sku)).flatMap(Optional::stream)
                .filter(offer -> offer.offer().sellable() && offer.available() > 0)
                .map(offer -> offer.offer().skuId()).toList();
        return sellable.isEmpty() ? Optional.empty()
                : Optional.of(sellable.get(ThreadLocalRandom.current().nextInt(sellable.size())));
    }

    private ObjectNode item(Connection connection, String sku) {
        return json.createObjectNode().put("id", sku).put("quantity", 1).put("seller", connection.vtex().sellerId());
    }

    /** An order placement (protocol A2) for one unit, with the services endpoint of the sandbox's OMS. */
    private ObjectNode order(Connection connection, String marketplaceOrderId, String sku, long price, JsonNode sla) {
        ObjectNode order = json.createObjectNode()
                .put("marketplaceOrderId", marketplaceOrderId)
                .put("marketplaceOrderGroup", groupOf(marketplaceOrderId))
                .put("marketplaceServicesEndpoint", "http://localhost:" + port() + "/sandbox/vtex/api/oms?an="
                        + connection.vtex().account())
                .put("marketplacePaymentValue", price + sla.path("price").asLong());
        order.set("items", json.createArrayNode().add(item(connection, sku).put("price", price).put("commission", 0)
                .put("freightCommission", 0).put("measurementUnit", "un").put("unitMultiplier", 1).put("isGift", false)
                .set("priceTags", json.createArrayNode())));
        order.set("clientProfileData", json.createObjectNode().put("email", "shopper@ct.vtex.com.br")
                .put("firstName", "Sandbox").put("lastName", "Shopper").put("documentType", "cpf")
                .put("document", "12345678909").put("phone", "+5521999990000").put("isCorporate", false));
        ObjectNode shipping = json.createObjectNode().put("updateStatus", "updated");
        shipping.set("address", json.createObjectNode().put("addressType", "residential").put("receiverName", "Sandbox Shopper")
                .put("postalCode", postalCode).put("city", "Rio de Janeiro").put("state", "RJ").put("country", "BRA")
                .put("street", "Praia de Botafogo").put("number", "300").put("neighborhood", "Botafogo"));
        shipping.set("logisticsInfo", json.createArrayNode().add(json.createObjectNode().put("itemIndex", 0)
                .put("selectedSla", sla.path("id").asText()).put("price", sla.path("price").asLong()).put("lockTTL", "1d")
                .put("shippingEstimate", sla.path("shippingEstimate").asText())));
        order.set("shippingData", shipping);
        order.putNull("paymentData");
        return order;
    }

    /** A call to the connection's seller endpoints ({@code path} after its {@code …/pvt}), with its credentials. */
    private JsonNode call(Connection connection, String path, JsonNode body) throws IOException, InterruptedException {
        EndpointCredentials credentials = connection.endpoint();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port()
                        + connection.sellerEndpointPath(seller.basePath()) + path))
                .timeout(Duration.ofSeconds(10))
                .header("X-VTEX-API-AppKey", credentials.appKey()).header("X-VTEX-API-AppToken", credentials.appToken())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("sandbox shopper: " + connection.sellerEndpointPath(seller.basePath()) + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    private String port() {
        return env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    }

    private static String groupOf(String marketplaceOrderId) {
        return marketplaceOrderId.substring(0, marketplaceOrderId.lastIndexOf('-'));
    }
}
