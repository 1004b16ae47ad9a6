package dev.vtexbridge.sandbox;

import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.sandbox.SandboxError.Violation;
import dev.vtexbridge.sandbox.SuggestionStore.StoredSuggestion;
import dev.vtexbridge.web.ApiError;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sandbox marketplace's side of a seller's SKU integration (vtex-protocol.md §2.3 B1-B3): price and stock
 * change notifications, the catalog change notification that tells whether a SKU is bound, and SKU suggestions.
 */
@RestController
@RequestMapping(SandboxConfiguration.VTEX_BASE)
@ConditionalOnSandbox
class SkuIntegrationController {

    private final SuggestionStore suggestions;
    private final Clock clock;
    private final SimulationCaller simulation;

    SkuIntegrationController(SuggestionStore suggestions, Clock clock, SimulationCaller simulation) {
        this.suggestions = suggestions;
        this.clock = clock;
        this.simulation = simulation;
    }

    /** B3: accepted; then, as VTEX does, the marketplace pulls the new price or stock through the seller's simulation. */
    @PostMapping("/api/notificator/{sellerId}/changenotification/{skuId}/{change:price|inventory}")
    ResponseEntity<Void> priceOrStockChanged(@PathVariable String sellerId, @PathVariable String skuId) {
        simulation.callLater(sellerId, skuId);
        return ResponseEntity.accepted().build();
    }

    /** B1, current and legacy path: 200 when the SKU is bound, else VTEX's 404 text, which means "suggest it". */
    @PostMapping({"/api/sku-binding/pvt/skuseller/changenotification/{sellerId}/{sellerSkuId}",
            "/api/catalog_system/pvt/skuseller/changenotification/{sellerId}/{sellerSkuId}"})
    ResponseEntity<String> skuChanged(@PathVariable String sellerId, @PathVariable String sellerSkuId) {
        if (suggestions.isBound(sellerId, sellerSkuId)) {
            return ResponseEntity.ok().build();
        }
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN)
                .body("Seller StockKeepingUnit `" + sellerSkuId + "` not found for this seller id `" + sellerId + "`");
    }

    /** B2 (on api.vtex.com/{account} in production). */
    @PutMapping("/{account}/suggestions/{sellerId}/{sellerSkuId}")
    ResponseEntity<?> suggest(@PathVariable String account, @PathVariable String sellerId,
                              @PathVariable String sellerSkuId, @RequestBody JsonNode body) {
        List<Violation> violations = SuggestionRules.check(body, sellerId);
        if (!violations.isEmpty()) {
            return SandboxError.invalid(violations);
        }
        suggestions.save(new StoredSuggestion(account, sellerId, sellerSkuId, clock.instant(), body));
        return ResponseEntity.ok().build();
    }

    @GetMapping("/{account}/suggestions/{sellerId}/{sellerSkuId}")
    ResponseEntity<?> suggestion(@PathVariable String sellerId, @PathVariable String sellerSkuId) {
        return suggestions.find(sellerId, sellerSkuId).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ApiError.of(HttpStatus.NOT_FOUND, "not_found",
                        "no suggestion for SKU " + sellerSkuId + " of seller " + sellerId));
    }
}
