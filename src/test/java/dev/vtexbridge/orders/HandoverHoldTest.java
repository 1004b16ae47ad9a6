package dev.vtexbridge.orders;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.seller.SellerCredentials;
import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferUpdate;
import dev.vtexbridge.testkit.EngineTest;
import dev.vtexbridge.testkit.SellerClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The units of an order the ERP has taken over, until the ERP's own stock shows the order (issue 16): the ERP's stock
 * comes through its change table and the stock flow, orders through the seller endpoints, the simulation answers what
 * may be sold. Every SKU has 6 units in the ERP's warehouse {@code main}: 5 exposed (stock rules: safety buffer 1).
 */
class HandoverHoldTest extends EngineTest {

    private static final String SELLER = "/seller/pvt";
    private static final String ORDERS = SELLER + "/orders";
    private static final String SIMULATION = SELLER + "/orderForms/simulation";

    @Autowired
    @Qualifier("erpJdbc")
    NamedParameterJdbcTemplate erp;
    @Autowired
    OfferProjection projection;
    @Autowired
    OrderLinks links;
    @Autowired
    SellerCredentials credentials;

    SellerClient vtex;

    @BeforeEach
    void marketplace() {
        vtex = new SellerClient(engineUrl(""), credentials.appKey(), credentials.appToken());
    }

    @Test
    void unitsTheErpTookOverAreNotOfferedAgainBeforeItsStockShowsThem() {
        String sku = erpSku(6);
        assertThat(stockBalance(sku)).isEqualTo(5);

        String orderId = placeAndFulfil(sku, 2);
        awaitErp(orderId);

        // the ERP has the order, its stock still says 6: 3 may be sold, for as long as no ERP stock change says more
        await("the 2 units sold stay out of the offer").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> stockBalance(sku) == 3);
        SellerClient.Answer tooMany = vtex.post(ORDERS, order(sku, 4));
        assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(400);
        assertThat(tooMany.json().at("/error/code").asText()).isEqualTo("FMT002");
        assertThat(vtex.post(ORDERS, order(sku, 3)).status()).as("the 3 that are there").isEqualTo(200);
        assertThat(stockBalance(sku)).isZero();
    }

    // --- the ERP ---------------------------------------------------------------------------------------------

    /** A new SKU in the ERP with {@code units} in warehouse main, priced and active, its stock through the stock flow. */
    private String erpSku(int units) {
        String sku = "HO-" + UUID.randomUUID().toString().substring(0, 8);
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        MapSqlParameterSource row = new MapSqlParameterSource("sku", sku).addValue("units", units).addValue("at", before)
                .addValue("category", erp.getJdbcTemplate().queryForObject("SELECT MIN(category_id) FROM erp_category", String.class))
                .addValue("brand", erp.getJdbcTemplate().queryForObject("SELECT MIN(brand_id) FROM erp_brand", String.class));
        erp.update("INSERT INTO erp_product (product_id, name, description, category_id, brand_id, updated_at) "
                + "VALUES (:sku, :sku, 'hand-over', :category, :brand, :at)", row);
        erp.update("INSERT INTO erp_sku (sku_id, product_id, name, weight_grams, height_cm, width_cm, length_cm, updated_at) "
                + "VALUES (:sku, :sku, :sku, 300, 2, 30, 40, :at)", row);
        erp.update("INSERT INTO erp_stock (sku_id, warehouse_id, quantity, updated_at) VALUES (:sku, 'main', :units, :at)", row);
        projection.upsert(new OfferUpdate(sku, 4990L, 5990L, null, true, "un", 1, 300, new BigDecimal("2"),
                new BigDecimal("30"), new BigDecimal("40"), Map.of()));
        stockChanged(sku, before);
        awaitPool(sku, units);
        return sku;
    }

    /** What an ERP's trigger writes when its stock of the SKU changes: the row, and a change row of the same time. */
    private void erpStock(String sku, int units, OffsetDateTime at) {
        erp.update("UPDATE erp_stock SET quantity = :units, updated_at = :at WHERE sku_id = :sku AND warehouse_id = 'main'",
                new MapSqlParameterSource("sku", sku).addValue("units", units).addValue("at", at));
        stockChanged(sku, at);
    }

    private void stockChanged(String sku, OffsetDateTime at) {
        erp.update("INSERT INTO erp_change (entity, sku_id, changed_at) VALUES ('stock', :sku, :at)",
                new MapSqlParameterSource("sku", sku).addValue("at", at));
    }

    /** Until the stock flow applied the ERP's units of the SKU. */
    private void awaitPool(String sku, int units) {
        await().atMost(Duration.ofSeconds(10)).until(() -> projection.find(sku)
                .map(offer -> Integer.valueOf(units).equals(offer.poolByWarehouse().get("main"))).orElse(false));
    }

    // --- the marketplace -------------------------------------------------------------------------------------

    private String placeAndFulfil(String sku, int quantity) {
        ObjectNode order = order(sku, quantity);
        SellerClient.Answer placed = vtex.post(ORDERS, order);
        assertThat(placed.status()).as(placed.body()).isEqualTo(200);
        String orderId = placed.json().path("orderId").asText();
        SellerClient.Answer fulfilled = vtex.post(ORDERS + "/" + orderId + "/fulfill",
                "{\"marketplaceOrderId\":\"" + order.path("marketplaceOrderId").asText() + "\"}");
        assertThat(fulfilled.status()).as(fulfilled.body()).isEqualTo(200);
        return orderId;
    }

    private void awaitErp(String orderId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> links.find(orderId).orElseThrow().inErp());
    }

    private static ObjectNode order(String sku, int quantity) {
        ObjectNode order = SellerClient.fixture("order-placement.json");
        order.put("marketplaceOrderId", "HO-" + UUID.randomUUID());
        ((ObjectNode) order.at("/items/0")).put("id", sku).put("quantity", quantity);
        order.put("marketplacePaymentValue", 4990L * quantity + 1500);
        return order;
    }

    /** The units the simulation offers of the SKU. */
    private int stockBalance(String sku) {
        SellerClient.Answer answer = vtex.post(SIMULATION, """
                {"items": [{"id": "%s", "quantity": 1, "seller": "1"}], "postalCode": "22270-030", "country": "BRA"}"""
                .formatted(sku));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().path("logisticsInfo").get(0).path("stockBalance").asInt();
    }
}
