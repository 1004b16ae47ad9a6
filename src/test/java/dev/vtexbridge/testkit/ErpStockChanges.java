package dev.vtexbridge.testkit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.vtexbridge.sync.OfferProjection;
import dev.vtexbridge.sync.OfferState;
import dev.vtexbridge.sync.OfferUpdate;
import dev.vtexbridge.sync.StockAllocation;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A stock workload through the ERP's own tables, as an ERP would write it: SKUs with 10 units in warehouse
 * {@code main}, then bursts of changes (a row in {@code erp_stock} updated and one in {@code erp_change} per change,
 * each SKU's changes close together, SKUs block after block), and the check that every marketplace was told what the
 * ERP's last quantity exposes. Shared by the two-instance test and its benchmark.
 */
public final class ErpStockChanges {

    private ErpStockChanges() {
    }

    /** {@code count} SKUs {@code <prefix>00000...} in the ERP and, active and priced, in the projection. */
    public static List<String> seed(JdbcTemplate erp, OfferProjection projection, String prefix, int count) {
        String category = erp.queryForObject("SELECT MIN(category_id) FROM erp_category", String.class);
        String brand = erp.queryForObject("SELECT MIN(brand_id) FROM erp_brand", String.class);
        List<String> ids = IntStream.range(0, count).mapToObj(i -> String.format("%s%05d", prefix, i)).toList();
        erp.batchUpdate("INSERT INTO erp_product (product_id, name, description, category_id, brand_id, updated_at) "
                + "VALUES (?, ?, 'stock workload', ?, ?, now())", ids.stream().map(id -> new Object[] {id, id, category, brand}).toList());
        erp.batchUpdate("INSERT INTO erp_sku (sku_id, product_id, name, ean, ref_id, weight_grams, height_cm, width_cm, "
                + "length_cm, updated_at) VALUES (?, ?, ?, NULL, ?, 300, 2, 30, 40, now())",
                ids.stream().map(id -> new Object[] {id, id, id, id}).toList());
        erp.batchUpdate("INSERT INTO erp_stock (sku_id, warehouse_id, quantity, updated_at) VALUES (?, 'main', 10, now())",
                ids.stream().map(id -> new Object[] {id}).toList());
        projection.upsertAll(ids.stream().map(id -> new OfferUpdate(id, 4990L, 5990L, null, true, "un", 1, 300,
                new BigDecimal("2"), new BigDecimal("30"), new BigDecimal("40"), Map.of("main", 10))).toList());
        return ids;
    }

    /**
     * Writes {@code perSku} changes for every SKU, 50 SKUs at a time (their changes interleaved), and returns each
     * SKU's last quantity.
     */
    public static Map<String, Integer> write(JdbcTemplate erp, List<String> ids, int perSku, long seed) {
        Random random = new Random(seed);
        Map<String, Integer> last = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 50) {
            List<Object[]> stock = new ArrayList<>();
            List<Object[]> changed = new ArrayList<>();
            for (int round = 0; round < perSku; round++) {
                for (String id : ids.subList(from, Math.min(ids.size(), from + 50))) {
                    int quantity = 2 + random.nextInt(400);
                    last.put(id, quantity);
                    stock.add(new Object[] {quantity, id});
                    changed.add(new Object[] {id});
                }
            }
            erp.batchUpdate("UPDATE erp_stock SET quantity = ?, updated_at = clock_timestamp() WHERE sku_id = ? "
                    + "AND warehouse_id = 'main'", stock);
            erp.batchUpdate("INSERT INTO erp_change (entity, sku_id, changed_at) VALUES ('stock', ?, now())", changed);
        }
        return last;
    }

    /**
     * How many SKUs are not yet right: the projection's pool is not the ERP's last quantity, or the marketplace of the
     * rules' connection was told another quantity than the one they expose of it.
     */
    public static long wrong(JdbcTemplate engineDb, OfferProjection projection, StockAllocation rules, Map<String, Integer> last) {
        return wrongSkus(engineDb, projection, rules, last).size();
    }

    /** The SKUs not yet right ({@link #wrong}), in one read of what the connection's marketplace was told. */
    public static Set<String> wrongSkus(JdbcTemplate engineDb, OfferProjection projection, StockAllocation rules,
                                        Map<String, Integer> last) {
        Map<String, Integer> told = new HashMap<>();
        engineDb.query("SELECT sku_id, notified_quantity FROM offer_notified WHERE connection_id = ?",
                rs -> {
                    told.put(rs.getString(1), rs.getObject(2, Integer.class));
                }, rules.connection());
        return last.entrySet().stream().filter(e -> {
            OfferState offer = projection.find(e.getKey()).orElse(null);
            return offer == null || !e.getValue().equals(offer.poolByWarehouse().get("main"))
                    || !Integer.valueOf(rules.exposed(offer)).equals(told.get(e.getKey()));
        }).map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Changes not yet taken from the ERP's change table. */
    public static int pending(JdbcTemplate erp) {
        return erp.queryForObject("SELECT COUNT(*) FROM erp_change WHERE processed_at IS NULL", Integer.class);
    }
}
