package dev.vtexbridge.sync;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

import dev.vtexbridge.erp.ErpCatalog;
import dev.vtexbridge.erp.Money;
import dev.vtexbridge.mapping.MappingRegistry;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.model.Price;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The price flow's work for one change: ERP price (from the event, else read from the ERP) → price rules → projection,
 * unless the guardrail holds the drop for approval. Older versions than the one applied are ignored. After the
 * commit, a price notification is queued when the selling price differs from what some seller connection's marketplace was told.
 */
@Component("priceSync")
public class PriceSync {

    private static final Logger log = LoggerFactory.getLogger(PriceSync.class);
    public static final String NOTIFICATION = "price";

    private final OfferSyncStore store;
    private final OfferProjection projection;
    private final ErpCatalog erp;
    private final MappingRegistry mappings;
    private final NotificationCoalescer coalescer;
    private final TransactionTemplate tx;
    private final String salesChannel;

    public PriceSync(OfferSyncStore store, OfferProjection projection, ErpCatalog erp, MappingRegistry mappings,
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

    /** Applies one price change; returns what happened (applied, held, ignored-older, unpriced). */
    public String apply(ErpChange change) {
        PriceRules rules = mappings.current().prices();
        return tx.execute(status -> {
            OfferSyncStore.SyncState state = store.lock(change.sku());
            Price price = change.carriesValues()
                    ? new Price(change.sku(), rules.priceList(), Money.cents(change.price()),
                    change.listPrice() == null ? null : Money.cents(change.listPrice()), rules.currency(), change.updatedAt())
                    : erp.price(change.sku(), change.priceList() == null ? rules.priceList() : change.priceList()).orElse(null);
            if (price == null) {
                return "unpriced";
            }
            OffsetDateTime version = price.updatedAt() != null ? price.updatedAt() : change.updatedAt();
            if (version != null && state.priceVersion() != null && version.isBefore(state.priceVersion())) {
                log.debug("SKU {}: price version {} is older than the applied {}; ignored", change.sku(), version, state.priceVersion());
                return "ignored-older";
            }
            String category = state.categoryId() != null ? state.categoryId() : erp.categoryOf(change.sku()).orElse(null);
            long selling = rules.sellingPrice(salesChannel, category, price.price());
            Long list = PriceRules.listPrice(selling, price.listPrice());
            Long current = projection.find(change.sku()).map(OfferState::price).orElse(null);
            if (rules.holds(current, selling)) {
                String reason = String.format("price drop from %d to %d cents is above the %s %% guardrail; approve with "
                        + "POST /ops/api/offers/%s/price/approve", current, selling, rules.guardrail().maxDropPercent(), change.sku());
                store.savePrice(change.sku(), version, price.price(), price.listPrice(), selling, reason);
                log.info("SKU {}: {}", change.sku(), reason);
                return "held";
            }
            projection.updatePrice(change.sku(), selling, list, price.price(), price.listPrice(), category);
            store.savePrice(change.sku(), version, price.price(), price.listPrice(), null, null);
            if (!store.untold(NOTIFICATION, Map.of(change.sku(), selling), coalescer.connectionIds()).isEmpty()) {
                afterCommit(() -> coalescer.submit(change.sku(), NOTIFICATION, false));
            }
            return "applied";
        });
    }

    /** Ops approved a held price: it goes to the projection and the marketplace is told. */
    public Optional<Long> approveHeld(String sku) {
        return tx.execute(status -> {
            OfferSyncStore.SyncState state = store.lock(sku);
            if (state.heldPrice() == null) {
                return Optional.<Long>empty();
            }
            Long list = PriceRules.listPrice(state.heldPrice(), state.erpListPrice());
            projection.updatePrice(sku, state.heldPrice(), list, state.erpPrice(), state.erpListPrice(), state.categoryId());
            store.releaseHold(sku);
            afterCommit(() -> coalescer.submit(sku, NOTIFICATION, false));
            return Optional.of(state.heldPrice());
        });
    }

    static void afterCommit(Runnable action) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
