package dev.vtexbridge.sync;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
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
 * unless a guardrail holds the drop for approval. Older versions than the one applied are ignored. After the
 * commit, a price notification is queued when the selling price differs from what some seller connection's marketplace was told.
 * <p>
 * The guardrail is checked per connection: for {@value Connection#DEFAULT} and every other enabled seller connection,
 * its old selling price (what its simulation answers now) and its new one, each by that connection's own price rules
 * ({@code mappings/connections/<id>/price-rules.yaml}, else the base file) with its own {@code guardrail}. One
 * connection's drop above its guardrail holds the whole change: the projection keeps the ERP price it had, so no
 * marketplace sells at the new one until it is approved, which then applies it on every connection.
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
    private final Connections connections;
    private final ConnectionOffers connectionOffers;

    public PriceSync(OfferSyncStore store, OfferProjection projection, ErpCatalog erp, MappingRegistry mappings,
                     NotificationCoalescer coalescer, TransactionTemplate tx,
                     @Value("${bridge.sync.sales-channel}") String salesChannel, Connections connections,
                     ConnectionOffers connectionOffers) {
        this.store = store;
        this.projection = projection;
        this.erp = erp;
        this.mappings = mappings;
        this.coalescer = coalescer;
        this.tx = tx;
        this.salesChannel = salesChannel;
        this.connections = connections;
        this.connectionOffers = connectionOffers;
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
            List<String> drops = dropsAboveGuardrail(change.sku(), category, price.price(), rules, current, selling);
            if (!drops.isEmpty()) {
                String reason = String.join("; ", drops) + String.format("; approve with POST /ops/api/offers/%s/price/approve "
                        + "(applies it on every connection)", change.sku());
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

    /**
     * Every connection whose guardrail holds this change, as "connection c: price drop from x to y cents is above its
     * n % guardrail"; empty when none does. {@code current} and {@code selling} are connection default's (the
     * projection's price and the new one by the base rules); another connection's come from the ERP price the
     * projection holds ({@link ConnectionOffers}) and the new ERP price, by its own rules on its own sales channel.
     */
    private List<String> dropsAboveGuardrail(String sku, String category, long erpPrice, PriceRules rules, Long current,
                                             long selling) {
        List<String> drops = new ArrayList<>();
        if (rules.holds(current, selling)) {
            drops.add(drop(Connection.DEFAULT, current, selling, rules));
        }
        for (Connection connection : connections.sellers()) {
            if (connection.isDefault()) {
                continue;
            }
            PriceRules own = mappings.forConnection(connection.id()).prices();
            Long before = connectionOffers.find(connection.id(), sku).map(offer -> offer.offer().price()).orElse(null);
            long after = own.sellingPrice(connection.vtex().salesChannel(), category, erpPrice);
            if (own.holds(before, after)) {
                drops.add(drop(connection.id(), before, after, own));
            }
        }
        return drops;
    }

    private static String drop(String connection, Long before, long after, PriceRules rules) {
        return String.format("connection %s: price drop from %d to %d cents is above its %s %% guardrail", connection, before,
                after, rules.guardrail().maxDropPercent());
    }

    /**
     * Ops approved a held price: it goes to the projection (connection default's price and the ERP price every other
     * connection's is derived from) and every seller connection's marketplace is told.
     */
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
