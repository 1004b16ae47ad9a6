package dev.vtexbridge.marketplace;

import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.web.ApiError;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The reconciliation of a marketplace-role connection in the ops API: {@code POST /ops/api/reconciliation?connection=<id>}
 * runs it now (the SKU ids are read before it answers; the offers flow then works through them), {@code GET} answers
 * its last run with its counts. Without {@code connection} these paths are the seller role's reconciliation.
 */
@RestController
@RequestMapping("/ops/api")
class MarketplaceOpsController {

    private final Connections connections;
    private final MarketplaceReconciliation reconciliation;

    MarketplaceOpsController(Connections connections, MarketplaceReconciliation reconciliation) {
        this.connections = connections;
        this.reconciliation = reconciliation;
    }

    @PostMapping(value = "/reconciliation", params = "connection")
    ResponseEntity<?> reconcile(@RequestParam String connection) {
        ResponseEntity<?> refused = refuse(connection);
        if (refused != null) {
            return refused;
        }
        return reconciliation.runNow(connection).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ApiError.of(HttpStatus.CONFLICT, "running",
                        "a reconciliation of connection " + connection + " is running (GET /ops/api/reconciliation?connection="
                                + connection + ")"));
    }

    @GetMapping(value = "/reconciliation", params = "connection")
    ResponseEntity<?> last(@RequestParam String connection) {
        ResponseEntity<?> refused = refuse(connection);
        if (refused != null) {
            return refused;
        }
        return reconciliation.last(connection).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ApiError.of(HttpStatus.NOT_FOUND, "not_run",
                        "no reconciliation of connection " + connection + " ran yet"));
    }

    private ResponseEntity<?> refuse(String connection) {
        Connection target = connections.find(connection).orElse(null);
        if (target == null) {
            return ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no connection " + connection + " (GET /ops/api/connections)");
        }
        if (target.role() != Connection.Role.MARKETPLACE) {
            return ApiError.of(HttpStatus.BAD_REQUEST, "not_marketplace", "connection " + connection + " is in the "
                    + target.role().configName() + " role: its reconciliation is the one of every seller connection,"
                    + " POST /ops/api/reconciliation without connection");
        }
        return null;
    }
}
