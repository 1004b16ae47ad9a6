package dev.vtexbridge.sandbox;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.web.ApiError;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The simulated VTEX store of the External Marketplace role ({@link SandboxStore}) under {@code /sandbox/store}: the
 * calls a marketplace connector makes to a VTEX seller (vtex-protocol.md §3.3-3.5, §3.7).
 */
@RestController
@RequestMapping(SandboxStore.BASE)
@ConditionalOnSandbox
class SandboxStoreController {

    private final SandboxStore store;
    private final ObjectMapper json;

    SandboxStoreController(SandboxStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @GetMapping("/api/catalog_system/pvt/sku/stockkeepingunitbyid/{skuId}")
    ResponseEntity<?> sku(@PathVariable String skuId) {
        ObjectNode sku = store.sku(skuId);
        return sku == null ? ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "SKU " + skuId + " not found"))
                : ResponseEntity.ok(sku);
    }

    @GetMapping("/api/catalog_system/pvt/sku/stockkeepingunitidsbysaleschannel")
    List<Long> ids(@RequestParam String sc, @RequestParam(defaultValue = "1") int page,
                   @RequestParam(defaultValue = "50") int pageSize) {
        return store.ids(page, pageSize);
    }

    @PostMapping({"/api/checkout/pub/orderForms/simulation", "/api/fulfillment/pvt/orderForms/simulation"})
    ObjectNode simulation(@RequestBody JsonNode body) {
        return store.simulate(body);
    }

    /** Order placement: one order (the current spec: {@code {orderId, status, message, orderData}}) or an array (guides). */
    @PostMapping("/api/fulfillment/pvt/orders")
    ResponseEntity<?> place(@RequestParam(required = false) String sc, @RequestParam String affiliateId,
                            @RequestBody JsonNode body) {
        try {
            if (body.isArray()) {
                ArrayNode created = json.createArrayNode();
                for (JsonNode order : body) {
                    SandboxStore.StoreOrder placed = store.place(affiliateId, order);
                    created.add(((ObjectNode) order.deepCopy()).put("orderId", placed.orderId()));
                }
                return ResponseEntity.ok(created);
            }
            SandboxStore.StoreOrder placed = store.place(affiliateId, body);
            ObjectNode answer = json.createObjectNode().put("orderId", placed.orderId()).put("status", placed.status())
                    .put("message", "order created");
            answer.set("orderData", body);
            return ResponseEntity.ok(answer);
        } catch (IllegalStateException refused) {
            return ApiError.of(HttpStatus.BAD_REQUEST, "ORDER027", refused.getMessage());
        }
    }

    @PostMapping("/api/fulfillment/pvt/orders/{orderId}/fulfill")
    ResponseEntity<?> fulfil(@PathVariable String orderId) {
        SandboxStore.StoreOrder order = store.fulfil(orderId);
        if (order == null) {
            return ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no order " + orderId);
        }
        ObjectNode answer = json.createObjectNode().put("status", "success").put("message", "dispatch authorized")
                .put("orderId", order.orderId());
        answer.putObject("details").put("createdAt", order.placedAt().toString())
                .put("marketplaceOrderId", order.marketplaceOrderId()).put("status", order.status());
        return ResponseEntity.status(HttpStatus.CREATED).body(answer);
    }

    @PostMapping("/api/oms/pvt/orders/{orderId}/cancel")
    ResponseEntity<?> cancel(@PathVariable String orderId) {
        try {
            SandboxStore.StoreOrder order = store.cancel(orderId);
            if (order == null) {
                return ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no order " + orderId);
            }
            return ResponseEntity.ok(Map.of("date", java.time.Instant.now().toString(), "orderId", orderId,
                    "receipt", SandboxStore.receipt()));
        } catch (IllegalStateException refused) {
            return ApiError.of(HttpStatus.BAD_REQUEST, "invoiced", refused.getMessage());
        }
    }
}
