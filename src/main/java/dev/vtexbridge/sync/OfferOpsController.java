package dev.vtexbridge.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.marketplace.ListingOps;
import dev.vtexbridge.web.ApiError;
import dev.vtexbridge.web.Paging;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Ops API of the seller sync: offer status per SKU, approval of held prices, reconciliation on demand. A SKU's status
 * and reason are those of one connection's catalog ({@code ?connection=}, else {@value Connection#DEFAULT}); the
 * answer of one SKU also shows every seller connection's under {@code catalog}.
 */
@RestController
@RequestMapping("/ops/api")
public class OfferOpsController {

    private final OfferSyncStore store;
    private final OfferProjection projection;
    private final PriceSync priceSync;
    private final Reconciliation reconciliation;
    private final Paging paging;
    private final Connections connections;
    private final ListingOps listings;

    OfferOpsController(OfferSyncStore store, OfferProjection projection, PriceSync priceSync, Reconciliation reconciliation,
                       Paging paging, Connections connections, ListingOps listings) {
        this.connections = connections;
        this.listings = listings;
        this.store = store;
        this.projection = projection;
        this.priceSync = priceSync;
        this.reconciliation = reconciliation;
        this.paging = paging;
    }

    @GetMapping("/offers")
    public ResponseEntity<?> offers(@RequestParam(required = false) String status, @RequestParam(required = false) String sku,
                                    @RequestParam(required = false) String reason, @RequestParam(required = false) String sort,
                                    @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                                    @RequestParam(defaultValue = Connection.DEFAULT) String connection) {
        paging.check(page, size);
        if (isMarketplace(connection)) {
            // a marketplace-role connection's offers are its listings on the external marketplace
            if (status != null && !status.isBlank() && !ListingOps.STATUSES.contains(status.toLowerCase(Locale.ROOT))) {
                return ApiError.of(HttpStatus.BAD_REQUEST, "bad_status", "status is one of listed, delisted, error");
            }
            return ResponseEntity.ok(listings.list(connection, status, sku, reason, sort, page, size));
        }
        if (status != null && !status.isBlank()
                && !List.of("pending", "suggested", "bound", "held", "error").contains(status.toLowerCase())) {
            return ApiError.of(HttpStatus.BAD_REQUEST, "bad_status", "status is one of pending, suggested, bound, held, error");
        }
        if (connections.find(connection).isEmpty()) {
            return noSuchConnection(connection);
        }
        List<OfferSyncStore.SyncState> states = store.list(connection, status, sku, reason, sort, page, size);
        Map<String, Map<String, OfferSyncStore.CatalogState>> catalog = store.catalogEverywhere(
                states.stream().map(OfferSyncStore.SyncState::skuId).toList());
        List<Map<String, Object>> items = states.stream().map(state -> view(state, connection,
                catalog.getOrDefault(state.skuId(), Map.of()), false)).toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", items);
        answer.put("page", page);
        answer.put("size", size);
        answer.put("total", store.count(connection, status, sku, reason));
        answer.put("counts", store.counts(connection));
        return ResponseEntity.ok(answer);
    }

    @GetMapping("/offers/{sku}")
    public ResponseEntity<?> offer(@PathVariable String sku, @RequestParam(defaultValue = Connection.DEFAULT) String connection) {
        if (connections.find(connection).isEmpty()) {
            return noSuchConnection(connection);
        }
        if (isMarketplace(connection)) {
            return listings.one(connection, sku).<ResponseEntity<?>>map(ResponseEntity::ok)
                    .orElseGet(() -> ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no listing " + sku + " on connection "
                            + connection));
        }
        return store.find(sku).<ResponseEntity<?>>map(state -> ResponseEntity.ok(view(state, connection,
                        store.catalogEverywhere(List.of(sku)).getOrDefault(sku, Map.of()), true)))
                .orElseGet(() -> ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no offer " + sku));
    }

    @PostMapping("/offers/{sku}/price/approve")
    public ResponseEntity<?> approve(@PathVariable String sku) {
        return priceSync.approveHeld(sku).<ResponseEntity<?>>map(price -> ResponseEntity.ok(Map.of("sku", sku, "price", price)))
                .orElseGet(() -> ApiError.of(HttpStatus.CONFLICT, "not_held", "SKU " + sku + " has no held price"));
    }

    @PostMapping("/reconciliation")
    public Reconciliation.Summary reconcile() {
        return reconciliation.run();
    }

    @GetMapping("/reconciliation")
    public ResponseEntity<?> lastReconciliation() {
        Reconciliation.Summary last = reconciliation.last();
        return last == null ? ApiError.of(HttpStatus.NOT_FOUND, "not_run", "no reconciliation ran yet") : ResponseEntity.ok(last);
    }

    /**
     * One SKU as ops see it on a connection, from its catalog rows by connection ({@code catalog}); with
     * {@code everyConnection}, also where it stands in each seller connection's catalog, pending where it was never sent.
     */
    private Map<String, Object> view(OfferSyncStore.SyncState state, String connection,
                                     Map<String, OfferSyncStore.CatalogState> catalog, boolean everyConnection) {
        OfferSyncStore.CatalogState onConnection = catalogOn(connection, state.skuId(), catalog);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sku", state.skuId());
        view.put("status", state.status(onConnection));
        view.put("reason", state.heldPrice() != null ? state.heldReason() : onConnection.reason());
        view.put("blockedBy", onConnection.blockedBy());
        view.put("productId", state.productId());
        view.put("categoryId", state.categoryId());
        projection.find(state.skuId()).ifPresent(offer -> {
            view.put("price", offer.price());
            view.put("listPrice", offer.listPrice());
            view.put("exposedQuantity", offer.stock());
            view.put("available", offer.available());
            view.put("active", offer.active());
        });
        view.put("heldPrice", state.heldPrice());
        view.put("erpPrice", state.erpPrice());
        view.put("erpStock", state.erpStock());
        // per SKU, the list shows what connection default's marketplace was told; "notified" has every connection's
        Map<String, OfferSyncStore.Notified> told = store.notifiedEverywhere(List.of(state.skuId()))
                .getOrDefault(state.skuId(), Map.of());
        OfferSyncStore.Notified toldDefault = told.getOrDefault(Connection.DEFAULT, OfferSyncStore.Notified.NOTHING);
        view.put("notifiedPrice", toldDefault.price());
        view.put("notifiedQuantity", toldDefault.quantity());
        view.put("notified", told);
        if (everyConnection) {
            Map<String, Object> byConnection = new TreeMap<>();
            connections.sellers().forEach(seller -> byConnection.put(seller.id(),
                    catalogView(catalogOn(seller.id(), state.skuId(), catalog))));
            view.put("catalog", byConnection);
        }
        view.put("updatedAt", state.updatedAt());
        return view;
    }

    private static OfferSyncStore.CatalogState catalogOn(String connection, String sku, Map<String, OfferSyncStore.CatalogState> catalog) {
        OfferSyncStore.CatalogState row = catalog.get(connection);
        return row != null ? row : OfferSyncStore.CatalogState.pending(connection, sku);
    }

    private static Map<String, Object> catalogView(OfferSyncStore.CatalogState state) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", state.status().name().toLowerCase(Locale.ROOT));
        view.put("reason", state.reason());
        view.put("blockedBy", state.blockedBy());
        view.put("updatedAt", state.updatedAt());
        return view;
    }

    private boolean isMarketplace(String connection) {
        return connections.find(connection).map(c -> c.role() == Connection.Role.MARKETPLACE).orElse(false);
    }

    private static ResponseEntity<?> noSuchConnection(String connection) {
        return ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no connection " + connection + " (GET /ops/api/connections)");
    }
}
