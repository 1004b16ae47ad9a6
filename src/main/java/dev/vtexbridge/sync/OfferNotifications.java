package dev.vtexbridge.sync;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.config.ChannelConfiguration;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.errors.CapturedMessage;
import dev.vtexbridge.errors.DeferredDeliveries;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The price and inventory notifications (vtex-protocol.md §2.3 B3) of the {@code offer-notifications} flow: what a
 * delivery of the notification channel asks for, less what each connection's marketplace already knows (a change
 * undone within the window sends nothing); after each 202, the value told is recorded.
 */
@Component("offerNotifications")
public class OfferNotifications {

    private static final Logger log = LoggerFactory.getLogger(OfferNotifications.class);
    /** Exchange properties of one notification being sent: they outlive the HTTP call, which replaces the message. */
    public static final String SKU = "BridgeSku";
    public static final String KIND = "BridgeNotification";
    public static final String VALUE = "BridgeNotifiedValue";
    /** Counter of the notifications not sent because the SKU has no offer where the delivery is worked. */
    static final String DROPPED = "bridge.notifications.dropped";

    /**
     * One notification: the connection whose marketplace is told, the SKU, {@code price} or {@code inventory}, and the
     * value the marketplace will read (cents or units). The channel carries it without a value; the flow adds the value
     * it is about to tell. In a message, one that names no connection is its message's (header
     * {@value Connection#HEADER}; none: {@value Connection#DEFAULT}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Notification(String connection, String sku, String kind, Long value) {

        Notification of(String messageConnection) {
            return connection != null ? this : new Notification(
                    messageConnection == null || messageConnection.isBlank() ? Connection.DEFAULT : messageConnection,
                    sku, kind, value);
        }

        Notification asked() {
            return new Notification(connection, sku, kind, null);
        }

        boolean price() {
            return PriceSync.NOTIFICATION.equals(kind);
        }

        boolean valid() {
            return sku != null && !sku.isBlank() && (price() || StockSync.NOTIFICATION.equals(kind));
        }
    }

    private static final TypeReference<List<Notification>> NOTIFICATIONS = new TypeReference<>() { };
    private final MeterRegistry meters;
    private final ConnectionOffers offers;
    private final OfferSyncStore store;
    private final NotificationCoalescer coalescer;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Connections connections;
    private final Duration recoverAfter;

    public OfferNotifications(ConnectionOffers offers, OfferSyncStore store, NotificationCoalescer coalescer,
                              JdbcTemplate jdbc, ObjectMapper json, Connections connections,
                              MeterRegistry meters, @Value("${bridge.sync.recovery-after}") Duration recoverAfter) {
        this.recoverAfter = recoverAfter;
        this.connections = connections;
        this.meters = meters;
        this.offers = offers;
        this.store = store;
        this.coalescer = coalescer;
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Flow step: the notifications a delivery asks for (one message, or a batching consumer's list of them) that are
     * still worth sending, one message each: each connection, SKU and kind once, and only where the value differs
     * from what that connection's marketplace was told (one read of offer_notified for the delivery). A message's body
     * is the JSON {@link Notification}, value included, and its header {@value Connection#HEADER} names the
     * connection (see {@link #messageOf}). A record may also hold an array of notifications
     * (a failed batch, replayed). A record that is not a notification is passed on as it is, so that it fails on its
     * own in {@link #prepare}.
     */
    public List<Message> due(Exchange exchange) throws JsonProcessingException {
        List<Message> due = new ArrayList<>();
        Map<Notification, Message> asked = new LinkedHashMap<>();
        for (Message record : records(exchange)) {
            List<Notification> notifications = read(record.getBody(String.class),
                    record.getHeader(Connection.HEADER, String.class));
            if (notifications.isEmpty()) {
                due.add(messageOf(record, null, record.getBody(String.class)));
            }
            notifications.forEach(notification -> asked.putIfAbsent(notification.asked(), record));
        }
        Map<String, Map<String, OfferSyncStore.Notified>> told = store.notifiedEverywhere(
                asked.keySet().stream().map(Notification::sku).distinct().toList());
        for (Map.Entry<Notification, Message> entry : asked.entrySet()) {
            Notification notification = entry.getKey();
            Long value = exposed(notification);
            OfferSyncStore.Notified last = told.getOrDefault(notification.sku(), Map.of())
                    .getOrDefault(notification.connection(), OfferSyncStore.Notified.NOTHING);
            if (value == null) {
                // nothing this instance could answer the marketplace's read with: counted, not sent
                meters.counter(DROPPED, "connection", notification.connection(), "reason", "no-offer").increment();
                log.debug("Notification {} of SKU {} for connection {} not sent: no offer", notification.kind(),
                        notification.sku(), notification.connection());
            } else if (!last.told(notification.kind(), value)) {
                // the body names no connection: the message's header does, for the error policy and a replay too
                due.add(messageOf(entry.getValue(), notification, json.writeValueAsString(
                        new Notification(null, notification.sku(), notification.kind(), value))));
            }
        }
        return due;
    }

    /**
     * The value the notification's marketplace will read of its SKU (null: no offer), as that connection's simulation
     * answers it: its price, or the units its stock rules expose (before holds, as for connection default).
     */
    Long exposed(Notification notification) {
        return offers.find(notification.connection(), notification.sku())
                .map(offer -> notification.price() ? offer.offer().price()
                        : Long.valueOf(offers.allocation(notification.connection()).exposed(offer.offer())))
                .orElse(null);
    }

    /** Flow step before the POST: the notification's connection, SKU, kind and value as exchange properties; no body is sent. */
    public void prepare(String body, Exchange exchange) throws JsonProcessingException {
        Notification read = json.readValue(body, Notification.class);
        if (read == null || !read.valid() || read.value() == null) {
            throw new IllegalArgumentException("not a price or inventory notification: " + body);
        }
        Notification notification = read.of(exchange.getIn().getHeader(Connection.HEADER, String.class));
        exchange.setProperty(Connection.HEADER, notification.connection());
        exchange.setProperty(SKU, notification.sku());
        exchange.setProperty(KIND, notification.kind());
        exchange.setProperty(VALUE, notification.value());
        exchange.getIn().setBody(null);
    }

    /**
     * Flow step after the 202: records the value told at once, on its own. A delivery read again before it was
     * committed (its consumer lost the partition while still sending, or its instance died) then finds this
     * notification told and does not POST it twice; recorded only after the whole delivery, every notification
     * already sent would go out again. When the record fails the marketplace was told a value we did not record, so
     * the notification is queued again: it goes out once more after the window and is then recorded (a notification
     * told twice does no harm; one never recorded would compare wrong later). Returns the notification told.
     */
    public Notification sent(Exchange exchange) {
        Notification told = new Notification(exchange.getProperty(Connection.HEADER, String.class),
                exchange.getProperty(SKU, String.class), exchange.getProperty(KIND, String.class),
                exchange.getProperty(VALUE, Long.class));
        try {
            store.saveNotified(told.connection(), List.of(told));
        } catch (RuntimeException e) {
            log.warn("Notification {} of SKU {} (connection {}) was sent but the value told could not be recorded ({});"
                    + " it is queued again", told.kind(), told.sku(), told.connection(), e.getMessage());
            coalescer.submit(told.connection(), told.sku(), told.kind(), false);
        }
        return told;
    }

    /**
     * At start-up: queue a notification for every seller connection and SKU whose value differs from what its
     * marketplace was told (e.g. after a crash).
     */
    @EventListener(ApplicationReadyEvent.class)
    public int recover() {
        return recover(null);
    }

    /**
     * Every {@code bridge.sync.recovery-interval}: the same for SKUs that last changed more than
     * {@code bridge.sync.recovery-after} ago,
     * so a notification another engine instance was coalescing when it died still goes out. One still pending on a
     * live instance is queued here too, at worst; the marketplace is told once, as the second finds it told already.
     */
    public int recoverStale() {
        return recover(OffsetDateTime.now(ZoneOffset.UTC).minus(recoverAfter));
    }

    private int recover(OffsetDateTime changedBefore) {
        int queued = 0;
        String stale = changedBefore == null ? "" : " JOIN offer_projection p ON p.sku_id = s.sku_id AND p.updated_at < ?";
        for (Connection connection : connections.sellers()) {
            Object[] args = changedBefore == null ? new Object[] {connection.id()} : new Object[] {connection.id(), changedBefore};
            List<Map<String, Object>> rows = jdbc.queryForList("SELECT s.sku_id, n.notified_price, n.notified_quantity "
                    + "FROM offer_sync s LEFT JOIN offer_notified n ON n.sku_id = s.sku_id AND n.connection_id = ?" + stale,
                    args);
            for (Map<String, Object> row : rows) {
                Number price = (Number) row.get("notified_price");
                Number quantity = (Number) row.get("notified_quantity");
                OfferSyncStore.Notified last = new OfferSyncStore.Notified(price == null ? null : price.longValue(),
                        quantity == null ? null : quantity.intValue());
                for (String kind : List.of(PriceSync.NOTIFICATION, StockSync.NOTIFICATION)) {
                    Notification notification = new Notification(connection.id(), (String) row.get("sku_id"), kind, null);
                    Long value = exposed(notification);
                    if (value != null && !last.told(kind, value)) {
                        coalescer.submit(connection.id(), notification.sku(), kind, false);
                        queued++;
                    }
                }
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
     * A message of its own for one notification: keyed by its SKU, naming its connection, and with the failed-message
     * id its record may carry (a replay), so a failure is stored, deferred and replayed as that notification.
     */
    private static Message messageOf(Message record, Notification notification, String body) {
        Message message = new DefaultMessage(record.getExchange().getContext());
        if (notification != null) {
            message.setHeader(ChannelConfiguration.MESSAGE_KEY, notification.sku());
            message.setHeader(Connection.HEADER, notification.connection());
        }
        if (record.getHeader(CapturedMessage.FAILED_MESSAGE_ID) != null) {
            message.setHeader(CapturedMessage.FAILED_MESSAGE_ID, record.getHeader(CapturedMessage.FAILED_MESSAGE_ID));
        }
        // a notification set aside (transient failure) counts its deferrals across its returns
        if (record.getHeader(DeferredDeliveries.DEFERRED_ATTEMPTS) != null) {
            message.setHeader(DeferredDeliveries.DEFERRED_ATTEMPTS, record.getHeader(DeferredDeliveries.DEFERRED_ATTEMPTS));
        }
        message.setBody(body);
        return message;
    }

    /**
     * The notifications of a record: one, or an array of them (a batch stored and replayed); none if it is not one.
     */
    private List<Notification> read(String body, String recordConnection) {
        try {
            List<Notification> notifications = body == null ? List.of() : body.stripLeading().startsWith("[")
                    ? json.readValue(body, NOTIFICATIONS) : List.of(json.readValue(body, Notification.class));
            if (!notifications.stream().allMatch(n -> n != null && n.valid())) {
                return List.of();
            }
            return notifications.stream().map(n -> n.of(recordConnection)).toList();
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}
