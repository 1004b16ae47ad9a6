package dev.vtexbridge.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.web.LikePattern;
import dev.vtexbridge.web.TableSort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The seller sync state per SKU (table offer_sync, engine database): catalog status with the marketplace, ERP
 * versions applied, ERP values before rules, a price held by the guardrail; and what each connection's marketplace
 * was told last (table offer_notified, per connection and SKU).
 */
@Component
public class OfferSyncStore {

    public enum CatalogStatus { PENDING, SUGGESTED, BOUND, ERROR }

    /** One SKU's sync state. {@code status()} is what ops see: HELD while a price waits for approval. */
    public record SyncState(String skuId, String productId, String categoryId, CatalogStatus catalogStatus, String reason,
                            String blockedBy, OffsetDateTime catalogVersion, OffsetDateTime priceVersion,
                            OffsetDateTime stockVersion, Long erpPrice, Long erpListPrice, Map<String, Integer> erpStock,
                            Long heldPrice, String heldReason, OffsetDateTime updatedAt) {

        public String status() {
            return heldPrice != null ? "held" : catalogStatus.name().toLowerCase();
        }
    }

    private static final TypeReference<Map<String, Integer>> STOCK = new TypeReference<>() { };
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    public OfferSyncStore(JdbcTemplate jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Creates the row when missing and locks it for the caller's transaction (one change per SKU at a time). The row
     * is looked up first: on H2 an {@code ON CONFLICT DO NOTHING} that hits an existing row costs a caught exception,
     * and every change after a SKU's first one would pay it (seen in the stock benchmark's profile).
     */
    public SyncState lock(String skuId) {
        List<SyncState> existing = jdbc.query("SELECT * FROM offer_sync WHERE sku_id = ? FOR UPDATE", this::read, skuId);
        if (!existing.isEmpty()) {
            return existing.get(0);
        }
        jdbc.update("INSERT INTO offer_sync (sku_id, catalog_status, updated_at) VALUES (?, 'PENDING', ?) ON CONFLICT DO NOTHING",
                skuId, now());
        return jdbc.queryForObject("SELECT * FROM offer_sync WHERE sku_id = ? FOR UPDATE", this::read, skuId);
    }

    /**
     * {@link #lock} for many SKUs at once (a stock batch), one statement per {@value InLists#MAX_SIZE} SKUs, locking in
     * SKU order so two batches cannot deadlock each other; the missing rows are created and locked after the others.
     *
     * @return the SKUs' sync states, in SKU order
     */
    public SortedMap<String, SyncState> lockAll(Collection<String> skuIds) {
        SortedSet<String> wanted = new TreeSet<>(skuIds);
        SortedMap<String, SyncState> locked = selectForUpdate(wanted);
        if (locked.size() < wanted.size()) {
            List<String> missing = wanted.stream().filter(sku -> !locked.containsKey(sku)).toList();
            OffsetDateTime now = now();
            jdbc.batchUpdate("INSERT INTO offer_sync (sku_id, catalog_status, updated_at) VALUES (?, 'PENDING', ?) ON CONFLICT DO NOTHING",
                    missing.stream().map(sku -> new Object[] {sku, now}).toList());
            locked.putAll(selectForUpdate(missing));
        }
        return locked;
    }

    private SortedMap<String, SyncState> selectForUpdate(Collection<String> skuIds) {
        SortedMap<String, SyncState> rows = new TreeMap<>();
        for (List<String> chunk : InLists.chunks(skuIds)) {
            jdbc.query("SELECT * FROM offer_sync WHERE sku_id IN (" + InLists.placeholders(chunk.size()) + ") ORDER BY sku_id FOR UPDATE",
                    rs -> {
                        SyncState state = read(rs, 0);
                        rows.put(state.skuId(), state);
                    }, chunk.toArray());
        }
        return rows;
    }

    public java.util.Optional<SyncState> find(String skuId) {
        return jdbc.query("SELECT * FROM offer_sync WHERE sku_id = ?", this::read, skuId).stream().findFirst();
    }

    public void savePrice(String skuId, OffsetDateTime version, long erpPrice, Long erpListPrice, Long heldPrice,
                          String heldReason) {
        jdbc.update("UPDATE offer_sync SET price_version = COALESCE(?, price_version), erp_price = ?, erp_list_price = ?, "
                        + "held_price = ?, held_reason = ?, updated_at = ? WHERE sku_id = ?",
                version, erpPrice, erpListPrice, heldPrice, heldReason, now(), skuId);
    }

    /** A SKU's stock as the ERP reported it, for {@link #saveStockAll}. */
    public record ErpStock(String skuId, OffsetDateTime version, Map<String, Integer> warehouses) {
    }

    /** Saves the SKUs' stock version and ERP units per warehouse (before rules), in one JDBC batch. */
    public void saveStockAll(List<ErpStock> stocks) {
        OffsetDateTime now = now();
        jdbc.batchUpdate("UPDATE offer_sync SET stock_version = COALESCE(?, stock_version), erp_stock = ?, updated_at = ? WHERE sku_id = ?",
                stocks.stream().map(s -> new Object[] {s.version(), write(s.warehouses()), now, s.skuId()}).toList());
    }

    public void saveCatalog(String skuId, String productId, String categoryId, OffsetDateTime version) {
        jdbc.update("UPDATE offer_sync SET product_id = ?, category_id = ?, catalog_version = COALESCE(?, catalog_version), "
                + "updated_at = ? WHERE sku_id = ?", productId, categoryId, version, now(), skuId);
    }

    public void status(String skuId, CatalogStatus status, String reason, String blockedBy) {
        jdbc.update("INSERT INTO offer_sync (sku_id, catalog_status, updated_at) VALUES (?, 'PENDING', ?) ON CONFLICT DO NOTHING",
                skuId, now());
        jdbc.update("UPDATE offer_sync SET catalog_status = ?, reason = ?, blocked_by = ?, updated_at = ? WHERE sku_id = ?",
                status.name(), reason, blockedBy, now(), skuId);
    }

    /** What a marketplace was told last of a SKU: price in cents and exposed units (null: nothing yet). */
    public record Notified(Long price, Integer quantity) {

        static final Notified NOTHING = new Notified(null, null);

        /** Whether the marketplace was told this value of the notification's kind: the one comparison of what it knows. */
        public boolean told(String kind, Long value) {
            Long last = PriceSync.NOTIFICATION.equals(kind) ? price : quantity == null ? null : quantity.longValue();
            return value != null && value.equals(last);
        }
    }

    /** By SKU, what each connection's marketplace was told last, in one statement per {@value InLists#MAX_SIZE} SKUs. */
    public Map<String, Map<String, Notified>> notifiedEverywhere(Collection<String> skuIds) {
        Map<String, Map<String, Notified>> told = new HashMap<>();
        for (List<String> chunk : InLists.chunks(skuIds)) {
            jdbc.query("SELECT sku_id, connection_id, notified_price, notified_quantity FROM offer_notified WHERE sku_id IN ("
                    + InLists.placeholders(chunk.size()) + ")", rs -> {
                        told.computeIfAbsent(rs.getString(1), sku -> new TreeMap<>()).put(rs.getString(2),
                                new Notified(rs.getObject(3, Long.class), rs.getObject(4, Integer.class)));
                    }, chunk.toArray());
        }
        return told;
    }

    /**
     * The SKUs, of those given with the value their marketplaces will read, that some of the connections was not told
     * that value of yet ({@code kind} price or inventory): the ones a notification is worth queuing for.
     */
    public Set<String> untold(String kind, Map<String, Long> values, Collection<String> connectionIds) {
        Map<String, Map<String, Notified>> told = notifiedEverywhere(values.keySet());
        Set<String> untold = new TreeSet<>();
        values.forEach((sku, value) -> {
            Map<String, Notified> byConnection = told.getOrDefault(sku, Map.of());
            if (connectionIds.stream().anyMatch(id -> !byConnection.getOrDefault(id, Notified.NOTHING).told(kind, value))) {
                untold.add(sku);
            }
        });
        return untold;
    }

    /** Records the values the connection's marketplace was told, one JDBC batch per kind (in the caller's transaction, if any). */
    public void saveNotified(String connectionId, List<OfferNotifications.Notification> told) {
        saveNotified("notified_price", connectionId, told.stream().filter(OfferNotifications.Notification::price)
                .map(n -> new Object[] {n.value(), connectionId, n.sku()}).toList());
        saveNotified("notified_quantity", connectionId, told.stream().filter(n -> !n.price())
                .map(n -> new Object[] {n.value().intValue(), connectionId, n.sku()}).toList());
    }

    /**
     * Updates the rows there are, then creates the others and updates them: the row is there for every notification
     * after a SKU's first, and on H2 an {@code ON CONFLICT DO NOTHING} that hits a row costs a caught exception.
     */
    private void saveNotified(String column, String connectionId, List<Object[]> values) {
        String update = "UPDATE offer_notified SET " + column + " = ? WHERE connection_id = ? AND sku_id = ?";
        int[] updated = jdbc.batchUpdate(update, values);
        List<Object[]> missing = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
                missing.add(values.get(i));
            }
        }
        if (!missing.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO offer_notified (connection_id, sku_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    missing.stream().map(row -> new Object[] {connectionId, row[2]}).toList());
            jdbc.batchUpdate(update, missing);
        }
    }

    public void releaseHold(String skuId) {
        jdbc.update("UPDATE offer_sync SET held_price = NULL, held_reason = NULL, updated_at = ? WHERE sku_id = ?", now(), skuId);
    }

    /** SKUs whose catalog is blocked by a missing mapping entry. */
    public List<SyncState> blocked() {
        return jdbc.query("SELECT * FROM offer_sync WHERE catalog_status = 'ERROR' AND blocked_by IS NOT NULL ORDER BY sku_id", this::read);
    }

    /** SKUs suggested but not yet seen bound, last touched before {@code before}. */
    public List<String> suggestedBefore(OffsetDateTime before, int limit) {
        return jdbc.queryForList("SELECT sku_id FROM offer_sync WHERE catalog_status = 'SUGGESTED' AND updated_at < ? "
                + "ORDER BY updated_at LIMIT " + limit, String.class, before);
    }

    /** The ops list's last values told: connection default's (the list is per SKU). */
    private static final String TOLD_DEFAULT = "(SELECT n.%s FROM offer_notified n WHERE n.connection_id = 'default' "
            + "AND n.sku_id = offer_sync.sku_id)";

    /** What the ops list sorts by ({@code sort=updatedAt,desc}); by SKU by default. */
    static final TableSort SORT = TableSort.of("sku_id", "sku",
            "sku", "sku_id", "status", "CASE WHEN held_price IS NOT NULL THEN 'held' ELSE LOWER(catalog_status) END",
            "reason", "CASE WHEN held_price IS NOT NULL THEN held_reason ELSE reason END", "productId", "product_id",
            "categoryId", "category_id", "erpPrice", "erp_price", "heldPrice", "held_price",
            "notifiedPrice", TOLD_DEFAULT.formatted("notified_price"), "notifiedQuantity", TOLD_DEFAULT.formatted("notified_quantity"),
            "updatedAt", "updated_at");

    /** Filtered list for ops: status (pending, suggested, bound, held, error), SKU prefix, reason text. */
    public List<SyncState> list(String status, String skuPrefix, String reason, String sort, int page, int size) {
        String orderBy = SORT.orderBy(sort);
        List<Object> args = new ArrayList<>();
        String where = where(status, skuPrefix, reason, args);
        args.add(size);
        args.add((long) page * size);
        return jdbc.query("SELECT * FROM offer_sync" + where + orderBy + " LIMIT ? OFFSET ?", this::read, args.toArray());
    }

    /** How many SKUs the same filters select. */
    public long count(String status, String skuPrefix, String reason) {
        List<Object> args = new ArrayList<>();
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM offer_sync" + where(status, skuPrefix, reason, args), Long.class,
                args.toArray());
        return count == null ? 0 : count;
    }

    private static String where(String status, String skuPrefix, String reason, List<Object> args) {
        StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
        if (status != null && !status.isBlank()) {
            if ("held".equalsIgnoreCase(status)) {
                sql.append(" AND held_price IS NOT NULL");
            } else {
                sql.append(" AND catalog_status = ? AND held_price IS NULL");
                args.add(status.toUpperCase());
            }
        }
        if (skuPrefix != null && !skuPrefix.isBlank()) {
            sql.append(" AND sku_id LIKE ? ESCAPE '\\'");
            args.add(LikePattern.startsWith(skuPrefix));
        }
        if (reason != null && !reason.isBlank()) {
            sql.append(" AND (LOWER(reason) LIKE ? ESCAPE '\\' OR LOWER(held_reason) LIKE ? ESCAPE '\\')");
            String like = LikePattern.contains(reason.toLowerCase(Locale.ROOT));
            args.add(like);
            args.add(like);
        }
        return sql.toString();
    }

    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        jdbc.query("SELECT CASE WHEN held_price IS NOT NULL THEN 'HELD' ELSE catalog_status END AS s, COUNT(*) FROM offer_sync GROUP BY "
                + "CASE WHEN held_price IS NOT NULL THEN 'HELD' ELSE catalog_status END", rs -> {
                    counts.put(rs.getString(1).toLowerCase(), rs.getInt(2));
                });
        return counts;
    }

    private SyncState read(ResultSet rs, int row) throws SQLException {
        String stock = rs.getString("erp_stock");
        return new SyncState(rs.getString("sku_id"), rs.getString("product_id"), rs.getString("category_id"),
                CatalogStatus.valueOf(rs.getString("catalog_status")), rs.getString("reason"), rs.getString("blocked_by"),
                rs.getObject("catalog_version", OffsetDateTime.class), rs.getObject("price_version", OffsetDateTime.class),
                rs.getObject("stock_version", OffsetDateTime.class), rs.getObject("erp_price", Long.class),
                rs.getObject("erp_list_price", Long.class), stock == null ? null : readStock(stock),
                rs.getObject("held_price", Long.class), rs.getString("held_reason"), rs.getObject("updated_at", OffsetDateTime.class));
    }

    private Map<String, Integer> readStock(String text) {
        try {
            return json.readValue(text, STOCK);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Map<String, Integer> stock) {
        try {
            return json.writeValueAsString(new TreeMap<>(stock));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
