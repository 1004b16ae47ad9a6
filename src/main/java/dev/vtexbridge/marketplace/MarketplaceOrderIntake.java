package dev.vtexbridge.marketplace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.mapping.MappingRegistry;
import dev.vtexbridge.mapping.OfferTemplate;
import dev.vtexbridge.orders.OrderStatus;
import dev.vtexbridge.orders.OrderTimeline;
import dev.vtexbridge.orders.OrderTimeline.Event;
import dev.vtexbridge.orders.OrderTimeline.Outcome;
import dev.vtexbridge.orders.OrderTimeline.Source;
import dev.vtexbridge.vtex.VtexErrorException;
import dev.vtexbridge.web.StrictJson;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes the external marketplace's orders of a marketplace-role connection: by webhook ({@code POST
 * /marketplace/<id>/orders}) or from its {@code orders.source} topic, queue or feed. The body goes through the
 * connection's {@code mappings/connections/<id>/order-in.jslt} when there is one, is checked ({@link IncomingOrder}),
 * and is recorded in the order store with its status in one transaction with the message that makes the order flow
 * ({@code routes/marketplace/marketplace-orders.camel.yaml}) act on it, so the answer comes once it is durable. One
 * order per (connection, marketplace order id): a repeat (or a concurrent twin) changes nothing and gets the same
 * answer; a later {@code approved} or {@code canceled} of a known order is recorded and acted on once.
 */
@Component("marketplaceOrderIntake")
public class MarketplaceOrderIntake {

    private static final Logger log = LoggerFactory.getLogger(MarketplaceOrderIntake.class);
    static final String TEMPLATE = "order-in.jslt";
    private static final int ATTEMPTS = 20;

    private final Connections connections;
    private final MarketplaceOrderStore store;
    private final OrderTimeline timeline;
    private final MarketplaceOrderWork work;
    private final TransactionTemplate tx;
    private final StrictJson strict;
    private final ObjectReader tree;
    private final ObjectMapper json;
    private final ResourceLoader resources;
    private final String mappingsLocation;
    /** Compiled templates by connection. */
    private final Map<String, OfferTemplate> templates = new java.util.concurrent.ConcurrentHashMap<>();

    public MarketplaceOrderIntake(Connections connections, MarketplaceOrderStore store, OrderTimeline timeline,
                                  MarketplaceOrderWork work, TransactionTemplate tx, StrictJson strict, ObjectMapper json,
                                  ResourceLoader resources, @Value("${bridge.mappings-location}") String mappingsLocation) {
        this.connections = connections;
        this.store = store;
        this.timeline = timeline;
        this.work = work;
        this.tx = tx;
        this.strict = strict;
        this.tree = strict.mapperBuilder().build().readerFor(JsonNode.class);
        this.json = json;
        this.resources = resources;
        this.mappingsLocation = mappingsLocation;
    }

    /** Route step of the webhook: the connection is the path's (header {@code connection}, checked by the guard). */
    public void receive(Exchange exchange) throws IOException {
        Connection connection = connections.require(exchange.getIn().getHeader("connection", String.class));
        exchange.setProperty(Connection.HEADER, connection.id());
        exchange.getIn().setBody(take(connection, exchange.getIn().getBody(byte[].class)));
    }

    /**
     * Route step of a Kafka, JMS or feed order source ({@link MarketplaceOrderSources}): the connection is header
     * {@value Connection#HEADER}.
     */
    public String receiveMessage(Exchange exchange) throws IOException {
        Connection connection = connections.require(exchange.getIn().getHeader(Connection.HEADER, String.class));
        return take(connection, exchange.getIn().getBody(byte[].class));
    }

    /** Records one order (or its new status) and answers {@code {marketplaceOrderId, status}}. */
    String take(Connection connection, byte[] body) throws IOException {
        JsonNode node;
        try {
            node = strict.read(tree, body == null ? new byte[0] : body);
        } catch (IllegalArgumentException | IOException e) {
            throw IncomingOrder.invalid(e.getMessage());
        }
        Optional<OfferTemplate> template = template(connection.id());
        if (template.isPresent()) {
            try {
                node = template.get().apply(node);
            } catch (RuntimeException e) {
                throw IncomingOrder.invalid(MappingRegistry.CONNECTIONS + connection.id() + "/" + TEMPLATE
                        + " failed on this body: " + e.getMessage());
            }
        }
        IncomingOrder order = IncomingOrder.of(node);
        if (!connection.ordersOrDefault().withPayment()) {
            order.body().remove("paymentData"); // the marketplace took the payment: nothing of it is kept
        }
        String orderId = connection.vtex().affiliateId() + "-" + order.marketplaceOrderId();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                String status = tx.execute(s -> apply(connection, orderId, order));
                ObjectNode answer = json.createObjectNode().put("marketplaceOrderId", order.marketplaceOrderId())
                        .put("status", status);
                return answer.toString();
            } catch (DuplicateKeyException | PessimisticLockingFailureException concurrentTwin) {
                pause(); // the same order is being taken right now: the next attempt finds it
            }
        }
        throw new VtexErrorException(503, "ORDER_BUSY", "Order " + order.marketplaceOrderId()
                + " is being taken concurrently; retry");
    }

    private String apply(Connection connection, String orderId, IncomingOrder order) {
        Optional<MarketplaceOrderStore.Order> known = store.lock(connection.id(), orderId);
        if (known.isEmpty()) {
            order.requireComplete();
            boolean approved = IncomingOrder.APPROVED.equals(order.status());
            boolean canceled = IncomingOrder.CANCELED.equals(order.status());
            store.insert(orderId, connection.id(), order.marketplaceOrderId(), order.body().toString(), "{}", approved, canceled);
            timeline.record(orderId, Source.MARKETPLACE, Event.RECEIVED, Outcome.ACCEPTED, null, OrderStatus.RECEIVED,
                    "marketplace order " + order.marketplaceOrderId() + ", " + order.body().get("items").size()
                            + " item(s), status " + order.status());
            work.due(connection, orderId);
            log.info("Marketplace order {} of connection {} received (status {})", order.marketplaceOrderId(),
                    connection.id(), order.status());
            return order.status();
        }
        MarketplaceOrderStore.Order existing = known.get();
        boolean changed = false;
        if (IncomingOrder.APPROVED.equals(order.status()) && existing.approvedAt() == null
                && existing.cancelRequestedAt() == null) {
            store.approved(orderId);
            changed = true;
        } else if (IncomingOrder.CANCELED.equals(order.status()) && existing.cancelRequestedAt() == null) {
            store.cancelRequested(orderId);
            changed = true;
        }
        timeline.record(orderId, Source.MARKETPLACE, Event.RECEIVED, changed ? Outcome.ACCEPTED : Outcome.REPEATED,
                existing.status(), existing.status(), "marketplace status " + order.status());
        if (changed) {
            work.due(connection, orderId);
        }
        return store.find(connection.id(), orderId).orElseThrow().marketplaceStatus();
    }

    /** The connection's order-in template, compiled once per content; none: the body is already the order. */
    private Optional<OfferTemplate> template(String connection) throws IOException {
        Resource resource = resources.getResource(mappingsLocation + MappingRegistry.CONNECTIONS + connection + "/" + TEMPLATE);
        if (!resource.exists()) {
            return Optional.empty();
        }
        String source;
        try (InputStream in = resource.getInputStream()) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        OfferTemplate template = templates.get(connection);
        if (template == null || !template.source().equals(source)) {
            template = OfferTemplate.compile(source);
            templates.put(connection, template);
        }
        return Optional.of(template);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
