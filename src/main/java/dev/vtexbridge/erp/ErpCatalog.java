package dev.vtexbridge.erp;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import dev.vtexbridge.model.ErpProduct;
import dev.vtexbridge.model.Offer;
import dev.vtexbridge.model.Price;
import dev.vtexbridge.model.StockLevel;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The default ERP adapter: reads the documented ERP schema (db/erp, README "ERP schema") through the ERP's own
 * datasource ({@code erpJdbc}). Bound parameters only. Whole-catalog reads go page by page (500 SKUs), so memory
 * stays flat however large the catalog is.
 */
@Component("erpCatalog")
public class ErpCatalog {

    private static final int PAGE = 500;
    private static final String SKU_SELECT = "SELECT s.sku_id, s.product_id, s.name AS sku_name, s.ean, s.ref_id, "
            + "s.weight_grams, s.height_cm, s.width_cm, s.length_cm, s.measurement_unit, s.unit_multiplier, s.active, "
            + "s.updated_at AS sku_updated_at, p.name AS product_name, p.description, p.category_id, p.brand_id, "
            + "p.updated_at AS product_updated_at, c.name AS category_name, b.name AS brand_name "
            + "FROM erp_sku s JOIN erp_product p ON p.product_id = s.product_id "
            + "LEFT JOIN erp_category c ON c.category_id = p.category_id LEFT JOIN erp_brand b ON b.brand_id = p.brand_id ";

    private final NamedParameterJdbcTemplate erp;

    public ErpCatalog(@Qualifier("erpJdbc") NamedParameterJdbcTemplate erp) {
        this.erp = erp;
    }

    public Optional<ErpProduct> find(String skuId, String priceList) {
        List<ErpProduct> found = load(List.of(skuId), priceList);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public Optional<Price> price(String skuId, String priceList) {
        List<Price> prices = erp.query("SELECT * FROM erp_price WHERE sku_id = :sku AND price_list = :list",
                Map.of("sku", skuId, "list", priceList), (rs, n) -> price(rs));
        return prices.stream().findFirst();
    }

    public Optional<StockLevel> stock(String skuId) {
        Map<String, StockLevel> stock = stock(List.of(skuId));
        return Optional.ofNullable(stock.get(skuId));
    }

    /** The ERP category of a SKU's product (price rules are per category). */
    public Optional<String> categoryOf(String skuId) {
        return erp.queryForList("SELECT p.category_id FROM erp_sku s JOIN erp_product p ON p.product_id = s.product_id "
                + "WHERE s.sku_id = :sku", Map.of("sku", skuId), String.class).stream().findFirst();
    }

    /** Every SKU of the ERP in SKU id order, page by page. */
    public void forEach(String priceList, Consumer<ErpProduct> consumer) {
        String after = "";
        while (true) {
            List<String> ids = erp.queryForList("SELECT sku_id FROM erp_sku WHERE sku_id > :after ORDER BY sku_id LIMIT " + PAGE,
                    Map.of("after", after), String.class);
            if (ids.isEmpty()) {
                return;
            }
            load(ids, priceList).forEach(consumer);
            after = ids.get(ids.size() - 1);
        }
    }

    /** The ERP's categories, brands and attribute names (for the completeness report). */
    public Map<String, String> categories() {
        return names("SELECT category_id, name FROM erp_category ORDER BY category_id");
    }

    public Map<String, String> brands() {
        return names("SELECT brand_id, name FROM erp_brand ORDER BY brand_id");
    }

    private Map<String, String> names(String sql) {
        Map<String, String> names = new LinkedHashMap<>();
        erp.query(sql, rs -> {
            names.put(rs.getString(1), rs.getString(2));
        });
        return names;
    }

    private List<ErpProduct> load(List<String> ids, String priceList) {
        Map<String, Object> params = Map.of("ids", ids, "list", priceList);
        Map<String, List<Offer.Image>> images = new HashMap<>();
        erp.query("SELECT sku_id, label, file_name FROM erp_sku_image WHERE sku_id IN (:ids) ORDER BY sku_id, position", params,
                rs -> {
                    images.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Offer.Image(rs.getString(2), rs.getString(3)));
                });
        List<Map<String, Object>> rows = erp.queryForList(SKU_SELECT + "WHERE s.sku_id IN (:ids) ORDER BY s.sku_id", params);
        List<String> productIds = rows.stream().map(r -> (String) r.get("product_id")).distinct().toList();
        Map<String, Map<String, String>> productAttributes = attributes("product", productIds);
        Map<String, Map<String, String>> skuAttributes = attributes("sku", ids);
        Map<String, Price> prices = new HashMap<>();
        erp.query("SELECT * FROM erp_price WHERE sku_id IN (:ids) AND price_list = :list", params,
                rs -> {
                    prices.put(rs.getString("sku_id"), price(rs));
                });
        Map<String, StockLevel> stock = stock(ids);
        List<ErpProduct> products = new ArrayList<>(rows.size());
        for (Map<String, Object> r : rows) {
            String skuId = (String) r.get("sku_id");
            OffsetDateTime skuUpdated = time(r.get("sku_updated_at"));
            OffsetDateTime productUpdated = time(r.get("product_updated_at"));
            Offer offer = new Offer(skuId, (String) r.get("product_id"), (String) r.get("product_name"),
                    (String) r.get("description"), (String) r.get("sku_name"), (String) r.get("category_id"),
                    (String) r.get("category_name"), (String) r.get("brand_id"), (String) r.get("brand_name"),
                    (String) r.get("ean"), (String) r.get("ref_id"), r.get("weight_grams") == null ? null
                    : ((Number) r.get("weight_grams")).intValue(), (BigDecimal) r.get("height_cm"),
                    (BigDecimal) r.get("width_cm"), (BigDecimal) r.get("length_cm"), (String) r.get("measurement_unit"),
                    r.get("unit_multiplier") == null ? 1 : ((Number) r.get("unit_multiplier")).intValue(),
                    Boolean.TRUE.equals(r.get("active")), images.getOrDefault(skuId, List.of()),
                    productAttributes.getOrDefault((String) r.get("product_id"), Map.of()),
                    skuAttributes.getOrDefault(skuId, Map.of()),
                    productUpdated != null && productUpdated.isAfter(skuUpdated) ? productUpdated : skuUpdated);
            products.add(new ErpProduct(offer, prices.get(skuId), stock.get(skuId)));
        }
        return products;
    }

    private Map<String, Map<String, String>> attributes(String ownerType, List<String> owners) {
        Map<String, Map<String, String>> attributes = new HashMap<>();
        if (owners.isEmpty()) {
            return attributes;
        }
        erp.query("SELECT owner_id, attribute_name, attribute_value FROM erp_attribute WHERE owner_type = :type AND owner_id IN (:owners)",
                Map.of("type", ownerType, "owners", owners), rs -> {
                    attributes.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
                });
        return attributes;
    }

    private Map<String, StockLevel> stock(List<String> ids) {
        Map<String, Map<String, Integer>> quantities = new HashMap<>();
        Map<String, OffsetDateTime> versions = new HashMap<>();
        erp.query("SELECT sku_id, warehouse_id, quantity, updated_at FROM erp_stock WHERE sku_id IN (:ids)", Map.of("ids", ids),
                rs -> {
                    String sku = rs.getString(1);
                    quantities.computeIfAbsent(sku, k -> new HashMap<>()).put(rs.getString(2), rs.getInt(3));
                    OffsetDateTime at = rs.getObject(4, OffsetDateTime.class);
                    versions.merge(sku, at, (a, b) -> a.isAfter(b) ? a : b);
                });
        Map<String, StockLevel> stock = new HashMap<>();
        quantities.forEach((sku, q) -> stock.put(sku, new StockLevel(sku, q, versions.get(sku))));
        return stock;
    }

    private static Price price(ResultSet rs) throws SQLException {
        BigDecimal list = rs.getBigDecimal("list_price");
        return new Price(rs.getString("sku_id"), rs.getString("price_list"), Money.cents(rs.getBigDecimal("price")),
                list == null ? null : Money.cents(list), rs.getString("currency").trim(),
                rs.getObject("updated_at", OffsetDateTime.class));
    }

    private static OffsetDateTime time(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt;
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant().atOffset(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.time.Instant instant) {
            return instant.atOffset(java.time.ZoneOffset.UTC);
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
