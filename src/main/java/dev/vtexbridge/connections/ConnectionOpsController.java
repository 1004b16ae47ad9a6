package dev.vtexbridge.connections;

import java.util.List;
import java.util.Map;

import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.seller.SellerProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The connections in the ops API ({@code GET /ops/api/connections}, ops bearer token): what each one is and where its
 * marketplace calls us, with its open orders. Never a credential: the views below hold none.
 */
@RestController
class ConnectionOpsController {

    private final Connections connections;
    private final OrderLinks orders;
    private final String basePath;

    ConnectionOpsController(Connections connections, OrderLinks orders, SellerProperties seller) {
        this.connections = connections;
        this.orders = orders;
        this.basePath = seller.basePath();
    }

    /**
     * One connection as ops sees it; {@code openOrders}: its orders not cancelled or delivered yet. A marketplace-role
     * connection shows its {@code affiliateId} (null in the seller role) and, as {@code endpointPath}, the path its
     * VTEX store's notifications come to.
     */
    record ConnectionView(String id, String role, boolean enabled, String vtexAccount, String sellerId,
                          String salesChannel, String affiliateId, String endpointPath, long openOrders) {
    }

    record ConnectionList(List<ConnectionView> items) {
    }

    @GetMapping("/ops/api/connections")
    ConnectionList connections() {
        Map<String, Long> open = orders.openOrdersPerConnection();
        return new ConnectionList(connections.all().stream().map(connection -> new ConnectionView(connection.id(),
                connection.role().configName(), connection.enabled(), connection.vtex().account(),
                connection.role() == Connection.Role.MARKETPLACE ? null : connection.vtex().sellerId(),
                connection.vtex().salesChannel(), connection.vtex().affiliateId(),
                connection.role() == Connection.Role.MARKETPLACE ? "/marketplace/" + connection.id() + "/api/notification"
                        : connection.sellerEndpointPath(basePath),
                open.getOrDefault(connection.id(), 0L))).toList());
    }
}
