package dev.vtexbridge.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.erp.ErpCatalog;
import dev.vtexbridge.erp.Money;
import dev.vtexbridge.mapping.MappingRegistry;
import dev.vtexbridge.mapping.Mappings;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.model.ErpProduct;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Full reconciliation: walks the whole ERP catalog (page by page), works out what the projection should hold (price
 * and stock rules applied) and what the catalog flow last applied, and sends a change event to the flow's durable
 * channel only for what differs. Changes made behind the engine's back (no change row, no event) are caught this way.
 * A catalog difference is sent to each seller connection where the SKU is not blocked by a missing mapping (those are
 * retried when the mappings change), and a SKU never sent to a connection's marketplace (pending there, e.g. a
 * connection added since) is sent to it.
 */
@Component("reconciliation")
public class Reconciliation {

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

    /** What one run found: SKUs scanned, SKUs with a difference, events sent (per flow; catalog: one per connection). */
    public record Summary(Instant startedAt, Instant finishedAt, int scanned, int changed, int sent, int catalog, int price,
                          int stock) {
    }

    private final ErpCatalog erp;
    private final OfferProjection projection;
    private final OfferSyncStore store;
    private final CatalogSync catalog;
    private final MappingRegistry mappings;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final Clock clock;
    private final String salesChannel;
    private final Map<String, String> channels;
    private volatile Summary last;

    public Reconciliation(ErpCatalog erp, OfferProjection projection, OfferSyncStore store, CatalogSync catalog,
                          MappingRegistry mappings, ProducerTemplate producer, ObjectMapper json, Clock clock,
                          @Value("${bridge.sync.sales-channel}") String salesChannel,
                          @Value("${bridge.channels.price-changes}") String priceChannel,
                          @Value("${bridge.channels.stock-changes}") String stockChannel) {
        this.erp = erp;
        this.projection = projection;
        this.store = store;
        this.catalog = catalog;
        this.mappings = mappings;
        this.producer = producer;
        this.json = json;
        this.clock = clock;
        this.salesChannel = salesChannel;
        this.channels = Map.of(ErpChange.PRICE, priceChannel, ErpChange.STOCK, stockChannel);
    }

    public synchronized Summary run() {
        Instant started = clock.instant();
        Mappings rules = mappings.current();
        AtomicInteger scanned = new AtomicInteger();
        AtomicInteger changed = new AtomicInteger();
        int[] sent = new int[3];
        erp.forEach(rules.prices().priceList(), product -> {
            scanned.incrementAndGet();
            boolean differs = false;
            String sku = product.offer().skuId();
            OfferSyncStore.SyncState state = store.find(sku).orElse(null);
            OfferState offer = projection.find(sku).orElse(null);
            boolean catalogDiffers = state == null || state.catalogVersion() == null
                    || product.offer().updatedAt() != null && product.offer().updatedAt().isAfter(state.catalogVersion())
                    || offer == null || offer.active() != product.offer().active();
            Map<String, OfferSyncStore.CatalogState> statuses = store.catalogEverywhere(List.of(sku)).getOrDefault(sku, Map.of());
            for (String connection : catalog.sellerIds()) {
                OfferSyncStore.CatalogState status = statuses.get(connection);
                boolean pending = status == null || status.status() == OfferSyncStore.CatalogStatus.PENDING;
                if ((catalogDiffers || pending) && (status == null || status.blockedBy() == null)) {
                    catalog.send(connection, sku, false);
                    sent[0]++;
                    differs = true;
                }
            }
            if (product.price() != null) {
                long expected = rules.prices().sellingPrice(salesChannel, product.offer().categoryId(), product.price().price());
                boolean held = state != null && state.heldPrice() != null && state.heldPrice() == expected;
                if (!held && (offer == null || !Objects.equals(offer.price(), expected))) {
                    send(new ErpChange(ErpChange.PRICE, sku, product.price().updatedAt(), Money.units(product.price().price()),
                            product.price().listPrice() == null ? null : Money.units(product.price().listPrice()),
                            product.price().priceList(), null, null, null));
                    sent[1]++;
                    differs = true;
                }
            }
            Map<String, Integer> erpStock = product.stock() == null ? Map.of() : product.stock().warehouses();
            Map<String, Integer> expected = rules.stock().expose(salesChannel, erpStock);
            if (offer == null || !withoutZeros(offer.stockByWarehouse()).equals(withoutZeros(expected))) {
                send(new ErpChange(ErpChange.STOCK, sku, product.stock() == null ? null : product.stock().updatedAt(), null, null,
                        null, null, null, erpStock));
                sent[2]++;
                differs = true;
            }
            if (differs) {
                changed.incrementAndGet();
            }
        });
        last = new Summary(started, clock.instant(), scanned.get(), changed.get(), sent[0] + sent[1] + sent[2], sent[0],
                sent[1], sent[2]);
        log.info("Reconciliation: {} SKUs scanned, {} changed, {} events sent ({} catalog, {} price, {} stock)",
                last.scanned(), last.changed(), last.sent(), last.catalog(), last.price(), last.stock());
        return last;
    }

    public Summary last() {
        return last;
    }

    private static Map<String, Integer> withoutZeros(Map<String, Integer> stock) {
        Map<String, Integer> result = new java.util.TreeMap<>();
        stock.forEach((warehouse, quantity) -> {
            if (quantity != null && quantity > 0) {
                result.put(warehouse, quantity);
            }
        });
        return result;
    }

    private void send(ErpChange change) {
        try {
            producer.sendBodyAndHeader(channels.get(change.kind()), json.writeValueAsString(change), "BridgeMessageKey", change.sku());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
