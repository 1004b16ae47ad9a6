package dev.vtexbridge.marketplace;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.connections.MarketplaceOffers;
import dev.vtexbridge.mapping.MappingContext;
import dev.vtexbridge.mapping.MappingError;
import dev.vtexbridge.mapping.MappingException;
import dev.vtexbridge.mapping.MappingRegistry;
import dev.vtexbridge.mapping.OfferTemplate;
import dev.vtexbridge.model.ErpProduct;
import dev.vtexbridge.model.Offer;
import dev.vtexbridge.model.Price;
import dev.vtexbridge.model.StockLevel;
import dev.vtexbridge.vtex.VtexAnswers;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * The steps of the offers flow ({@code routes/marketplace/offers-vtex-to-marketplace.camel.yaml}): read one SKU of a
 * connection's VTEX store (catalog data, then price and stock through the checkout simulation for the connection's
 * sales channel and affiliate), map it with the seller role's mapping processors and the connection's mapping files
 * ({@code mappings/connections/<id>/}, else the base files), and publish the offer through the connection's sink.
 * Each outcome is recorded per (connection, SKU) in {@link ListingStore}.
 */
@Component("marketplaceListings")
public class MarketplaceListings {

    private static final Logger log = LoggerFactory.getLogger(MarketplaceListings.class);
    public static final String SKU_HEADER = "BridgeSku";
    /** Exchange properties of the SKU being published. */
    static final String UPDATE = "BridgeOfferUpdate";
    static final String SKU_DATA = "BridgeVtexSku";
    static final String OFFER = "BridgeOffer";
    static final String READY = "BridgeOfferReady";
    static final String PRICE_KNOWN = "BridgeOfferPriceKnown";
    static final String SINK_URI = "BridgeOfferSinkUri";
    static final String DIGEST = "BridgeOfferDigest";
    static final String UNCHANGED = "BridgeOfferUnchanged";
    /** The warehouse name under which the stock rules see the store's available quantity. */
    public static final String WAREHOUSE = "vtex";

    private final Connections connections;
    private final MappingRegistry mappings;
    private final ListingStore listings;
    private final ObjectMapper json;
    private final ResourceLoader resources;
    private final String mappingsLocation;
    private final Map<String, OfferTemplate> templates = new ConcurrentHashMap<>();
    private final MarketplaceReconciliation reconciliation;

    public MarketplaceListings(Connections connections, MappingRegistry mappings, ListingStore listings, ObjectMapper json,
                               ResourceLoader resources, @Value("${bridge.mappings-location}") String mappingsLocation,
                               MarketplaceReconciliation reconciliation) {
        this.reconciliation = reconciliation;
        this.connections = connections;
        this.mappings = mappings;
        this.listings = listings;
        this.json = json;
        this.resources = resources;
        this.mappingsLocation = mappingsLocation;
    }

    /** Body: an offer update from the offers channel. A SKU removed from the affiliate is delisted without a read. */
    public void load(Exchange exchange) throws IOException {
        NotificationWindow.OfferUpdate update = json.readValue(exchange.getIn().getBody(String.class),
                NotificationWindow.OfferUpdate.class);
        connections.require(update.connection());
        exchange.getIn().setHeader(Connection.HEADER, update.connection());
        exchange.getIn().setHeader(SKU_HEADER, update.skuId());
        exchange.setProperty(UPDATE, update);
        if (update.removedFromAffiliate()) {
            Connection connection = connection(exchange);
            delisted(exchange, update.productId(), update.reconciliation() != null
                    ? "no longer in sales channel " + connection.vtex().salesChannel() + " of the VTEX store (reconciliation)"
                    : "removed from affiliate " + connection.vtex().affiliateId() + " (no longer in its trade policy)");
        }
    }

    /** Before the SKU read: {@code GET …/stockkeepingunitbyid/{skuId}?sc={sales channel}}. */
    public void skuRequest(Exchange exchange) {
        Message in = exchange.getIn();
        in.setHeader(Exchange.HTTP_METHOD, "GET");
        in.setHeader(Exchange.HTTP_QUERY, "sc=" + connection(exchange).vtex().salesChannel());
        in.removeHeader(Exchange.CONTENT_TYPE);
        in.setBody(null);
    }

    /** The SKU read's answer: 2xx the SKU's data; 404 it is gone from the store (delisted); else the error policy. */
    public void skuRead(Exchange exchange) throws IOException, HttpOperationFailedException {
        int status = VtexAnswers.status(exchange);
        if (status == 404) {
            delisted(exchange, update(exchange).productId(), "the SKU is not in the VTEX store (catalog answered 404)");
            return;
        }
        VtexAnswers.requireSuccess(exchange);
        exchange.setProperty(SKU_DATA, json.readTree(exchange.getIn().getBody(String.class)));
    }

    /**
     * Before the simulation: {@code POST …/api/checkout/pub/orderForms/simulation?sc=&affiliateId=} for one unit of
     * the SKU from seller 1 (the store itself), with no postal code or country (a listing check, vtex-protocol.md §3.4).
     */
    public void simulationRequest(Exchange exchange) throws IOException {
        Connection connection = connection(exchange);
        Message in = exchange.getIn();
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader(Exchange.HTTP_QUERY, "sc=" + connection.vtex().salesChannel() + "&affiliateId="
                + connection.vtex().affiliateId());
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("items").addObject().put("id", sku(exchange)).put("quantity", 1).put("seller", "1");
        body.putNull("postalCode");
        body.putNull("country");
        in.setBody(json.writeValueAsString(body));
    }

    /**
     * The simulation's answer: the SKU's price and stock (an item missing from the answer: stock 0, price unknown),
     * then the SKU becomes the one being mapped, with the connection's mapping files and sales channel.
     */
    public void simulated(Exchange exchange) throws IOException, HttpOperationFailedException {
        VtexAnswers.requireSuccess(exchange);
        JsonNode answer = json.readTree(exchange.getIn().getBody(String.class));
        Connection connection = connection(exchange);
        JsonNode sku = exchange.getProperty(SKU_DATA, JsonNode.class);
        NotificationWindow.OfferUpdate update = update(exchange);
        SimulatedOffer simulated = SimulatedOffer.of(answer, sku(exchange));
        exchange.setProperty(PRICE_KNOWN, simulated.price() != null);
        var connectionMappings = mappings.forConnection(connection.id());
        Offer offer = VtexSku.toOffer(sku, update.changedAt());
        Price price = simulated.price() == null ? null : new Price(offer.skuId(), connectionMappings.prices().priceList(),
                simulated.price(), simulated.listPrice(), connectionMappings.prices().currency(), update.changedAt());
        StockLevel stock = new StockLevel(offer.skuId(), Map.of(WAREHOUSE, simulated.stock()), update.changedAt());
        ObjectNode model = JsonNodeFactory.instance.objectNode();
        model.put("connection", connection.id());
        model.putObject("sku").put("id", offer.skuId()).put("refId", offer.refId()).put("ean", offer.ean());
        model.putObject("product").put("id", offer.productId()).put("name", offer.productName());
        exchange.setProperty(MappingContext.PROPERTY, new MappingContext(new ErpProduct(offer, price, stock),
                connectionMappings, connection.vtex().salesChannel(), model));
        exchange.getIn().setBody(null);
    }

    /**
     * After the mapping steps: builds the offer. An unmapped category is published with {@code marketplaceId: null},
     * or held back (status error, blockedBy) when the connection has {@code offers.require-mapped-category: true}; any
     * other mapping error is recorded (status error) and sent to the failed-message store.
     */
    public void mapped(Exchange exchange) {
        MappingContext context = exchange.getProperty(MappingContext.PROPERTY, MappingContext.class);
        Connection connection = connection(exchange);
        boolean priceKnown = Boolean.TRUE.equals(exchange.getProperty(PRICE_KNOWN, Boolean.class));
        Decision decision = decide(context.errors(), connection.offers().requiresMappedCategory(), priceKnown);
        Offer erp = context.erp().offer();
        if (decision.failure() != null) {
            Long run = update(exchange).reconciliation();
            if (run != null) {
                // a reconciliation finding the same mapping error again: nothing new to record or replay
                ListingStore.Listing before = listings.find(connection.id(), erp.skuId()).orElse(null);
                if (before != null && before.status() == ListingStore.Status.ERROR
                        && Objects.equals(before.reason(), decision.reason())) {
                    reconciliation.count(connection.id(), run, MarketplaceReconciliation.Outcome.UNCHANGED);
                    exchange.setRouteStop(true);
                    return;
                }
                reconciliation.count(connection.id(), run, MarketplaceReconciliation.Outcome.FAILED);
            }
            listings.record(new ListingStore.Listing(connection.id(), erp.skuId(), erp.productId(), ListingStore.Status.ERROR,
                    decision.reason(), decision.blockedBy(), null, null, null, null, null, null));
            if (decision.failure().isEmpty()) {
                log.info("SKU {} of connection {} held back: {}", erp.skuId(), connection.id(), decision.reason());
                exchange.setRouteStop(true);
                return;
            }
            throw new MappingException(erp.skuId(), decision.failure());
        }
        JsonNode sku = exchange.getProperty(SKU_DATA, JsonNode.class);
        NotificationWindow.OfferUpdate update = update(exchange);
        boolean active = erp.active() && !Boolean.FALSE.equals(update.active());
        ObjectNode offer = OfferJson.of(connection.id(), context, sku, update.changedAt());
        if (!active) {
            offer.put("active", false).put("stock", 0).put("reason", "inactive in the VTEX store");
        }
        exchange.setProperty(OFFER, offer);
        exchange.setProperty("BridgeOfferBlockedBy", decision.blockedBy());
        exchange.setProperty("BridgeOfferNote", decision.reason());
    }

    /** What the mapping errors of one SKU mean: published (failure null), held back (failure empty) or failed. */
    record Decision(List<MappingError> failure, String reason, String blockedBy) {
    }

    static Decision decide(List<MappingError> errors, boolean requireMappedCategory, boolean priceKnown) {
        List<MappingError> categories = errors.stream()
                .filter(e -> e.blockedBy() != null && e.blockedBy().startsWith("category:")).toList();
        List<MappingError> others = errors.stream().filter(e -> !categories.contains(e))
                // no price without stock: the simulation did not answer the SKU, which is published with stock 0
                .filter(e -> priceKnown || !"Pricing.SalePrice".equals(e.field())).toList();
        String categoryReason = categories.stream().map(e -> "category not mapped for the marketplace: " + e.problem())
                .collect(Collectors.joining("; "));
        String blockedBy = categories.isEmpty() ? null
                : categories.stream().map(MappingError::blockedBy).collect(Collectors.joining(","));
        if (!others.isEmpty()) {
            List<MappingError> all = new ArrayList<>(others);
            if (requireMappedCategory) {
                all.addAll(categories);
            }
            String reason = all.stream().map(MappingError::toString).collect(Collectors.joining("; "));
            String blocked = all.stream().map(MappingError::blockedBy).filter(Objects::nonNull).distinct()
                    .collect(Collectors.joining(","));
            return new Decision(List.copyOf(all), reason, blocked.isEmpty() ? null : blocked);
        }
        if (!categories.isEmpty() && requireMappedCategory) {
            return new Decision(List.of(), categoryReason + " (offers.require-mapped-category)", blockedBy);
        }
        return new Decision(null, categories.isEmpty() ? null : categoryReason, blockedBy);
    }

    /**
     * Before the sink: the offer as the sink takes it. Every header of the VTEX calls (credentials among them) is
     * dropped; a REST sink gets its method, headers and (with a template) the templated body; Kafka the SKU as key.
     */
    public void toSink(Exchange exchange) throws IOException {
        Connection connection = connection(exchange);
        MarketplaceOffers offers = connection.offers();
        ObjectNode offer = exchange.getProperty(OFFER, ObjectNode.class);
        Message in = exchange.getIn();
        String sku = sku(exchange);
        in.removeHeaders("*", Connection.HEADER, SKU_HEADER);
        in.setHeader("BridgeMessageKey", sku);
        JsonNode body = offer;
        switch (offers.sinkName()) {
            case "rest" -> {
                MarketplaceOffers.Rest rest = offers.rest();
                if (rest.template() != null && !rest.template().isBlank()) {
                    body = template(connection.id(), rest.template()).apply(offer);
                }
                in.setHeader(Exchange.HTTP_METHOD, rest.methodOrDefault());
                in.setHeader(Exchange.CONTENT_TYPE, "application/json");
                rest.headers().forEach(in::setHeader);
                exchange.setProperty(SINK_URI, rest.url());
            }
            case "kafka" -> {
                in.setHeader("kafka.KEY", sku);
                exchange.setProperty(SINK_URI, "kafka:" + offers.kafka().topic());
            }
            default -> exchange.setProperty(SINK_URI, "jms:queue:" + offers.jms().queue());
        }
        in.setBody(json.writeValueAsString(body));
        // the digest of what the sink gets, without the time of the change: equal digests are equal publications
        ObjectNode timeless = offer.deepCopy();
        timeless.remove("changedAt");
        JsonNode digested = offers.sinkName().equals("rest") && offers.rest().template() != null
                && !offers.rest().template().isBlank() ? template(connection.id(), offers.rest().template()).apply(timeless)
                : timeless;
        String digest = ListingStore.digest(json.writeValueAsString(digested));
        exchange.setProperty(DIGEST, digest);
        NotificationWindow.OfferUpdate update = update(exchange);
        if (update.reconciliation() != null) {
            ListingStore.Listing before = listings.find(connection.id(), sku).orElse(null);
            boolean same = before != null && before.status() != ListingStore.Status.ERROR
                    && digest.equals(listings.digest(connection.id(), sku).orElse(null));
            exchange.setProperty(UNCHANGED, same);
        }
    }

    /** A reconciliation's SKU whose offer is the one last published: not sent again, counted unchanged. */
    public void unchanged(Exchange exchange) {
        NotificationWindow.OfferUpdate update = update(exchange);
        reconciliation.count(update.connection(), update.reconciliation(), MarketplaceReconciliation.Outcome.UNCHANGED);
        log.debug("SKU {} of connection {} unchanged since its last publication", sku(exchange), update.connection());
    }

    /** The sink took the offer: its listing is recorded (listed, or delisted with the reason). */
    public void published(Exchange exchange) {
        Connection connection = connection(exchange);
        ObjectNode offer = exchange.getProperty(OFFER, ObjectNode.class);
        boolean active = offer.path("active").asBoolean(false);
        String reason = active ? exchange.getProperty("BridgeOfferNote", String.class) : offer.path("reason").asText(null);
        listings.record(new ListingStore.Listing(connection.id(), sku(exchange), text(offer, "productId"),
                active ? ListingStore.Status.LISTED : ListingStore.Status.DELISTED, reason,
                exchange.getProperty("BridgeOfferBlockedBy", String.class), active, number(offer, "price"),
                number(offer, "listPrice"), offer.path("stock").isNumber() ? offer.path("stock").asInt() : null,
                update(exchange).changedAt(), null));
        listings.recordDigest(connection.id(), sku(exchange), exchange.getProperty(DIGEST, String.class));
        reconciliation.count(connection.id(), update(exchange).reconciliation(), active
                ? MarketplaceReconciliation.Outcome.REPUBLISHED : MarketplaceReconciliation.Outcome.DELISTED);
        log.debug("SKU {} {} on connection {}", sku(exchange), active ? "listed" : "delisted", connection.id());
    }

    private void delisted(Exchange exchange, String productId, String reason) {
        ObjectNode offer = OfferJson.delisted(update(exchange).connection(), sku(exchange), productId, reason,
                update(exchange).changedAt());
        exchange.setProperty(OFFER, offer);
        exchange.setProperty(READY, true);
    }

    /** The connection's template, compiled once per content; a broken one fails the message (terminal). */
    private OfferTemplate template(String connection, String file) throws IOException {
        Resource resource = resources.getResource(mappingsLocation + MappingRegistry.CONNECTIONS + connection + "/" + file);
        if (!resource.exists()) {
            throw new IllegalStateException("the offer template " + MappingRegistry.CONNECTIONS + connection + "/" + file
                    + " does not exist");
        }
        String source;
        try (InputStream in = resource.getInputStream()) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        OfferTemplate cached = templates.get(connection);
        if (cached == null || !cached.source().equals(source)) {
            cached = OfferTemplate.compile(source);
            templates.put(connection, cached);
        }
        return cached;
    }



    private Connection connection(Exchange exchange) {
        return connections.require(exchange.getIn().getHeader(Connection.HEADER, String.class));
    }

    private static NotificationWindow.OfferUpdate update(Exchange exchange) {
        return exchange.getProperty(UPDATE, NotificationWindow.OfferUpdate.class);
    }

    private static String sku(Exchange exchange) {
        return exchange.getIn().getHeader(SKU_HEADER, String.class);
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isNull() || node.path(field).isMissingNode() ? null : node.path(field).asText();
    }

    private static Long number(JsonNode node, String field) {
        return node.path(field).isNumber() ? node.path(field).asLong() : null;
    }
}
