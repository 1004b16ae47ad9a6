package dev.vtexbridge.sandbox;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The simulated external marketplace's sinks ({@code /sandbox/marketplace/offers}, {@code /sandbox/marketplace/events})
 * and what it and the simulated store saw ({@code /sandbox/api/marketplace/offers|events|orders},
 * {@code /sandbox/api/store/orders}); open like the rest of the sandbox.
 */
@RestController
@ConditionalOnSandbox
class SandboxMarketplaceController {

    private final SandboxMarketplace marketplace;
    private final SandboxStore store;

    SandboxMarketplaceController(SandboxMarketplace marketplace, SandboxStore store) {
        this.marketplace = marketplace;
        this.store = store;
    }

    @RequestMapping(value = SandboxMarketplace.BASE + "/offers", method = {RequestMethod.PUT, RequestMethod.POST,
            RequestMethod.PATCH})
    ResponseEntity<?> offer(@RequestBody JsonNode offer) {
        if (offer.isArray()) {
            offer.forEach(marketplace::offer);
        } else {
            marketplace.offer(offer);
        }
        return ResponseEntity.ok(Map.of("received", offer.isArray() ? offer.size() : 1));
    }

    @PostMapping(SandboxMarketplace.BASE + "/events")
    ResponseEntity<?> event(@RequestBody JsonNode event) {
        marketplace.event(event);
        return ResponseEntity.ok(Map.of("received", 1));
    }

    /** The last offer received per (connection, SKU), newest first. */
    @GetMapping("/sandbox/api/marketplace/offers")
    List<SandboxMarketplace.ReceivedOffer> offers(@RequestParam(required = false) String connection) {
        return marketplace.offers(connection);
    }

    @GetMapping("/sandbox/api/marketplace/events")
    List<SandboxMarketplace.ReceivedEvent> events() {
        return marketplace.events();
    }

    @GetMapping("/sandbox/api/marketplace/orders")
    List<SandboxMarketplace.PlacedOrder> orders() {
        return marketplace.orders();
    }

    @DeleteMapping("/sandbox/api/marketplace")
    ResponseEntity<Void> clear() {
        marketplace.clear();
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/sandbox/api/store/orders")
    List<SandboxStore.StoreOrder> storeOrders() {
        return store.orders();
    }
}
