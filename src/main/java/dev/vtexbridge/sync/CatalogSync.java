package dev.vtexbridge.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.config.ChannelConfiguration;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.erp.ErpCatalog;
import dev.vtexbridge.mapping.MappingContext;
import dev.vtexbridge.mapping.MappingError;
import dev.vtexbridge.mapping.MappingRegistry;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.model.ErpProduct;
import dev.vtexbridge.model.Offer;
import dev.vtexbridge.vtex.VtexAnswers;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The catalog flow's steps ({@code routes/seller/catalog-erp-to-vtex.camel.yaml}): one ERP catalog change becomes one
 * message per seller connection; each loads the SKU from the ERP, records the mapping result with that connection's
 * mappings, and reads that marketplace's answers to the change notification (2xx bound, 404 suggest) and to the
 * suggestion, as the SKU's catalog status on that connection. Also puts SKUs back on the catalog channel, per
 * connection, when a mapping change may unblock them, and when a suggestion may have been approved since.
 */
@Component("catalogSync")
public class CatalogSync {

    private static final Logger log = LoggerFactory.getLogger(CatalogSync.class);
    public static final String SKU_HEADER = "BridgeSku";
    public static final String RECHECK_HEADER = "BridgeRecheck";
    public static final String SUGGESTION = "BridgeSuggestion";

    private final ErpCatalog erp;
    private final OfferSyncStore store;
    private final OfferProjection projection;
    private final MappingRegistry mappings;
    private final Connections connections;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final Clock clock;
    private final String catalogChannel;
    private final Duration recheckAfter;

    public CatalogSync(ErpCatalog erp, OfferSyncStore store, OfferProjection projection, MappingRegistry mappings,
                       Connections connections, ProducerTemplate producer, ObjectMapper json, Clock clock,
                       @Value("${bridge.channels.catalog-changes}") String catalogChannel,
                       @Value("${bridge.sync.binding-recheck-after}") Duration recheckAfter) {
        this.erp = erp;
        this.store = store;
        this.projection = projection;
        this.mappings = mappings;
        this.connections = connections;
        this.producer = producer;
        this.json = json;
        this.clock = clock;
        this.catalogChannel = catalogChannel;
        this.recheckAfter = recheckAfter;
        mappings.onChange(this::retryBlocked);
    }

    /**
     * The channel's message key of a SKU's catalog change for one connection: each marketplace's messages of a SKU
     * stay in order among themselves, and another marketplace's never wait behind them.
     */
    public static String messageKey(String connection, String sku) {
        return connection + ":" + sku;
    }

    /**
     * Flow step before the catalog channel: the ERP change (its JSON body) once for every seller connection, each a
     * copy of the message naming its connection ({@value Connection#HEADER}) and keyed by connection and SKU.
     */
    public List<Message> perConnection(String body, Exchange exchange) throws Exception {
        String sku = json.readValue(body, ErpChange.class).sku();
        return connections.sellers().stream().map(connection -> {
            Message message = exchange.getIn().copy();
            message.setBody(body);
            message.setHeader(Connection.HEADER, connection.id());
            message.setHeader(ChannelConfiguration.MESSAGE_KEY, messageKey(connection.id(), sku));
            return message;
        }).toList();
    }

    /**
     * Body: an ERP change (JSON) for the message's connection (none: {@value Connection#DEFAULT}, as before
     * connections). Becomes the {@link ErpProduct}, priced on that connection's price list; stops when the SKU is gone
     * or the change is stale.
     */
    public void load(Exchange exchange) throws Exception {
        ErpChange change = json.readValue(exchange.getIn().getBody(String.class), ErpChange.class);
        // a connection the configuration no longer has fails here, before anything is recorded for it
        String connection = connections.require(connection(exchange)).id();
        exchange.getIn().setHeader(Connection.HEADER, connection);
        exchange.getIn().setHeader(SKU_HEADER, change.sku());
        ErpProduct product = erp.find(change.sku(), mappings.forConnection(connection).prices().priceList()).orElse(null);
        if (product == null) {
            store.status(connection, change.sku(), OfferSyncStore.CatalogStatus.ERROR, "SKU " + change.sku() + " is not in the ERP", null);
            exchange.setRouteStop(true);
            return;
        }
        OfferSyncStore.SyncState state = store.find(change.sku()).orElse(null);
        OffsetDateTime version = product.offer().updatedAt();
        boolean recheck = exchange.getIn().getHeader(RECHECK_HEADER, false, Boolean.class);
        if (!recheck && state != null && state.catalogVersion() != null && version != null
                && version.isBefore(state.catalogVersion())) {
            log.debug("SKU {}: catalog version {} is older than the applied {}; ignored", change.sku(), version, state.catalogVersion());
            exchange.setRouteStop(true);
            return;
        }
        exchange.getIn().setBody(product);
    }

    /** After the mapping steps: a SKU with mapping errors is recorded as such on the connection and goes no further. */
    public void mapped(Exchange exchange) throws Exception {
        MappingContext context = exchange.getProperty(MappingContext.PROPERTY, MappingContext.class);
        Offer offer = context.erp().offer();
        if (context.failed()) {
            List<MappingError> errors = context.errors();
            String reason = errors.stream().map(MappingError::toString).collect(Collectors.joining("; "));
            String blockedBy = errors.stream().map(MappingError::blockedBy).filter(Objects::nonNull).distinct()
                    .collect(Collectors.joining(","));
            store.status(connection(exchange), offer.skuId(), OfferSyncStore.CatalogStatus.ERROR, reason,
                    blockedBy.isEmpty() ? null : blockedBy);
            log.info("SKU {} not sent to connection {}: {}", offer.skuId(), connection(exchange), reason);
            exchange.setRouteStop(true);
            return;
        }
        // the ERP's facts, one per SKU: each connection's message writes the same
        projection.updateCatalog(offer.skuId(), offer.active(), offer.measurementUnit(), offer.unitMultiplier(),
                offer.weightGrams(), offer.heightCm(), offer.widthCm(), offer.lengthCm());
        store.saveCatalog(offer.skuId(), offer.productId(), offer.categoryId(), offer.updatedAt());
        exchange.setProperty(SUGGESTION, json.writeValueAsString(context.suggestion()));
        exchange.getIn().setBody(null);
    }

    /** The change notification answered 2xx: the SKU is bound in the connection's marketplace. */
    public void bound(Exchange exchange) {
        store.status(connection(exchange), sku(exchange), OfferSyncStore.CatalogStatus.BOUND, null, null);
    }

    /** The change notification answered 404: the suggestion goes out, unless it is only a recheck of one sent. */
    public void toSuggest(Exchange exchange) {
        boolean recheck = exchange.getIn().getHeader(RECHECK_HEADER, false, Boolean.class);
        String connection = connection(exchange);
        if (recheck && store.catalog(connection, sku(exchange)).status() == OfferSyncStore.CatalogStatus.SUGGESTED) {
            store.status(connection, sku(exchange), OfferSyncStore.CatalogStatus.SUGGESTED, "waiting for the marketplace to approve", null);
            exchange.setRouteStop(true);
            return;
        }
        exchange.getIn().setBody(exchange.getProperty(SUGGESTION, String.class));
    }

    /** The answer to the suggestion PUT: 2xx suggested; otherwise the error policy decides (and 4xx marks the SKU). */
    public void suggested(Exchange exchange) throws HttpOperationFailedException {
        int status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status >= 200 && status < 300) {
            store.status(connection(exchange), sku(exchange), OfferSyncStore.CatalogStatus.SUGGESTED,
                    "waiting for the marketplace to approve", null);
            return;
        }
        failed(exchange);
    }

    /** Any other answer: raised as an HTTP failure so the error policy retries (429, 5xx) or stores it (other 4xx). */
    public void failed(Exchange exchange) throws HttpOperationFailedException {
        int status = VtexAnswers.status(exchange);
        if (status >= 400 && status < 500 && status != 429 && status != 408) {
            store.status(connection(exchange), sku(exchange), OfferSyncStore.CatalogStatus.ERROR,
                    "marketplace answered HTTP " + status + ": " + exchange.getIn().getBody(String.class), null);
        }
        throw VtexAnswers.failure(exchange);
    }

    /**
     * After a mapping change: puts the SKUs blocked by a missing mapping back on the catalog channel, on each seller
     * connection whose mappings it changed (a base file: every one; an overlay: its connection's).
     */
    public int retryBlocked(MappingRegistry.Change change) {
        List<OfferSyncStore.CatalogState> blocked = store.blocked(sellerIds().stream().filter(change::concerns).toList());
        blocked.forEach(state -> send(state.connectionId(), state.skuId(), false));
        if (!blocked.isEmpty()) {
            log.info("Mappings changed: {} blocked SKUs are tried again", blocked.size());
        }
        return blocked.size();
    }

    /**
     * Puts SKUs suggested a while ago back on the catalog channel, for the connection they were suggested to, to see
     * whether that marketplace approved them; returns how many this instance sent. Each SKU is claimed first
     * ({@link OfferSyncStore#claimRecheck}: its check time moves on), so of the engine instances running this at once
     * one sends it, and a SKU whose recheck is still on its way is not sent again before {@code binding-recheck-after}.
     */
    public int recheckSuggested() {
        OffsetDateTime before = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(recheckAfter);
        int sent = 0;
        for (OfferSyncStore.CatalogState state : store.suggestedBefore(sellerIds(), before, 500)) {
            if (store.claimRecheck(state.connectionId(), state.skuId(), before)) {
                send(state.connectionId(), state.skuId(), true);
                sent++;
            }
        }
        return sent;
    }

    /** Puts one SKU's catalog change on the channel for one connection (reconciliation, retries, rechecks). */
    public void send(String connection, String sku, boolean recheck) {
        try {
            producer.sendBodyAndHeaders(catalogChannel, json.writeValueAsString(ErpChange.of(ErpChange.CATALOG, sku, null)),
                    Map.of(ChannelConfiguration.MESSAGE_KEY, messageKey(connection, sku), Connection.HEADER, connection,
                            RECHECK_HEADER, recheck));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The seller connections: the marketplaces a catalog change goes to. */
    public Collection<String> sellerIds() {
        return connections.sellers().stream().map(Connection::id).toList();
    }

    private static String connection(Exchange exchange) {
        return exchange.getIn().getHeader(Connection.HEADER, Connection.DEFAULT, String.class);
    }

    private static String sku(Exchange exchange) {
        return exchange.getIn().getHeader(SKU_HEADER, String.class);
    }
}
