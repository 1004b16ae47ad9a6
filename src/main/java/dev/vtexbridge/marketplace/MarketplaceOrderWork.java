package dev.vtexbridge.marketplace;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.errors.DeferredDeliveries;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Hands a marketplace order to the order flow ({@code routes/marketplace/marketplace-orders.camel.yaml}): its message
 * on {@code bridge.channels.marketplace-orders}, keyed by the order id, written to the outbox in the caller's
 * transaction, so it goes out exactly when what made it due (the order taken, its approval, a processing result) is
 * recorded.
 */
@Component
class MarketplaceOrderWork {

    private static final String ROUTE = "marketplace-orders";

    private final DeferredDeliveries outbox;
    private final ObjectMapper json;
    private final String channel;

    MarketplaceOrderWork(DeferredDeliveries outbox, ObjectMapper json,
                         @Value("${bridge.channels.marketplace-orders}") String channel) {
        this.outbox = outbox;
        this.json = json;
        this.channel = channel;
    }

    void due(Connection connection, String orderId) {
        try {
            outbox.enqueue(ROUTE, channel, json.createObjectNode().put("connection", connection.id())
                            .put("orderId", orderId).toString(),
                    Map.of(Connection.HEADER, connection.id(), "BridgeMessageKey", orderId, "orderId", orderId),
                    "marketplace order " + orderId);
        } catch (IOException e) {
            throw new IllegalStateException("cannot queue marketplace order " + orderId, e);
        }
    }
}
