package dev.vtexbridge.connections;

import java.util.List;
import java.util.Map;

import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.seller.SellerProperties;
import dev.vtexbridge.sync.OfferSyncStore;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The connections in the ops API ({@code GET /ops/api/connections}, ops bearer token): what each one is and where its
 * marketplace calls us, with its open orders and its SKUs per catalog status. Never a credential: the views below hold
 * none.
 */
@RestController
class ConnectionOpsController {

    private final Connections connections;
    private final OrderLinks orders;
    private final String basePath;
    private final OfferSyncStore offers;

    ConnectionOpsController(Connections connections, OrderLinks orders, SellerProperties seller, OfferSyncStore offers) {
        this.offers = offers;
        this.connections = connections;
        this.orders = orders;
        this.basePath = seller.basePath();
    }

    /**
     * One connection as ops sees it; {@code openOrders}: its orders not cancelled or delivered yet;
     * {@code offersByStatus}: the counts of {@code GET /ops/api/offers?connection=<id>}.
     */
    record ConnectionView(String id, String role, boolean enabled, String vtexAccount, String sellerId,
                          String salesChannel, String endpointPath, long openOrders, Map<String, Integer> offersByStatus) {
    }

    record ConnectionList(List<ConnectionView> items) {
    }

    @GetMapping("/ops/api/connections")
    ConnectionList connections() {
        Map<String, Long> open = orders.openOrdersPerConnection();
        return new ConnectionList(connections.all().stream().map(connection -> new ConnectionView(connection.id(),
                connection.role().configName(), connection.enabled(), connection.vtex().account(),
                connection.vtex().sellerId(), connection.vtex().salesChannel(), connection.sellerEndpointPath(basePath),
                open.getOrDefault(connection.id(), 0L), offers.counts(connection.id()))).toList());
    }
}
