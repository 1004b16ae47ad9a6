package dev.vtexbridge.sync;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import dev.vtexbridge.erp.ErpCatalog;
import dev.vtexbridge.mapping.MappingRegistry;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.model.StockLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The stock flow's work for one change: ERP units per warehouse (all warehouses from the event, one warehouse merged
 * into the last known ones, or read from the ERP) → stock rules → projection. The projection holds the <em>exposed</em>
 * units (after the rules), so the simulation answers exactly what the marketplace may sell. After the commit an
 * inventory notification is queued when the exposed total differs from what was notified; a change to zero jumps the
 * queue. Older versions than the one applied are ignored.
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
    private final String salesChannel;

    public StockSync(OfferSyncStore store, OfferProjection projection, ErpCatalog erp, MappingRegistry mappings,
                     NotificationCoalescer coalescer, TransactionTemplate tx,
                     @Value("${bridge.sync.sales-channel}") String salesChannel) {
        this.store = store;
        this.projection = projection;
        this.erp = erp;
        this.mappings = mappings;
        this.coalescer = coalescer;
        this.tx = tx;
        this.salesChannel = salesChannel;
    }

    public String apply(ErpChange change) {
        StockRules rules = mappings.current().stock();
        return tx.execute(status -> {
            OfferSyncStore.SyncState state = store.lock(change.sku());
            Map<String, Integer> erpStock;
            OffsetDateTime version = change.updatedAt();
            if (change.warehouses() != null) {
                erpStock = change.warehouses();
            } else if (change.warehouse() != null && change.quantity() != null) {
                erpStock = new HashMap<>(state.erpStock() == null ? Map.of() : state.erpStock());
                erpStock.put(change.warehouse(), change.quantity());
            } else {
                StockLevel level = erp.stock(change.sku()).orElse(new StockLevel(change.sku(), Map.of(), null));
                erpStock = level.warehouses();
                version = level.updatedAt() != null ? level.updatedAt() : version;
            }
            if (version != null && state.stockVersion() != null && version.isBefore(state.stockVersion())) {
                log.debug("SKU {}: stock version {} is older than the applied {}; ignored", change.sku(), version, state.stockVersion());
                return "ignored-older";
            }
            Map<String, Integer> exposed = rules.expose(salesChannel, erpStock);
            projection.updateStock(change.sku(), exposed);
            store.saveStock(change.sku(), version, erpStock);
            int total = exposed.values().stream().mapToInt(Integer::intValue).sum();
            if (!Integer.valueOf(total).equals(state.notifiedQuantity())) {
                PriceSync.afterCommit(() -> coalescer.submit(change.sku(), NOTIFICATION, total == 0));
            }
            return "applied";
        });
    }
}
