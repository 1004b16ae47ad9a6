package dev.vtexbridge.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.vtexbridge.connections.Connection;
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

/** Ops API of the seller sync: offer status per SKU, approval of held prices, reconciliation on demand. */
@RestController
@RequestMapping("/ops/api")
public class OfferOpsController {

    private final OfferSyncStore store;
    private final OfferProjection projection;
    private final PriceSync priceSync;
    private final Reconciliation reconciliation;
    private final Paging paging;

    OfferOpsController(OfferSyncStore store, OfferProjection projection, PriceSync priceSync, Reconciliation reconciliation,
                       Paging paging) {
        this.store = store;
        this.projection = projection;
        this.priceSync = priceSync;
        this.reconciliation = reconciliation;
        this.paging = paging;
    }

    @GetMapping("/offers")
    public ResponseEntity<?> offers(@RequestParam(required = false) String status, @RequestParam(required = false) String sku,
                                    @RequestParam(required = false) String reason, @RequestParam(required = false) String sort,
                                    @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        paging.check(page, size);
        if (status != null && !status.isBlank()
                && !List.of("pending", "suggested", "bound", "held", "error").contains(status.toLowerCase())) {
            return ApiError.of(HttpStatus.BAD_REQUEST, "bad_status", "status is one of pending, suggested, bound, held, error");
        }
        List<Map<String, Object>> items = store.list(status, sku, reason, sort, page, size).stream().map(this::view).toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", items);
        answer.put("page", page);
        answer.put("size", size);
        answer.put("total", store.count(status, sku, reason));
        answer.put("counts", store.counts());
        return ResponseEntity.ok(answer);
    }

    @GetMapping("/offers/{sku}")
    public ResponseEntity<?> offer(@PathVariable String sku) {
        return store.find(sku).<ResponseEntity<?>>map(state -> ResponseEntity.ok(view(state)))
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

    private Map<String, Object> view(OfferSyncStore.SyncState state) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sku", state.skuId());
        view.put("status", state.status());
        view.put("reason", state.heldPrice() != null ? state.heldReason() : state.reason());
        view.put("blockedBy", state.blockedBy());
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
        view.put("updatedAt", state.updatedAt());
        return view;
    }
}
