package dev.vtexbridge.sync;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The offer projection: per seller SKU the price, stock and held units the fulfillment simulation answers from.
 * The database is the source of truth (so order placement can hold stock atomically); reads come from an in-memory
 * copy, refreshed from the database after each committed change, so the simulation never waits on I/O. Holds are
 * counted per connection over the one stock pool ({@link StockAllocation}). Every change is announced to the other
 * engine instances on the same database ({@link OfferChangeFeed}), which re-read the SKU within milliseconds of the
 * commit; placement always checks against the database under the SKU's row lock, so no instance sells a unit twice.
 */
@Component
public class OfferProjection {

    private static final Logger log = LoggerFactory.getLogger(OfferProjection.class);

    // A price set directly replaces the ERP's: the projection's price stands for it until the price flow runs again.
    private static final String UPDATE_OFFER = "UPDATE offer_projection SET price = ?, list_price = ?, "
            + "price_valid_until = ?, active = ?, measurement_unit = ?, unit_multiplier = ?, weight_grams = ?, height_cm = ?, "
            + "width_cm = ?, length_cm = ?, erp_price = NULL, erp_list_price = NULL, updated_at = ? WHERE sku_id = ?";
    private static final String INSERT_OFFER = "INSERT INTO offer_projection (sku_id, price, list_price, price_valid_until, "
            + "active, measurement_unit, unit_multiplier, weight_grams, height_cm, width_cm, length_cm, held, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)";
    private static final String INSERT_STOCK =
            "INSERT INTO offer_stock (sku_id, warehouse_id, quantity, updated_at) VALUES (?, ?, ?, ?)";
    private static final String INSERT_POOL =
            "INSERT INTO offer_pool (sku_id, warehouse_id, quantity, updated_at) VALUES (?, ?, ?, ?)";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final OfferChangeFeed feed;
    private final Map<String, OfferState> offers = new ConcurrentHashMap<>();
    private volatile Instant lastRefreshedAt;
    /** Per SKU, the number of the read its state in {@link #offers} came from (see {@link #refresh}). */
    private final Map<String, Long> readNumbers = new ConcurrentHashMap<>();
    private final AtomicLong reads = new AtomicLong();

    public OfferProjection(JdbcTemplate jdbc, Clock clock, OfferChangeFeed feed) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.feed = feed;
    }

    @PostConstruct
    void start() {
        // listening before the load: a change another instance commits after it is heard, one before it is read
        feed.listen(new OfferChangeFeed.Listener() {
            @Override
            public void changed(Collection<String> skuIds) {
                refresh(skuIds);
            }

            @Override
            public void missedSome() {
                refresh(jdbc.queryForList("SELECT sku_id FROM offer_projection", String.class));
            }
        });
        load();
    }

    /**
     * Reads every SKU, numbered as a refresh is: a change heard while this reads (another instance's, committed after
     * the read began) is refreshed on the feed's thread, and the older state this read has of that SKU must not
     * replace it (else an instance started while another applies changes could keep the old stock of a SKU changed
     * meanwhile, and answer with it, until the SKU changes again).
     */
    private void load() {
        long read = reads.incrementAndGet();
        Rows rows = new Rows("", new Object[0]);
        jdbc.query("SELECT * FROM offer_projection", rs -> {
            OfferState offer = rows.read(rs);
            keepNewest(offer.skuId(), read, offer);
        });
        lastRefreshedAt = clock.instant();
        log.info("Offer projection loaded: {} SKUs", offers.size());
    }

    /** When the in-memory copy last took a change from the database (or was loaded): how current it is. */
    public Instant lastRefreshedAt() {
        return lastRefreshedAt;
    }

    public Optional<OfferState> find(String skuId) {
        return Optional.ofNullable(skuId == null ? null : offers.get(skuId));
    }

    /**
     * As {@link #find}, but a SKU this copy does not know yet is looked up in the database (it may have been created a
     * moment ago on another instance): for placement, which may wait on I/O, not for the simulation.
     */
    public Optional<OfferState> findOrRead(String skuId) {
        Optional<OfferState> known = find(skuId);
        if (known.isPresent() || skuId == null) {
            return known;
        }
        refresh(List.of(skuId));
        return find(skuId);
    }

    public int size() {
        return offers.size();
    }

    /** Replaces what is known of an offer (price, activity, dimensions, stock); held units are kept. */
    @Transactional
    public void upsert(OfferUpdate update) {
        OffsetDateTime now = now();
        int changed = jdbc.update(UPDATE_OFFER, update.price(), update.listPrice(), update.priceValidUntil(),
                update.active(), unit(update), multiplier(update), update.weightGrams(), update.heightCm(),
                update.widthCm(), update.lengthCm(), now, update.skuId());
        if (changed == 0) {
            jdbc.update(INSERT_OFFER, update.skuId(), update.price(), update.listPrice(), update.priceValidUntil(),
                    update.active(), unit(update), multiplier(update), update.weightGrams(), update.heightCm(),
                    update.widthCm(), update.lengthCm(), now);
        }
        // Stock set directly replaces the ERP's: the exposed stock stands for the pool until the stock flow runs again.
        jdbc.update("DELETE FROM offer_pool WHERE sku_id = ?", update.skuId());
        jdbc.update("DELETE FROM offer_stock WHERE sku_id = ?", update.skuId());
        Map<String, Integer> stock = update.stockByWarehouse() == null ? Map.of() : update.stockByWarehouse();
        stock.forEach((warehouse, quantity) -> jdbc.update(
                "INSERT INTO offer_stock (sku_id, warehouse_id, quantity, updated_at) VALUES (?, ?, ?, ?)",
                update.skuId(), warehouse, Math.max(0, quantity), now));
        refreshAfterCommit(List.of(update.skuId()));
    }

    /**
     * Replaces many offers in one transaction with batched statements, by the same rules as {@link #upsert}; when a
     * SKU appears more than once the last update wins.
     *
     * @return how many distinct SKUs were written
     */
    @Transactional
    public int upsertAll(List<OfferUpdate> updates) {
        Map<String, OfferUpdate> bySku = new LinkedHashMap<>();
        updates.forEach(update -> bySku.put(update.skuId(), update));
        if (bySku.isEmpty()) {
            return 0;
        }
        OffsetDateTime now = now();
        List<OfferUpdate> distinct = new ArrayList<>(bySku.values());
        int[] changed = jdbc.batchUpdate(UPDATE_OFFER, distinct.stream().map(update -> new Object[] {
                update.price(), update.listPrice(), update.priceValidUntil(), update.active(), unit(update),
                multiplier(update), update.weightGrams(), update.heightCm(), update.widthCm(), update.lengthCm(), now,
                update.skuId()}).toList());
        List<Object[]> inserts = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i++) {
            if (changed[i] == 0) {
                OfferUpdate update = distinct.get(i);
                inserts.add(new Object[] {update.skuId(), update.price(), update.listPrice(), update.priceValidUntil(),
                        update.active(), unit(update), multiplier(update), update.weightGrams(), update.heightCm(),
                        update.widthCm(), update.lengthCm(), now});
            }
        }
        jdbc.batchUpdate(INSERT_OFFER, inserts);
        List<Object[]> skus = bySku.keySet().stream().map(sku -> new Object[] {sku}).toList();
        jdbc.batchUpdate("DELETE FROM offer_pool WHERE sku_id = ?", skus);
        jdbc.batchUpdate("DELETE FROM offer_stock WHERE sku_id = ?", skus);
        List<Object[]> stock = new ArrayList<>();
        distinct.forEach(update -> (update.stockByWarehouse() == null ? Map.<String, Integer>of() : update.stockByWarehouse())
                .forEach((warehouse, quantity) -> stock.add(new Object[] {update.skuId(), warehouse, Math.max(0, quantity), now})));
        jdbc.batchUpdate(INSERT_STOCK, stock);
        refreshAfterCommit(bySku.keySet());
        return bySku.size();
    }

    /**
     * Holds units for an order of {@code allocation}'s connection inside the caller's transaction, all or nothing:
     * locks the SKUs (in a fixed order, so concurrent orders cannot deadlock), re-reads them under the lock, checks
     * what the connection may sell ({@link StockAllocation}) and raises the held counts, the total and the
     * connection's.
     *
     * Counts are checked in 64-bit arithmetic: a held count never passes the stock nor wraps around.
     *
     * @return the SKUs that are unknown, unsellable or short of stock (nothing is held then); empty on success
     * @throws IllegalArgumentException for a quantity that is missing or not positive (callers validate first)
     */
    @Transactional
    public Map<String, Shortage> hold(StockAllocation allocation, Map<String, Integer> quantities) {
        quantities.forEach((sku, quantity) -> {
            if (quantity == null || quantity <= 0) {
                throw new IllegalArgumentException("cannot hold " + quantity + " units of SKU " + sku);
            }
        });
        SortedMap<String, Integer> ordered = new TreeMap<>(quantities);
        Map<String, Shortage> shortages = new HashMap<>();
        for (Map.Entry<String, Integer> wanted : ordered.entrySet()) {
            List<String> locked = jdbc.queryForList("SELECT sku_id FROM offer_projection WHERE sku_id = ? FOR UPDATE",
                    String.class, wanted.getKey());
            if (locked.isEmpty()) {
                shortages.put(wanted.getKey(), new Shortage(Shortage.Reason.UNKNOWN, 0));
                continue;
            }
            OfferState offer = readAll(List.of(wanted.getKey())).get(wanted.getKey());
            if (!offer.sellable()) {
                shortages.put(wanted.getKey(), new Shortage(Shortage.Reason.UNAVAILABLE, 0));
                continue;
            }
            long available = allocation.available(offer);
            if (available < wanted.getValue() || (long) offer.held() + wanted.getValue() > Integer.MAX_VALUE) {
                shortages.put(wanted.getKey(), new Shortage(Shortage.Reason.NO_STOCK, (int) available));
            }
        }
        if (!shortages.isEmpty()) {
            return shortages;
        }
        OffsetDateTime now = now();
        ordered.forEach((sku, quantity) -> {
            jdbc.update("UPDATE offer_projection SET held = held + ?, updated_at = ? WHERE sku_id = ?", quantity, now, sku);
            if (jdbc.update("UPDATE offer_hold SET held = held + ? WHERE sku_id = ? AND connection_id = ?",
                    quantity, sku, allocation.connection()) == 0) {
                jdbc.update("INSERT INTO offer_hold (sku_id, connection_id, held) VALUES (?, ?, ?)",
                        sku, allocation.connection(), quantity);
            }
        });
        refreshAfterCommit(ordered.keySet());
        return Map.of();
    }

    /**
     * Gives units a connection's order held back (cancel, expiry, ERP took the order over), inside the caller's
     * transaction.
     */
    @Transactional
    public void release(String connection, Map<String, Integer> quantities) {
        OffsetDateTime now = now();
        new TreeMap<>(quantities).entrySet().stream().filter(held -> held.getValue() != null && held.getValue() > 0)
                .forEach(held -> {
                    jdbc.update("UPDATE offer_projection SET held = CASE WHEN held > ? THEN held - ? ELSE 0 END, "
                            + "updated_at = ? WHERE sku_id = ?", held.getValue(), held.getValue(), now, held.getKey());
                    jdbc.update("UPDATE offer_hold SET held = CASE WHEN held > ? THEN held - ? ELSE 0 END "
                            + "WHERE sku_id = ? AND connection_id = ?", held.getValue(), held.getValue(), held.getKey(), connection);
                });
        refreshAfterCommit(quantities.keySet());
    }

    /** Why an order cannot hold a SKU; {@code available} is what could be held instead. */
    public record Shortage(Reason reason, int available) {
        public enum Reason { UNKNOWN, UNAVAILABLE, NO_STOCK }
    }

    /**
     * Sets the selling and list price (cents) of a SKU, with the ERP price, list price and category they came from
     * (other connections' price rules apply to these), creating it (inactive, no stock) when it is new.
     */
    @Transactional
    public void updatePrice(String skuId, Long price, Long listPrice, Long erpPrice, Long erpListPrice, String categoryId) {
        ensure(skuId);
        jdbc.update("UPDATE offer_projection SET price = ?, list_price = ?, erp_price = ?, erp_list_price = ?, "
                + "category_id = ?, updated_at = ? WHERE sku_id = ?", price, listPrice, erpPrice, erpListPrice, categoryId,
                now(), skuId);
        refreshAfterCommit(List.of(skuId));
    }

    /**
     * Replaces the stock per warehouse of the SKUs, creating those that are new (inactive, unpriced); held units are
     * kept. One transaction with batched statements: a warehouse's row is updated in place, only warehouses new to a
     * SKU are inserted and those no longer reported deleted (on H2 every row written costs again at commit, so one
     * update beats a delete and an insert). {@code poolBySku}: the pool each SKU's exposed stock came from (the ERP's
     * units per warehouse), which the other connections' stock rules apply to; a SKU without one keeps no pool (its
     * exposed stock stands in).
     */
    @Transactional
    public void updateStockAll(Map<String, Map<String, Integer>> stockBySku, Map<String, Map<String, Integer>> poolBySku) {
        if (stockBySku.isEmpty()) {
            return;
        }
        ensureAll(stockBySku.keySet());
        OffsetDateTime now = now();
        List<Object[]> gone = new ArrayList<>();
        for (List<String> chunk : InLists.chunks(stockBySku.keySet())) {
            jdbc.query("SELECT sku_id, warehouse_id FROM offer_stock WHERE sku_id IN (" + InLists.placeholders(chunk.size()) + ")",
                    rs -> {
                        if (!stockBySku.get(rs.getString(1)).containsKey(rs.getString(2))) {
                            gone.add(new Object[] {rs.getString(1), rs.getString(2)});
                        }
                    }, chunk.toArray());
        }
        jdbc.batchUpdate("DELETE FROM offer_stock WHERE sku_id = ? AND warehouse_id = ?", gone);
        List<Object[]> rows = new ArrayList<>();
        stockBySku.forEach((sku, stock) -> stock.forEach((warehouse, quantity) ->
                rows.add(new Object[] {Math.max(0, quantity), now, sku, warehouse})));
        int[] updated = jdbc.batchUpdate("UPDATE offer_stock SET quantity = ?, updated_at = ? WHERE sku_id = ? AND warehouse_id = ?", rows);
        List<Object[]> inserts = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (updated[i] == 0) {
                Object[] row = rows.get(i);
                inserts.add(new Object[] {row[2], row[3], row[0], now});
            }
        }
        jdbc.batchUpdate(INSERT_STOCK, inserts);
        jdbc.batchUpdate("DELETE FROM offer_pool WHERE sku_id = ?", stockBySku.keySet().stream().map(sku -> new Object[] {sku}).toList());
        List<Object[]> pool = new ArrayList<>();
        poolBySku.forEach((sku, units) -> units.forEach((warehouse, quantity) ->
                pool.add(new Object[] {sku, warehouse, Math.max(0, quantity == null ? 0 : quantity), now})));
        jdbc.batchUpdate(INSERT_POOL, pool);
        refreshAfterCommit(stockBySku.keySet());
    }

    /** Sets the catalog side of a SKU (activity, unit, dimensions), creating it (unpriced, no stock) when it is new. */
    @Transactional
    public void updateCatalog(String skuId, boolean active, String measurementUnit, Integer unitMultiplier,
                              Integer weightGrams, BigDecimal heightCm, BigDecimal widthCm, BigDecimal lengthCm) {
        ensure(skuId);
        jdbc.update("UPDATE offer_projection SET active = ?, measurement_unit = ?, unit_multiplier = ?, weight_grams = ?, "
                        + "height_cm = ?, width_cm = ?, length_cm = ?, updated_at = ? WHERE sku_id = ?",
                active, measurementUnit == null || measurementUnit.isBlank() ? "un" : measurementUnit,
                unitMultiplier == null || unitMultiplier < 1 ? 1 : unitMultiplier, weightGrams, heightCm, widthCm, lengthCm,
                now(), skuId);
        refreshAfterCommit(List.of(skuId));
    }

    private void ensure(String skuId) {
        ensureAll(List.of(skuId));
    }

    /** Creates the rows that are missing (looked up first: a conflicting insert costs a caught exception on H2). */
    private void ensureAll(Collection<String> skuIds) {
        List<String> unknown = skuIds.stream().filter(sku -> !offers.containsKey(sku)).toList();
        if (unknown.isEmpty()) {
            return;
        }
        Set<String> missing = new HashSet<>(unknown);
        for (List<String> chunk : InLists.chunks(unknown)) {
            missing.removeAll(jdbc.queryForList("SELECT sku_id FROM offer_projection WHERE sku_id IN ("
                    + InLists.placeholders(chunk.size()) + ")", String.class, chunk.toArray()));
        }
        OffsetDateTime now = now();
        jdbc.batchUpdate("INSERT INTO offer_projection (sku_id, active, measurement_unit, unit_multiplier, held, updated_at) "
                + "VALUES (?, FALSE, 'un', 1, 0, ?) ON CONFLICT DO NOTHING", missing.stream().map(sku -> new Object[] {sku, now}).toList());
    }

    /** Re-reads the SKUs once the caller's transaction committed, here and (told now, heard at commit) everywhere else. */
    private void refreshAfterCommit(Collection<String> skuIds) {
        List<String> skus = new ArrayList<>(skuIds);
        feed.announce(skus);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    refresh(skus);
                }
            });
        } else {
            refresh(skus);
        }
    }

    /**
     * Re-reads the SKUs, two statements per {@value InLists#MAX_SIZE}. Refreshes of one SKU may race (a stock batch
     * and an order holding units), so each read takes a number just before it starts and a SKU keeps the state of the
     * highest number: a change's own refresh is numbered after its commit, so the highest-numbered read started after
     * every change refreshed so far and saw them all.
     */
    private void refresh(Collection<String> skuIds) {
        for (List<String> chunk : InLists.chunks(skuIds)) {
            long read = reads.incrementAndGet();
            Map<String, OfferState> rows = readAll(chunk);
            for (String sku : chunk) {
                keepNewest(sku, read, rows.get(sku));
            }
        }
        lastRefreshedAt = clock.instant();
    }

    /** The SKU's state from read number {@code read} (null: gone), unless a read numbered higher was kept already. */
    private void keepNewest(String sku, long read, OfferState state) {
        offers.compute(sku, (key, current) -> {
            Long shown = readNumbers.get(key);
            if (shown != null && shown > read) {
                return current;
            }
            readNumbers.put(key, read);
            return state;
        });
    }

    /** The SKUs (at most {@value InLists#MAX_SIZE}) as the database has them, with their stock, pool and holds. */
    private Map<String, OfferState> readAll(List<String> skuIds) {
        Rows rows = new Rows(" WHERE sku_id IN (" + InLists.placeholders(skuIds.size()) + ")", skuIds.toArray());
        Map<String, OfferState> read = new HashMap<>();
        jdbc.query("SELECT * FROM offer_projection" + rows.where, rs -> {
            read.put(rs.getString("sku_id"), rows.read(rs));
        }, rows.args);
        return read;
    }

    /** The per-SKU rows of the projection's side tables, read once for a set of SKUs ({@code where} selects them). */
    private final class Rows {
        final String where;
        final Object[] args;
        final Map<String, Map<String, Integer>> stock;
        final Map<String, Map<String, Integer>> pool;
        final Map<String, Map<String, Integer>> holds;

        Rows(String where, Object[] args) {
            this.where = where;
            this.args = args;
            this.stock = bySku("SELECT sku_id, warehouse_id, quantity FROM offer_stock");
            this.pool = bySku("SELECT sku_id, warehouse_id, quantity FROM offer_pool");
            this.holds = bySku("SELECT sku_id, connection_id, held FROM offer_hold");
        }

        private Map<String, Map<String, Integer>> bySku(String select) {
            Map<String, Map<String, Integer>> result = new HashMap<>();
            jdbc.query(select + where, rs -> {
                result.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getInt(3));
            }, args);
            return result;
        }

        OfferState read(java.sql.ResultSet rs) throws java.sql.SQLException {
            String sku = rs.getString("sku_id");
            Map<String, Integer> held = new HashMap<>(holds.getOrDefault(sku, Map.of()));
            held.values().removeIf(units -> units == 0);
            return new OfferState(sku, rs.getObject("price", Long.class),
                    rs.getObject("list_price", Long.class), rs.getObject("price_valid_until", OffsetDateTime.class),
                    rs.getBoolean("active"), rs.getString("measurement_unit"), rs.getInt("unit_multiplier"),
                    rs.getObject("weight_grams", Integer.class), rs.getObject("height_cm", BigDecimal.class),
                    rs.getObject("width_cm", BigDecimal.class), rs.getObject("length_cm", BigDecimal.class),
                    stock.getOrDefault(sku, Map.of()), rs.getInt("held"), held, pool.getOrDefault(sku, Map.of()),
                    rs.getObject("erp_price", Long.class), rs.getObject("erp_list_price", Long.class),
                    rs.getString("category_id"));
        }
    }

    private static String unit(OfferUpdate update) {
        return update.measurementUnit() == null || update.measurementUnit().isBlank() ? "un" : update.measurementUnit();
    }

    private static int multiplier(OfferUpdate update) {
        return update.unitMultiplier() == null || update.unitMultiplier() < 1 ? 1 : update.unitMultiplier();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
