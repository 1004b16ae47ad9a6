package dev.vtexbridge.connections;

import java.util.List;
import java.util.Map;

import dev.vtexbridge.marketplace.ListingOps;
import dev.vtexbridge.metrics.VtexCalls;
import dev.vtexbridge.ops.FailedMessage;
import dev.vtexbridge.ops.FailedMessageStore;
import dev.vtexbridge.orders.OrderLinks;
import dev.vtexbridge.seller.SellerProperties;
import dev.vtexbridge.sync.OfferSyncStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The connections in the ops API ({@code GET /ops/api/connections}, ops bearer token): what each one is and where its
 * marketplace calls us, with its open orders, its SKUs per catalog status, its failed messages and how its VTEX
 * account answered lately. Never a credential: the views below hold none.
 */
@RestController
class ConnectionOpsController {

    private final Connections connections;
    private final OrderLinks orders;
    private final String basePath;
    /**
     * Looked up when asked: created from here, early in start-up, the notifier would still be in creation when Camel
     * collects its event notifiers, and Camel would never call it.
     */
    private final ObjectProvider<VtexCalls> vtexCalls;
    private final FailedMessageStore failed;
    private final OfferSyncStore offers;
    private final ListingOps listings;

    ConnectionOpsController(Connections connections, OrderLinks orders, SellerProperties seller,
                            ObjectProvider<VtexCalls> vtexCalls, FailedMessageStore failed, OfferSyncStore offers,
                            ListingOps listings) {
        this.listings = listings;
        this.offers = offers;
        this.connections = connections;
        this.orders = orders;
        this.basePath = seller.basePath();
        this.vtexCalls = vtexCalls;
        this.failed = failed;
    }

    /**
     * One connection as ops sees it; {@code openOrders}: its orders not cancelled or delivered yet;
     * {@code offersByStatus}: the counts of {@code GET /ops/api/offers?connection=<id>};
     * {@code lastSuccessfulCall}/{@code lastFailedCall}: its VTEX account's last answer below 400 and last 4xx/5xx or
     * no answer, since this instance started (null: none); {@code failedMessages}: its failed messages still FAILED.
     * A marketplace-role connection shows its {@code affiliateId} (null in the seller role) and, as
     * {@code endpointPath}, the path its VTEX store's notifications come to.
     */
    record ConnectionView(String id, String role, boolean enabled, String vtexAccount, String sellerId,
                          String salesChannel, String affiliateId, String endpointPath, long openOrders,
                          Map<String, Integer> offersByStatus, VtexCalls.Call lastSuccessfulCall,
                          VtexCalls.Call lastFailedCall, long failedMessages) {
    }

    record ConnectionList(List<ConnectionView> items) {
    }

    @GetMapping("/ops/api/connections")
    ConnectionList connections() {
        Map<String, Long> open = orders.openOrdersPerConnection();
        Map<String, Long> failedPerConnection = failed.countPerConnection(FailedMessage.Status.FAILED);
        return new ConnectionList(connections.all().stream().map(connection -> {
            VtexCalls.LastCalls calls = vtexCalls.getObject().lastCalls(connection.id());
            boolean marketplace = connection.role() == Connection.Role.MARKETPLACE;
            return new ConnectionView(connection.id(), connection.role().configName(), connection.enabled(),
                    connection.vtex().account(), marketplace ? null : connection.vtex().sellerId(),
                    connection.vtex().salesChannel(), connection.vtex().affiliateId(),
                    marketplace ? "/marketplace/" + connection.id() + "/api/notification" : connection.sellerEndpointPath(basePath),
                    open.getOrDefault(connection.id(), 0L),
                    marketplace ? listings.counts(connection.id()) : offers.counts(connection.id()), calls.successful(), calls.failed(),
                    failedPerConnection.getOrDefault(connection.id(), 0L));
        }).toList());
    }
}
