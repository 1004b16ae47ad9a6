package dev.vtexbridge.marketplace;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.vtexbridge.web.TableSort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The listings of a marketplace-role connection as ops see them ({@code GET /ops/api/offers?connection=<id>} and
 * {@code /offers/{sku}?connection=<id>}, the Offers view of the console, {@code ops offers list --connection <id>}),
 * and the connection's completeness report ({@code GET /ops/api/mappings/completeness?connection=<id>}): the VTEX
 * categories, brands and attributes its listings found unmapped ({@code blocked_by} of {@code marketplace_listing}).
 */
@Component
public class ListingOps {

    /** The statuses of a listing, as the ops API names them. */
    public static final List<String> STATUSES = List.of("listed", "delisted", "error");

    /** What the list sorts by ({@code sort=updatedAt,desc}); by SKU by default. */
    static final TableSort SORT = TableSort.of("sku_id", "sku",
            "sku", "sku_id", "status", "LOWER(status)", "reason", "reason", "blockedBy", "blocked_by",
            "productId", "product_id", "price", "price", "stock", "stock", "changedAt", "changed_at",
            "updatedAt", "updated_at");

    static final TableSort BLOCKED_SORT = TableSort.inMemory("sku", "sku", "blockedBy");

    private final JdbcTemplate jdbc;

    public ListingOps(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A page of the connection's listings: status (listed, delisted, error), SKU prefix, reason text. */
    public Map<String, Object> list(String connection, String status, String sku, String reason, String sort, int page,
                                    int size) {
        String orderBy = SORT.orderBy(sort);
        List<Object> args = new ArrayList<>(List.of(connection));
        String where = where(status, sku, reason, args);
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM marketplace_listing" + where, Long.class, args.toArray());
        args.add(size);
        args.add((long) page * size);
        List<Map<String, Object>> items = jdbc.query("SELECT * FROM marketplace_listing" + where + orderBy
                + " LIMIT ? OFFSET ?", (rs, i) -> view(rs), args.toArray());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("role", "marketplace");
        answer.put("items", items);
        answer.put("page", page);
        answer.put("size", size);
        answer.put("total", total == null ? 0 : total);
        answer.put("counts", counts(connection));
        return answer;
    }

    /** One listing of the connection. */
    public Optional<Map<String, Object>> one(String connection, String sku) {
        return jdbc.query("SELECT * FROM marketplace_listing WHERE connection_id = ? AND sku_id = ?", (rs, i) -> view(rs),
                connection, sku).stream().findFirst();
    }

    /** The connection's listings per status (every status, 0 where none). */
    public Map<String, Integer> counts(String connection) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        STATUSES.forEach(status -> counts.put(status, 0));
        jdbc.query("SELECT status, COUNT(*) FROM marketplace_listing WHERE connection_id = ? GROUP BY status",
                rs -> {
                    counts.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getInt(2));
                }, connection);
        return counts;
    }

    /**
     * The completeness report of a marketplace-role connection, in the shape of the seller role's: the VTEX categories,
     * brands and attributes without a mapping, each with how many of the connection's listings name it in
     * {@code blockedBy} ({@code vtexId}; {@code erpId} the same id, the store being the source of the data), and those
     * listings a page at a time with their status ({@code listed}: published with {@code category.marketplaceId: null};
     * {@code error}: held back or failed) and reason. {@code scannedSkus}: the connection's listings.
     */
    public Map<String, Object> completeness(String connection, String sort, int page, int size) {
        TableSort.Order order = BLOCKED_SORT.parse(sort);
        Map<String, Integer> categories = new TreeMap<>();
        Map<String, Integer> brands = new TreeMap<>();
        Map<String, Integer> attributes = new TreeMap<>();
        List<Map<String, Object>> blocked = new ArrayList<>();
        jdbc.query("SELECT sku_id, status, reason, blocked_by FROM marketplace_listing WHERE connection_id = ?"
                + " AND blocked_by IS NOT NULL AND status <> 'DELISTED' ORDER BY sku_id", rs -> {
                    List<String> blockers = Arrays.stream(rs.getString("blocked_by").split(","))
                            .map(String::trim).filter(b -> !b.isEmpty()).distinct().toList();
                    for (String blocker : blockers) {
                        int colon = blocker.indexOf(':');
                        String kind = colon < 0 ? "" : blocker.substring(0, colon);
                        String id = blocker.substring(colon + 1);
                        switch (kind) {
                            case "category" -> categories.merge(id, 1, Integer::sum);
                            case "brand" -> brands.merge(id, 1, Integer::sum);
                            case "attribute" -> attributes.merge(id, 1, Integer::sum);
                            default -> { }
                        }
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("sku", rs.getString("sku_id"));
                    row.put("status", rs.getString("status").toLowerCase(Locale.ROOT));
                    row.put("blockedBy", blockers);
                    row.put("reason", rs.getString("reason"));
                    blocked.add(row);
                }, connection);
        Integer scanned = jdbc.queryForObject("SELECT COUNT(*) FROM marketplace_listing WHERE connection_id = ?",
                Integer.class, connection);
        java.util.Comparator<Map<String, Object>> bySku = java.util.Comparator.comparing(row -> (String) row.get("sku"));
        java.util.Comparator<Map<String, Object>> comparator = order.column().equals("blockedBy")
                ? java.util.Comparator.<Map<String, Object>, String>comparing(row -> String.valueOf(row.get("blockedBy")))
                        .thenComparing(bySku)
                : bySku;
        blocked.sort(order.descending() ? comparator.reversed() : comparator);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("role", "marketplace");
        report.put("scannedSkus", scanned == null ? 0 : scanned);
        report.put("unmappedCategories", unmapped(categories));
        report.put("unmappedBrands", unmapped(brands));
        report.put("unmappedAttributes", attributes.entrySet().stream().map(e -> Map.<String, Object>of("name", e.getKey(),
                "skus", e.getValue())).toList());
        report.put("blockedTotal", blocked.size());
        report.put("page", page);
        report.put("size", size);
        report.put("blockedSkus", blocked.stream().skip((long) page * size).limit(size).toList());
        return report;
    }

    private static List<Map<String, Object>> unmapped(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(e -> Map.<String, Object>of("vtexId", e.getKey(), "erpId", e.getKey(),
                "skus", e.getValue())).toList();
    }

    private static String where(String status, String sku, String reason, List<Object> args) {
        StringBuilder sql = new StringBuilder(" WHERE connection_id = ?");
        if (status != null && !status.isBlank()) {
            sql.append(" AND status = ?");
            args.add(status.trim().toUpperCase(Locale.ROOT));
        }
        if (sku != null && !sku.isBlank()) {
            sql.append(" AND sku_id LIKE ? ESCAPE '\\'");
            args.add(like(sku.trim()) + "%");
        }
        if (reason != null && !reason.isBlank()) {
            sql.append(" AND LOWER(reason) LIKE ? ESCAPE '\\'");
            args.add("%" + like(reason.trim().toLowerCase(Locale.ROOT)) + "%");
        }
        return sql.toString();
    }

    private static String like(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Map<String, Object> view(ResultSet rs) throws SQLException {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sku", rs.getString("sku_id"));
        view.put("status", rs.getString("status").toLowerCase(Locale.ROOT));
        view.put("reason", rs.getString("reason"));
        view.put("blockedBy", rs.getString("blocked_by"));
        view.put("productId", rs.getString("product_id"));
        view.put("active", rs.getObject("active", Boolean.class));
        view.put("price", rs.getObject("price", Long.class));
        view.put("listPrice", rs.getObject("list_price", Long.class));
        view.put("stock", rs.getObject("stock", Integer.class));
        view.put("changedAt", rs.getObject("changed_at", java.time.OffsetDateTime.class));
        view.put("updatedAt", rs.getObject("updated_at", java.time.OffsetDateTime.class));
        return view;
    }
}
