package dev.vtexbridge.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.erp.ErpCatalog;
import dev.vtexbridge.mapping.MappingContext;
import dev.vtexbridge.mapping.MappingError;
import dev.vtexbridge.mapping.MappingRegistry;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.model.ErpProduct;
import dev.vtexbridge.model.Offer;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The catalog flow's steps ({@code routes/seller/catalog-erp-to-vtex.camel.yaml}): load the SKU from the ERP, record
 * the mapping result, and read the marketplace's answers to the change notification (2xx bound, 404 suggest) and to
 * the suggestion. Also puts SKUs back on the catalog channel when a mapping change may unblock them, and when a
 * suggestion may have been approved since.
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
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final Clock clock;
    private final String catalogChannel;
    private final Duration recheckAfter;

    public CatalogSync(ErpCatalog erp, OfferSyncStore store, OfferProjection projection, MappingRegistry mappings,
                       ProducerTemplate producer, ObjectMapper json, Clock clock,
                       @Value("${bridge.channels.catalog-changes}") String catalogChannel,
                       @Value("${bridge.sync.binding-recheck-after}") Duration recheckAfter) {
        this.erp = erp;
        this.store = store;
        this.projection = projection;
        this.mappings = mappings;
        this.producer = producer;
        this.json = json;
        this.clock = clock;
        this.catalogChannel = catalogChannel;
        this.recheckAfter = recheckAfter;
        mappings.onChange(changed -> retryBlocked());
    }

    /** Body: an ERP change (JSON). Becomes the {@link ErpProduct}; stops when the SKU is gone or the change is stale. */
    public void load(Exchange exchange) throws Exception {
        ErpChange change = json.readValue(exchange.getIn().getBody(String.class), ErpChange.class);
        exchange.getIn().setHeader(SKU_HEADER, change.sku());
        ErpProduct product = erp.find(change.sku(), mappings.current().prices().priceList()).orElse(null);
        if (product == null) {
            store.status(change.sku(), OfferSyncStore.CatalogStatus.ERROR, "SKU " + change.sku() + " is not in the ERP", null);
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

    /** After the mapping steps: a SKU with mapping errors is recorded as such and goes no further. */
    public void mapped(Exchange exchange) throws Exception {
        MappingContext context = exchange.getProperty(MappingContext.PROPERTY, MappingContext.class);
        Offer offer = context.erp().offer();
        if (context.failed()) {
            List<MappingError> errors = context.errors();
            String reason = errors.stream().map(MappingError::toString).collect(Collectors.joining("; "));
            String blockedBy = errors.stream().map(MappingError::blockedBy).filter(Objects::nonNull).distinct()
                    .collect(Collectors.joining(","));
            store.status(offer.skuId(), OfferSyncStore.CatalogStatus.ERROR, reason, blockedBy.isEmpty() ? null : blockedBy);
            log.info("SKU {} not sent: {}", offer.skuId(), reason);
            exchange.setRouteStop(true);
            return;
        }
        projection.updateCatalog(offer.skuId(), offer.active(), offer.measurementUnit(), offer.unitMultiplier(),
                offer.weightGrams(), offer.heightCm(), offer.widthCm(), offer.lengthCm());
        store.saveCatalog(offer.skuId(), offer.productId(), offer.categoryId(), offer.updatedAt());
        exchange.setProperty(SUGGESTION, json.writeValueAsString(context.suggestion()));
        exchange.getIn().setBody(null);
    }

    /** The change notification answered 2xx: the SKU is bound in the marketplace. */
    public void bound(Exchange exchange) {
        store.status(sku(exchange), OfferSyncStore.CatalogStatus.BOUND, null, null);
    }

    /** The change notification answered 404: the suggestion goes out, unless it is only a recheck of one sent. */
    public void toSuggest(Exchange exchange) {
        boolean recheck = exchange.getIn().getHeader(RECHECK_HEADER, false, Boolean.class);
        if (recheck && store.find(sku(exchange)).map(s -> s.catalogStatus() == OfferSyncStore.CatalogStatus.SUGGESTED).orElse(false)) {
            store.status(sku(exchange), OfferSyncStore.CatalogStatus.SUGGESTED, "waiting for the marketplace to approve", null);
            exchange.setRouteStop(true);
            return;
        }
        exchange.getIn().setBody(exchange.getProperty(SUGGESTION, String.class));
    }

    /** The answer to the suggestion PUT: 2xx suggested; otherwise the error policy decides (and 4xx marks the SKU). */
    public void suggested(Exchange exchange) throws HttpOperationFailedException {
        int status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status >= 200 && status < 300) {
            store.status(sku(exchange), OfferSyncStore.CatalogStatus.SUGGESTED, "waiting for the marketplace to approve", null);
            return;
        }
        failed(exchange);
    }

    /** Any other answer: raised as an HTTP failure so the error policy retries (429, 5xx) or stores it (other 4xx). */
    public void failed(Exchange exchange) throws HttpOperationFailedException {
        int status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = exchange.getIn().getBody(String.class);
        String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        if (status >= 400 && status < 500 && status != 429 && status != 408) {
            store.status(sku(exchange), OfferSyncStore.CatalogStatus.ERROR, "marketplace answered HTTP " + status + ": " + body, null);
        }
        Map<String, String> headers = new HashMap<>();
        Object retryAfter = exchange.getIn().getHeader("Retry-After");
        if (retryAfter != null) {
            headers.put("Retry-After", retryAfter.toString());
        }
        throw new HttpOperationFailedException(uri == null ? "VTEX" : uri, status, "HTTP " + status, null, headers, body);
    }

    /** Puts every SKU blocked by a missing mapping back on the catalog channel (after a mapping file changed). */
    public int retryBlocked() {
        List<OfferSyncStore.SyncState> blocked = store.blocked();
        blocked.forEach(state -> send(state.skuId(), false));
        if (!blocked.isEmpty()) {
            log.info("Mappings changed: {} blocked SKUs are tried again", blocked.size());
        }
        return blocked.size();
    }

    /** Puts SKUs suggested a while ago back on the catalog channel, to see whether the marketplace approved them. */
    public int recheckSuggested() {
        List<String> skus = store.suggestedBefore(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)
                .minus(recheckAfter), 500);
        skus.forEach(sku -> send(sku, true));
        return skus.size();
    }

    private void send(String sku, boolean recheck) {
        try {
            producer.sendBodyAndHeaders(catalogChannel, json.writeValueAsString(ErpChange.of(ErpChange.CATALOG, sku, null)),
                    Map.of("BridgeMessageKey", sku, RECHECK_HEADER, recheck));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sku(Exchange exchange) {
        return exchange.getIn().getHeader(SKU_HEADER, String.class);
    }
}
