package dev.vtexbridge.sync;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.vtexbridge.erp.ErpCatalog;
import dev.vtexbridge.mapping.MappingRegistry;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.model.StockLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The stock flow's work for one change: ERP units per warehouse (all warehouses from the event, one warehouse merged
 * into the last known ones, or read from the ERP) → stock rules → projection. The projection holds the <em>exposed</em>
 * units (after connection default's rules), so the simulation answers exactly what the marketplace may sell, and
 * the ERP's units as the shared pool the other connections' rules apply to ({@link StockAllocation}). After the commit an
 * inventory notification is queued when the exposed total differs from what some seller connection was notified; a change to zero jumps the
 * queue. Older versions than the one applied are ignored. Whatever waits for the ERP's stock to catch up
 * ({@link ErpStockApplied}: the holds of orders handed over to the ERP) is told the versions applied in the same
 * transaction.
 */
@Component("stockSync")
public class StockSync {

    private static final Logger log = LoggerFactory.getLogger(StockSync.class);
    public static final String NOTIFICATION = "inventory";

    private final OfferSyncStore store;
    private final OfferProjection projection;
    private final ErpCatalog erp;
    private final MappingRegistry mappings;
    private final NotificationCoalescer coalescer;
    private final TransactionTemplate tx;
    private final ObjectProvider<ErpStockApplied> listeners;
    private final String salesChannel;

    public StockSync(OfferSyncStore store, OfferProjection projection, ErpCatalog erp, MappingRegistry mappings,
                     NotificationCoalescer coalescer, TransactionTemplate tx, ObjectProvider<ErpStockApplied> listeners,
                     @Value("${bridge.sync.sales-channel}") String salesChannel) {
        this.store = store;
        this.projection = projection;
        this.erp = erp;
        this.mappings = mappings;
        this.coalescer = coalescer;
        this.tx = tx;
        this.listeners = listeners;
        this.salesChannel = salesChannel;
    }

    public String apply(ErpChange change) {
        StockRules rules = mappings.current().stock();
        return tx.execute(status -> {
            OfferSyncStore.SyncState state = store.lock(change.sku());
            Pending pending = new Pending(state);
            if (!fold(pending, change)) {
                return "ignored-older";
            }
            write(rules, List.of(pending));
            return "applied";
        });
    }

    /**
     * The same work for a batch of changes (a batching trigger's poll) in <em>one</em> transaction: the changes are
     * grouped by SKU, the SKUs' rows are locked (in sorted order, so concurrent batches cannot deadlock), each SKU's
     * changes are folded in arrival order exactly as {@link #apply} would apply them one by one (older versions
     * ignored, a single-warehouse change merged into the warehouses known so far), and only the result is written, in
     * JDBC batches: one projection and one sync-state write per SKU, one notification per SKU whose exposed total
     * changed. Either the whole batch is applied or, when anything fails, nothing is (the caller then falls back to one
     * change at a time). Returns how many changes were applied and how many were ignored as older.
     */
    public String applyAll(List<ErpChange> changes) {
        if (changes.isEmpty()) {
            return "applied 0, ignored-older 0";
        }
        StockRules rules = mappings.current().stock();
        Map<String, List<ErpChange>> bySku = new TreeMap<>();
        for (ErpChange change : changes) {
            bySku.computeIfAbsent(change.sku(), sku -> new ArrayList<>()).add(change);
        }
        return tx.execute(status -> {
            int applied = 0;
            int ignored = 0;
            List<Pending> changed = new ArrayList<>();
            for (OfferSyncStore.SyncState state : store.lockAll(bySku.keySet()).values()) {
                Pending pending = new Pending(state);
                for (ErpChange change : bySku.get(state.skuId())) {
                    if (fold(pending, change)) {
                        applied++;
                    } else {
                        ignored++;
                    }
                }
                if (pending.changed) {
                    changed.add(pending);
                }
            }
            write(rules, changed);
            return "applied " + applied + ", ignored-older " + ignored;
        });
    }

    /** A SKU's stock as the changes folded so far leave it; starts from the stored sync state. */
    private static final class Pending {
        final OfferSyncStore.SyncState state;
        Map<String, Integer> erpStock;
        OffsetDateTime version;
        boolean changed;
        /** Some change folded in carried a version (a change without one says nothing of when the stock was so). */
        boolean versioned;

        Pending(OfferSyncStore.SyncState state) {
            this.state = state;
            this.erpStock = state.erpStock();
            this.version = state.stockVersion();
        }
    }

    /** Folds one change into the pending state; false when it is older than the version already there (ignored). */
    private boolean fold(Pending pending, ErpChange change) {
        Map<String, Integer> erpStock;
        OffsetDateTime version = change.updatedAt();
        if (change.warehouses() != null) {
            erpStock = change.warehouses();
        } else if (change.warehouse() != null && change.quantity() != null) {
            erpStock = new LinkedHashMap<>(pending.erpStock == null ? Map.of() : pending.erpStock);
            erpStock.put(change.warehouse(), change.quantity());
        } else {
            StockLevel level = erp.stock(change.sku()).orElse(new StockLevel(change.sku(), Map.of(), null));
            erpStock = level.warehouses();
            version = level.updatedAt() != null ? level.updatedAt() : version;
        }
        if (version != null && pending.version != null && version.isBefore(pending.version)) {
            log.debug("SKU {}: stock version {} is older than the applied {}; ignored", change.sku(), version, pending.version);
            return false;
        }
        pending.erpStock = erpStock;
        pending.version = version != null ? version : pending.version;
        pending.versioned |= version != null;
        pending.changed = true;
        return true;
    }

    /** Rules → projection and sync state; after the commit, a notification for each SKU whose exposed total changed. */
    private void write(StockRules rules, List<Pending> pendings) {
        Map<String, Map<String, Integer>> exposed = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> pool = new LinkedHashMap<>();
        List<OfferSyncStore.ErpStock> erpStock = new ArrayList<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        Map<String, OffsetDateTime> versions = new TreeMap<>();
        for (Pending pending : pendings) {
            String sku = pending.state.skuId();
            if (pending.versioned && pending.version != null) {
                versions.put(sku, pending.version);
            }
            Map<String, Integer> stock = rules.expose(salesChannel, pending.erpStock);
            exposed.put(sku, stock);
            pool.put(sku, pending.erpStock == null ? Map.of() : pending.erpStock);
            erpStock.add(new OfferSyncStore.ErpStock(sku, pending.version, pending.erpStock));
            totals.put(sku, stock.values().stream().mapToLong(Integer::longValue).sum());
        }
        if (!versions.isEmpty()) {
            // before the stock rows are written: a SKU's projection row is locked before its stock rows, as in upsert
            listeners.orderedStream().forEach(listener -> listener.applied(versions));
        }
        projection.updateStockAll(exposed, pool);
        store.saveStockAll(erpStock);
        // queued for every seller connection when some marketplace was not told the total yet (a change to zero: urgent)
        Set<String> notify = store.untold(NOTIFICATION, totals, coalescer.connectionIds());
        if (!notify.isEmpty()) {
            PriceSync.afterCommit(() -> notify.forEach(sku -> coalescer.submit(sku, NOTIFICATION, totals.get(sku) == 0)));
        }
    }
}
