package dev.vtexbridge.seller;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.testkit.EmbeddedPostgresSupport;
import dev.vtexbridge.testkit.EngineLauncher;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Order placement on PostgreSQL while the database goes away: VTEX gets a quick 5xx (never a false success), and
 * its retry once the database is back creates the order exactly once.
 */
class PlacementDatabaseOutageIT {

    private static final String APP_KEY = "vtexappkey-outage-test";
    private static final String APP_TOKEN = "outage-test-token";

    private static EmbeddedPostgresSupport.Database database;
    private static ConfigurableApplicationContext engine;

    @BeforeAll
    static void startEngineOnPostgres() {
        database = EmbeddedPostgresSupport.newDatabase();
        engine = EngineLauncher.start("outage", Map.of(
                "spring.datasource.url", database.jdbcUrl(),
                "spring.datasource.username", database.username(),
                "spring.datasource.password", database.password(),
                "bridge.seller.app-key", APP_KEY,
                "bridge.seller.app-token", APP_TOKEN));
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
        if (database != null) {
            database.allowConnections(true);
        }
    }

    @Test
    void placementDuringAnOutageFailsFastAndItsRetrySucceedsOnce() {
        String sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
        OfferProjection projection = engine.getBean(OfferProjection.class);
        projection.upsert(OrderEndpointsTest.offer(sku, 10));
        SellerClient vtex = new SellerClient(EngineLauncher.baseUrl(engine), APP_KEY, APP_TOKEN);
        ObjectNode order = OrderEndpointsTest.order(System.nanoTime() + "-01", sku, 3);

        database.allowConnections(false);
        long started = System.nanoTime();
        SellerClient.Answer duringOutage = vtex.post("/seller/pvt/orders", order);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(duringOutage.status()).as(duringOutage.body()).isEqualTo(503);
        assertThat(duringOutage.json().at("/error/code").asText()).isEqualTo("ORD008");
        assertThat(took).as("answered before VTEX gives up").isLessThan(Duration.ofSeconds(15));

        database.allowConnections(true);
        // VTEX retries until it gets an answer; the pool may need a moment to reconnect.
        SellerClient.Answer[] last = new SellerClient.Answer[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            last[0] = vtex.post("/seller/pvt/orders", order);
            assertThat(last[0].status()).as(last[0].body()).isIn(200, 503);
            return last[0].status() == 200;
        });
        SellerClient.Answer retry = last[0];
        SellerClient.Answer repeat = vtex.post("/seller/pvt/orders", order);
        assertThat(repeat.json().get("orderId")).isEqualTo(retry.json().get("orderId"));

        JdbcTemplate jdbc = engine.getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM seller_order WHERE marketplace_order_id = ?", Integer.class,
                order.get("marketplaceOrderId").asText())).isEqualTo(1);
        assertThat(projection.find(sku).orElseThrow().available()).isEqualTo(7);
    }
}
