package dev.vtexbridge.sync;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The price and inventory notifications (vtex-protocol.md §2.3 B3) of the {@code offer-notifications} flow: before
 * sending, checks that the projection still differs from what the marketplace was told (a change undone within the
 * window sends nothing); after the 202, records the value told.
 */
@Component("offerNotifications")
public class OfferNotifications {

    private static final Logger log = LoggerFactory.getLogger(OfferNotifications.class);
    public static final String SKU_HEADER = "BridgeSku";
    public static final String KIND_HEADER = "BridgeNotification";
    private static final String VALUE = "BridgeNotifiedValue";

    private final OfferProjection projection;
    private final OfferSyncStore store;
    private final NotificationCoalescer coalescer;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public OfferNotifications(OfferProjection projection, OfferSyncStore store, NotificationCoalescer coalescer,
                              JdbcTemplate jdbc, ObjectMapper json) {
        this.projection = projection;
        this.store = store;
        this.coalescer = coalescer;
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Reads {@code {"sku", "kind"}}; stops the exchange when there is nothing new to tell. */
    public void prepare(Exchange exchange) throws Exception {
        Map<?, ?> message = json.readValue(exchange.getIn().getBody(String.class), Map.class);
        String sku = (String) message.get("sku");
        String kind = (String) message.get("kind");
        OfferState offer = projection.find(sku).orElse(null);
        OfferSyncStore.SyncState state = store.find(sku).orElse(null);
        boolean price = PriceSync.NOTIFICATION.equals(kind);
        Object value = null;
        Object told = null;
        if (offer != null) {
            value = price ? (Object) offer.price() : (Object) Integer.valueOf(offer.stock());
        }
        if (state != null) {
            told = price ? (Object) state.notifiedPrice() : (Object) state.notifiedQuantity();
        }
        if (value == null || Objects.equals(value, told)) {
            exchange.setRouteStop(true);
            return;
        }
        exchange.getIn().setHeader(SKU_HEADER, sku);
        exchange.getIn().setHeader(KIND_HEADER, kind);
        exchange.setProperty(VALUE, value);
        exchange.getIn().setBody(null);
    }

    /** The marketplace accepted the notification: remember what it was told. */
    public void sent(Exchange exchange) {
        String sku = exchange.getIn().getHeader(SKU_HEADER, String.class);
        Object value = exchange.getProperty(VALUE);
        if (PriceSync.NOTIFICATION.equals(exchange.getIn().getHeader(KIND_HEADER))) {
            store.notifiedPrice(sku, ((Number) value).longValue());
        } else {
            store.notifiedQuantity(sku, ((Number) value).intValue());
        }
    }

    /** At start-up: queue a notification for every SKU whose projection differs from what was told (e.g. after a crash). */
    @EventListener(ApplicationReadyEvent.class)
    public int recover() {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT sku_id, notified_price, notified_quantity FROM offer_sync");
        int queued = 0;
        for (Map<String, Object> row : rows) {
            String sku = (String) row.get("sku_id");
            OfferState offer = projection.find(sku).orElse(null);
            if (offer == null) {
                continue;
            }
            Number price = (Number) row.get("notified_price");
            Number quantity = (Number) row.get("notified_quantity");
            if (offer.price() != null && (price == null || price.longValue() != offer.price())) {
                coalescer.submit(sku, PriceSync.NOTIFICATION, false);
                queued++;
            }
            if (quantity == null || quantity.intValue() != offer.stock()) {
                coalescer.submit(sku, StockSync.NOTIFICATION, false);
                queued++;
            }
        }
        if (queued > 0) {
            log.info("{} price/inventory notifications were still due and are queued again", queued);
        }
        return queued;
    }
}
