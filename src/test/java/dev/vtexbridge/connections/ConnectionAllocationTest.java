package dev.vtexbridge.connections;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.seller.SellerCredentials;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferUpdate;
import dev.vtexbridge.sync.StockSync;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two connections over one stock pool (README "Connections"): connection {@code outlet} answers by its overlay rules
 * (mappings/connections/outlet/: 10 % below the ERP price, 50 % of the pool after the same buffer of 1), connection
 * {@code default} by the base ones, and an order on either lowers what the other answers at once.
 */
class ConnectionAllocationTest extends EngineTest {

    private static final String DEFAULT_PATH = "/seller/pvt";
    private static final String OUTLET_PATH = "/seller/outlet/pvt";
    private static final String SIMULATION = "/orderForms/simulation";
    private static final String ORDERS = "/orders";
    private static final long PRICE = 5000;

    @Autowired
    OfferProjection projection;
    @Autowired
    StockSync stockSync;
    @Autowired
    SellerCredentials credentials;

    SellerClient mainMarketplace;
    SellerClient outletMarketplace;
    String sku;

    /** 11 units in the ERP: default exposes 11 − 1 = 10, outlet 50 % of those, 5. */
    @BeforeEach
    void seed() {
        mainMarketplace = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
        outletMarketplace = new SellerClient(engineUrl(""), "vtexappkey-outlet-endpoint", "TEST-OUTLET-ENDPOINT-TOKEN-never-stored");
        sku = "ALLOC-" + UUID.randomUUID().toString().substring(0, 8);
        projection.upsert(new OfferUpdate(sku, PRICE, 5990L, null, true, "un", 1, 300, new BigDecimal("2"),
                new BigDecimal("30"), new BigDecimal("40"), Map.of()));
        stockSync.apply(new ErpChange(ErpChange.STOCK, sku, OffsetDateTime.now(), null, null, null, null, null,
                Map.of("main", 11)));
    }

    @Test
    void eachConnectionAnswersItsShareOfThePoolAtItsOwnPrice() {
        JsonNode outlet = simulate(outletMarketplace, OUTLET_PATH, 10);
        JsonNode main = simulate(mainMarketplace, DEFAULT_PATH, 10);

        assertThat(outlet.at("/items/0/quantity").asInt()).as("50 %% of 10").isEqualTo(5);
        assertThat(outlet.at("/items/0/price").asLong()).as("10 %% off").isEqualTo(4500);
        assertThat(outlet.at("/items/0/listPrice").asLong()).isEqualTo(5990);
        assertThat(outlet.at("/logisticsInfo/0/stockBalance").asInt()).isEqualTo(5);
        assertThat(main.at("/items/0/quantity").asInt()).isEqualTo(10);
        assertThat(main.at("/items/0/price").asLong()).isEqualTo(PRICE);
        assertThat(projection.find(sku).orElseThrow().poolByWarehouse()).isEqualTo(Map.of("main", 11));
    }

    @Test
    void theLastUnitPlacedOnDefaultLeavesOutletNothingAtOnce() {
        assertThat(place(mainMarketplace, DEFAULT_PATH, 10, PRICE).status()).isEqualTo(200);

        assertThat(simulate(mainMarketplace, DEFAULT_PATH, 1).at("/items/0/quantity").asInt()).isZero();
        assertThat(simulate(outletMarketplace, OUTLET_PATH, 1).at("/items/0/quantity").asInt())
                .as("the pool is held by default's order").isZero();
        assertThat(projection.find(sku).orElseThrow().heldByConnection()).isEqualTo(Map.of("default", 10));
    }

    @Test
    void outletCannotPlaceOverItsAllocationAndWhatItHoldsLowersDefault() {
        SellerClient.Answer refused = place(outletMarketplace, OUTLET_PATH, 6, 4500);
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("FMT002");

        assertThat(place(outletMarketplace, OUTLET_PATH, 5, 4500).status()).isEqualTo(200);

        assertThat(simulate(outletMarketplace, OUTLET_PATH, 1).at("/items/0/quantity").asInt()).isZero();
        assertThat(simulate(mainMarketplace, DEFAULT_PATH, 10).at("/items/0/quantity").asInt())
                .as("10 sellable, 5 held by outlet").isEqualTo(5);
        assertThat(place(mainMarketplace, DEFAULT_PATH, 6, PRICE).json().at("/error/code").asText()).isEqualTo("FMT002");
    }

    @Test
    void outletsPriceCheckComparesWithItsOwnPrice() {
        SellerClient.Answer belowOutletsPrice = place(outletMarketplace, OUTLET_PATH, 1, 4000);
        assertThat(belowOutletsPrice.status()).as(belowOutletsPrice.body()).isEqualTo(400);

        assertThat(place(outletMarketplace, OUTLET_PATH, 1, 4500).status()).isEqualTo(200);
    }

    private JsonNode simulate(SellerClient marketplace, String path, int quantity) {
        SellerClient.Answer answer = marketplace.post(path + SIMULATION, "{\"items\":[{\"id\":\"" + sku + "\",\"quantity\":"
                + quantity + ",\"seller\":\"1\"}],\"country\":\"BRA\",\"postalCode\":\"22270-030\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private SellerClient.Answer place(SellerClient marketplace, String path, int quantity, long unitPrice) {
        ObjectNode order = SellerClient.fixture("order-placement.json");
        order.put("marketplaceOrderId", System.nanoTime() + "-01");
        ((ObjectNode) order.at("/items/0")).put("id", sku).put("quantity", quantity).put("price", unitPrice);
        return marketplace.post(path + ORDERS, order);
    }
}
