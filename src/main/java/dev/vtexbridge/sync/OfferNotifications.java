package dev.vtexbridge.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.config.ChannelConfiguration;
import dev.vtexbridge.errors.CapturedMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The price and inventory notifications (vtex-protocol.md §2.3 B3) of the {@code offer-notifications} flow: what a
 * delivery of the notification channel asks for, less what the marketplace already knows (a change undone within the
 * window sends nothing); after the 202s, the values told are recorded.
 */
@Component("offerNotifications")
public class OfferNotifications {

    private static final Logger log = LoggerFactory.getLogger(OfferNotifications.class);
    /** Exchange properties of one notification being sent: they outlive the HTTP call, which replaces the message. */
    public static final String SKU = "BridgeSku";
    public static final String KIND = "BridgeNotification";
    public static final String VALUE = "BridgeNotifiedValue";

    /**
     * One notification: the SKU, {@code price} or {@code inventory}, and the value the marketplace will read (cents or
     * units). The channel carries it without a value; the flow adds the value it is about to tell.
     */
    public record Notification(String sku, String kind, Long value) {

        boolean price() {
            return PriceSync.NOTIFICATION.equals(kind);
        }

        boolean valid() {
            return sku != null && !sku.isBlank() && (price() || StockSync.NOTIFICATION.equals(kind));
        }
    }

    private static final TypeReference<List<Notification>> NOTIFICATIONS = new TypeReference<>() { };
    private final OfferProjection projection;
    private final OfferSyncStore store;
    private final NotificationCoalescer coalescer;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public OfferNotifications(OfferProjection projection, OfferSyncStore store, NotificationCoalescer coalescer,
                              JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json) {
        this.projection = projection;
        this.store = store;
        this.coalescer = coalescer;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
    }

    /**
     * Flow step: the notifications a delivery asks for (one message, or a batching consumer's list of them) that are
     * still worth sending, one message each: each SKU and kind once, and only where the projection differs from what
     * the marketplace was told (one read of offer_sync for the delivery). A message's body is the JSON
     * {@link Notification}, value included (see {@link #messageOf}). A record may also hold an array of notifications
     * (a failed batch, replayed). A record that is not a notification is passed on as it is, so that it fails on its
     * own in {@link #prepare}.
     */
    public List<Message> due(Exchange exchange) throws JsonProcessingException {
        List<Message> due = new ArrayList<>();
        Map<Notification, Message> asked = new LinkedHashMap<>();
        for (Message record : records(exchange)) {
            List<Notification> notifications = read(record.getBody(String.class));
            if (notifications.isEmpty()) {
                due.add(messageOf(record, null, record.getBody(String.class)));
            }
            notifications.forEach(notification -> asked.putIfAbsent(
                    new Notification(notification.sku(), notification.kind(), null), record));
        }
        Map<String, OfferSyncStore.Notified> told = store.notified(asked.keySet().stream().map(Notification::sku).toList());
        for (Map.Entry<Notification, Message> entry : asked.entrySet()) {
            Notification notification = entry.getKey();
            Long value = projection.find(notification.sku())
                    .map(offer -> notification.price() ? offer.price() : Long.valueOf(offer.stock())).orElse(null);
            OfferSyncStore.Notified last = told.get(notification.sku());
            Long lastValue = last == null ? null : notification.price() ? last.price() : last.quantityAsLong();
            if (value != null && !value.equals(lastValue)) {
                due.add(messageOf(entry.getValue(), notification.sku(), json.writeValueAsString(
                        new Notification(notification.sku(), notification.kind(), value))));
            }
        }
        return due;
    }

    /** Flow step before the POST: the notification's SKU, kind and value as exchange properties; no body is sent. */
    public void prepare(String body, Exchange exchange) throws JsonProcessingException {
        Notification notification = json.readValue(body, Notification.class);
        if (notification == null || !notification.valid() || notification.value() == null) {
            throw new IllegalArgumentException("not a price or inventory notification: " + body);
        }
        exchange.setProperty(SKU, notification.sku());
        exchange.setProperty(KIND, notification.kind());
        exchange.setProperty(VALUE, notification.value());
        exchange.getIn().setBody(null);
    }

    /** Flow step after the 202: the notification told, for {@link #record}. */
    public Notification sent(Exchange exchange) {
        return new Notification(exchange.getProperty(SKU, String.class), exchange.getProperty(KIND, String.class),
                exchange.getProperty(VALUE, Long.class));
    }

    /**
     * Flow step after a delivery's notifications were sent: records the values told (the {@link Notification}s among
     * the split's results; a failed one left its own message there instead) in one transaction, in SKU order like
     * every batch that locks offer_sync rows. Returns how many were recorded. When that fails the marketplace was told
     * values we did not record, so those notifications are queued again: they go out once more after the window and
     * are then recorded (a notification told twice does no harm; one never recorded would compare wrong later).
     */
    public int record(List<?> results) {
        List<Notification> told = results.stream().filter(Notification.class::isInstance).map(Notification.class::cast)
                .sorted(Comparator.comparing(Notification::sku)).toList();
        if (told.isEmpty()) {
            return 0;
        }
        try {
            tx.executeWithoutResult(status -> store.saveNotified(told));
        } catch (RuntimeException e) {
            log.warn("{} notifications were sent but the values told could not be recorded ({}); they are queued again",
                    told.size(), e.getMessage());
            told.forEach(notification -> coalescer.submit(notification.sku(), notification.kind(), false));
        }
        return told.size();
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

    /** The messages of a delivery: each record of a batching consumer's list, else the one message. */
    private static List<Message> records(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (body instanceof List<?> batch && !batch.isEmpty() && batch.get(0) instanceof Exchange) {
            return batch.stream().map(record -> ((Exchange) record).getIn()).toList();
        }
        return List.of(exchange.getIn());
    }

    /**
     * A message of its own for one notification: keyed by its SKU and with the failed-message id its record may carry
     * (a replay), so a failure is stored, and replayed, as that notification.
     */
    private static Message messageOf(Message record, String sku, String body) {
        Message message = new DefaultMessage(record.getExchange().getContext());
        if (sku != null) {
            message.setHeader(ChannelConfiguration.MESSAGE_KEY, sku);
        }
        if (record.getHeader(CapturedMessage.FAILED_MESSAGE_ID) != null) {
            message.setHeader(CapturedMessage.FAILED_MESSAGE_ID, record.getHeader(CapturedMessage.FAILED_MESSAGE_ID));
        }
        message.setBody(body);
        return message;
    }

    /** The notifications of a record: one, or an array of them (a batch stored and replayed); none if it is not one. */
    private List<Notification> read(String body) {
        try {
            List<Notification> notifications = body == null ? List.of() : body.stripLeading().startsWith("[")
                    ? json.readValue(body, NOTIFICATIONS) : List.of(json.readValue(body, Notification.class));
            return notifications.stream().allMatch(n -> n != null && n.valid()) ? notifications : List.of();
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}
