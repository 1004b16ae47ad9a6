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
 * The seller sync state per SKU (table offer_sync, engine database): ERP versions applied, the ERP's product and
 * category, ERP values before rules, a price held by the guardrail; where the SKU stands in each connection's
 * marketplace catalog (table offer_catalog, per connection and SKU); and what each connection's marketplace was told
 * last (table offer_notified, per connection and SKU).
 */
@Component
public class OfferSyncStore {

    public enum CatalogStatus { PENDING, SUGGESTED, BOUND, ERROR }

    /** One SKU's sync state: the ERP's facts, one per SKU whatever the connection. */
    public record SyncState(String skuId, String productId, String categoryId, OffsetDateTime catalogVersion,
                            OffsetDateTime priceVersion, OffsetDateTime stockVersion, Long erpPrice, Long erpListPrice,
                            Map<String, Integer> erpStock, Long heldPrice, String heldReason, OffsetDateTime updatedAt) {

        /** What ops see of the SKU on one connection: HELD while a price waits for approval, else its catalog status. */
        public String status(CatalogState catalog) {
            return heldPrice != null ? "held" : catalog.status().name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Where a SKU stands in one connection's marketplace catalog; {@code blockedBy} names the missing mapping entries
     * of an error. A SKU never sent to that marketplace is pending there (no row).
     */
    public record CatalogState(String connectionId, String skuId, CatalogStatus status, String reason, String blockedBy,
                               OffsetDateTime updatedAt) {

        static CatalogState pending(String connectionId, String skuId) {
            return new CatalogState(connectionId, skuId, CatalogStatus.PENDING, null, null, null);
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
        jdbc.update("INSERT INTO offer_sync (sku_id, updated_at) VALUES (?, ?) ON CONFLICT DO NOTHING", skuId, now());
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
            jdbc.batchUpdate("INSERT INTO offer_sync (sku_id, updated_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    missing.stream().map(sku -> new Object[] {sku, now}).toList());
            locked.putAll(selectForUpdate(missing));
        }
        return locked;
    }

    /**
     * Locks the rows of those SKUs there are, in SKU order, creating none (a SKU without one never had ERP stock
     * applied); the states found, by SKU.
     */
    public SortedMap<String, SyncState> lockExisting(Collection<String> skuIds) {
        return selectForUpdate(new TreeSet<>(skuIds));
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

    /**
     * Records where the SKU stands in the connection's marketplace catalog, and that the SKU's sync state changed.
     * Updates the rows there are, else creates them (the ops list walks offer_sync): every status after a SKU's first
     * finds its rows, and on H2 an {@code ON CONFLICT DO NOTHING} that hits a row costs a caught exception.
     */
    public void status(String connectionId, String skuId, CatalogStatus status, String reason, String blockedBy) {
        OffsetDateTime now = now();
        if (jdbc.update("UPDATE offer_sync SET updated_at = ? WHERE sku_id = ?", now, skuId) == 0) {
            jdbc.update("INSERT INTO offer_sync (sku_id, updated_at) VALUES (?, ?) ON CONFLICT DO NOTHING", skuId, now);
        }
        String update = "UPDATE offer_catalog SET status = ?, reason = ?, blocked_by = ?, updated_at = ? "
                + "WHERE connection_id = ? AND sku_id = ?";
        Object[] values = {status.name(), reason, blockedBy, now, connectionId, skuId};
        if (jdbc.update(update, values) > 0) {
            return;
        }
        if (jdbc.update("INSERT INTO offer_catalog (connection_id, sku_id, status, reason, blocked_by, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", connectionId, skuId, status.name(), reason, blockedBy, now) == 0) {
            jdbc.update(update, values); // another instance created it meanwhile
        }
    }

    /** Where the SKU stands in the connection's marketplace catalog (pending when it was never sent there). */
    public CatalogState catalog(String connectionId, String skuId) {
        return jdbc.query("SELECT * FROM offer_catalog WHERE connection_id = ? AND sku_id = ?", OfferSyncStore::readCatalog,
                connectionId, skuId).stream().findFirst().orElseGet(() -> CatalogState.pending(connectionId, skuId));
    }

    /**
     * By SKU, where it stands in each connection's marketplace catalog, in one statement per {@value InLists#MAX_SIZE}
     * SKUs; a connection the SKU was never sent to has no entry.
     */
    public Map<String, Map<String, CatalogState>> catalogEverywhere(Collection<String> skuIds) {
        Map<String, Map<String, CatalogState>> states = new HashMap<>();
        for (List<String> chunk : InLists.chunks(skuIds)) {
            jdbc.query("SELECT * FROM offer_catalog WHERE sku_id IN (" + InLists.placeholders(chunk.size()) + ")", rs -> {
                CatalogState state = readCatalog(rs, 0);
                states.computeIfAbsent(state.skuId(), sku -> new TreeMap<>()).put(state.connectionId(), state);
            }, chunk.toArray());
        }
        return states;
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

    /** The SKUs blocked by a missing mapping entry on one of the connections, by connection and SKU. */
    public List<CatalogState> blocked(Collection<String> connectionIds) {
        if (connectionIds.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT * FROM offer_catalog WHERE status = 'ERROR' AND blocked_by IS NOT NULL AND connection_id IN ("
                + InLists.placeholders(connectionIds.size()) + ") ORDER BY connection_id, sku_id", OfferSyncStore::readCatalog,
                connectionIds.toArray());
    }

    /** The SKUs suggested to one of the connections but not yet seen bound there, last checked before {@code before}. */
    /**
     * Claims a suggested SKU's recheck for this engine instance: its check time ({@code updated_at}) moves on to now if
     * it is still SUGGESTED and was last looked at before {@code before}. False when another instance claimed it first
     * (or its status changed): a conditional update, so of instances racing for it exactly one wins.
     */
    public boolean claimRecheck(String connectionId, String skuId, OffsetDateTime before) {
        return jdbc.update("UPDATE offer_catalog SET updated_at = ? WHERE connection_id = ? AND sku_id = ?"
                + " AND status = 'SUGGESTED' AND updated_at < ?", now(), connectionId, skuId, before) == 1;
    }

    public List<CatalogState> suggestedBefore(Collection<String> connectionIds, OffsetDateTime before, int limit) {
        if (connectionIds.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>(connectionIds);
        args.add(before);
        return jdbc.query("SELECT * FROM offer_catalog WHERE status = 'SUGGESTED' AND connection_id IN ("
                + InLists.placeholders(connectionIds.size()) + ") AND updated_at < ? ORDER BY updated_at LIMIT " + limit,
                OfferSyncStore::readCatalog, args.toArray());
    }

    /**
     * The ops list: offer_sync {@code s}, one row per SKU, with {@code c}, the SKU's catalog row of the connection
     * asked for (none: pending there), the first parameter.
     */
    private static final String LISTED = " FROM offer_sync s LEFT JOIN offer_catalog c ON c.sku_id = s.sku_id AND c.connection_id = ?";
    private static final String LISTED_STATUS = "CASE WHEN s.held_price IS NOT NULL THEN 'HELD' ELSE COALESCE(c.status, 'PENDING') END";

    /** The ops list's last values told: connection default's (the list is per SKU). */
    private static final String TOLD_DEFAULT = "(SELECT n.%s FROM offer_notified n WHERE n.connection_id = 'default' "
            + "AND n.sku_id = s.sku_id)";

    /** What the ops list sorts by ({@code sort=updatedAt,desc}); by SKU by default. */
    static final TableSort SORT = TableSort.of("s.sku_id", "sku",
            "sku", "s.sku_id", "status", "LOWER(" + LISTED_STATUS + ")",
            "reason", "CASE WHEN s.held_price IS NOT NULL THEN s.held_reason ELSE c.reason END", "productId", "s.product_id",
            "categoryId", "s.category_id", "erpPrice", "s.erp_price", "heldPrice", "s.held_price",
            "notifiedPrice", TOLD_DEFAULT.formatted("notified_price"), "notifiedQuantity", TOLD_DEFAULT.formatted("notified_quantity"),
            "updatedAt", "s.updated_at");

    /**
     * Filtered list for ops: status (pending, suggested, bound, held, error) and reason on the connection's catalog,
     * SKU prefix.
     */
    public List<SyncState> list(String connectionId, String status, String skuPrefix, String reason, String sort, int page,
                                int size) {
        String orderBy = SORT.orderBy(sort);
        List<Object> args = new ArrayList<>(List.of(connectionId));
        String where = where(status, skuPrefix, reason, args);
        args.add(size);
        args.add((long) page * size);
        return jdbc.query("SELECT s.*" + LISTED + where + orderBy + " LIMIT ? OFFSET ?", this::read, args.toArray());
    }

    /** How many SKUs the same filters select. */
    public long count(String connectionId, String status, String skuPrefix, String reason) {
        List<Object> args = new ArrayList<>(List.of(connectionId));
        Long count = jdbc.queryForObject("SELECT COUNT(*)" + LISTED + where(status, skuPrefix, reason, args), Long.class,
                args.toArray());
        return count == null ? 0 : count;
    }

    private static String where(String status, String skuPrefix, String reason, List<Object> args) {
        StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
        if (status != null && !status.isBlank()) {
            sql.append(" AND ").append(LISTED_STATUS).append(" = ?");
            args.add(status.toUpperCase(Locale.ROOT));
        }
        if (skuPrefix != null && !skuPrefix.isBlank()) {
            sql.append(" AND s.sku_id LIKE ? ESCAPE '\\'");
            args.add(LikePattern.startsWith(skuPrefix));
        }
        if (reason != null && !reason.isBlank()) {
            sql.append(" AND (LOWER(c.reason) LIKE ? ESCAPE '\\' OR LOWER(s.held_reason) LIKE ? ESCAPE '\\')");
            String like = LikePattern.contains(reason.toLowerCase(Locale.ROOT));
            args.add(like);
            args.add(like);
        }
        return sql.toString();
    }

    /** The SKUs per status on the connection (held counted as held, whatever the catalog says); statuses with none left out. */
    public Map<String, Integer> counts(String connectionId) {
        Map<String, Integer> counts = new TreeMap<>();
        jdbc.query("SELECT " + LISTED_STATUS + " AS status, COUNT(*)" + LISTED + " GROUP BY " + LISTED_STATUS, rs -> {
            counts.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getInt(2));
        }, connectionId);
        return counts;
    }

    private SyncState read(ResultSet rs, int row) throws SQLException {
        String stock = rs.getString("erp_stock");
        return new SyncState(rs.getString("sku_id"), rs.getString("product_id"), rs.getString("category_id"),
                rs.getObject("catalog_version", OffsetDateTime.class), rs.getObject("price_version", OffsetDateTime.class),
                rs.getObject("stock_version", OffsetDateTime.class), rs.getObject("erp_price", Long.class),
                rs.getObject("erp_list_price", Long.class), stock == null ? null : readStock(stock),
                rs.getObject("held_price", Long.class), rs.getString("held_reason"), rs.getObject("updated_at", OffsetDateTime.class));
    }

    private static CatalogState readCatalog(ResultSet rs, int row) throws SQLException {
        return new CatalogState(rs.getString("connection_id"), rs.getString("sku_id"), CatalogStatus.valueOf(rs.getString("status")),
                rs.getString("reason"), rs.getString("blocked_by"), rs.getObject("updated_at", OffsetDateTime.class));
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
