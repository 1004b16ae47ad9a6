package dev.vtexbridge.sandbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.orders.OrderLinks.OrderLink;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.OrderDriver;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sandbox shopper (its route is off in the test profile; the test calls it) buys on every enabled seller
 * connection in turn, each on its own seller path with its own endpoint credentials, so the orders of both
 * marketplaces (default and outlet) hold units of the one stock pool and reach the ERP tagged with their connection.
 */
class SandboxShopperTest extends EngineTest {

    @Autowired
    SandboxShopper shopper;
    @Autowired
    OfferProjection projection;
    @Autowired
    OrderLinks links;
    @Autowired
    ObjectMapper json;

    @Test
    void theShopperPlacesOrdersOnEverySellerConnectionInTurn() throws Exception {
        // an offer both marketplaces may sell, among the newest the shopper picks from
        new OrderDriver(new SellerClient(engineUrl(""), "unused", "unused"), projection, links).newSku();

        Map<String, OrderLink> byConnection = new HashMap<>();
        for (int round = 0; round < 10 && byConnection.size() < 2; round++) {
            Optional<String> placed = shopper.shop();
            placed.flatMap(links::find).ifPresent(order -> byConnection.putIfAbsent(order.connectionId(), order));
        }
        assertThat(byConnection).as("an order on each enabled seller connection, none on the disabled one")
                .containsOnlyKeys("default", "outlet");

        // each order holds its unit in the one pool, counted for its own connection, until the ERP takes it over
        for (OrderLink order : byConnection.values()) {
            String sku = json.readTree(order.orderJson()).at("/items/0/id").asText();
            assertThat(projection.find(sku).orElseThrow().heldBy(order.connectionId())).as(order.orderId())
                    .isGreaterThanOrEqualTo(1);
            assertThat(json.readTree(order.orderJson()).path("marketplaceServicesEndpoint").asText())
                    .endsWith("an=" + ("default".equals(order.connectionId()) ? "testmarketplace" : "testoutlet"));
        }

        assertThat(shopper.fulfilDue()).isGreaterThanOrEqualTo(2);
        for (OrderLink order : byConnection.values()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> links.find(order.orderId()).orElseThrow().inErp());
            assertThat(links.find(order.orderId()).orElseThrow().connectionId()).isEqualTo(order.connectionId());
        }
    }
}
