package dev.vtexbridge.marketplace;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.config.ChannelConfiguration;
import dev.vtexbridge.connections.Connection;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Coalesces affiliate notifications per (connection, SKU): the first opens a window ({@code bridge.sync.coalesce-window},
 * as for the seller role's notifications); every further one inside it joins the same offer update, which goes to
 * {@code bridge.channels.marketplace-offers} when the window closes and reads the SKU's latest data, price and stock
 * from the store. A notification that takes the SKU off the marketplace (removed from the affiliate, inactive) skips
 * the window.
 *
 * <p>The seller role's {@code NotificationCoalescer} keeps its pending set in memory and rebuilds it at start-up by
 * comparing the local projection with what each marketplace was told. The marketplace role has no such local truth
 * (the data is the VTEX store's), so here the pending set is a table ({@code marketplace_pending}), written in the
 * transaction that takes the notification off its channel: a crash or a restart loses none, and every engine instance
 * sees the same window. A row is deleted in the transaction that hands its update to the offers channel: an instance
 * stopping between the hand-off and the commit makes the same update twice, which the sink gets as a repeat. Every
 * instance dispatches; each row is claimed by one (locked, {@code FOR UPDATE SKIP LOCKED}), so two instances never
 * hand on the same window.
 */
@Component("marketplaceNotificationWindow")
public class NotificationWindow {

    /** Most rows one dispatch hands on; the next dispatch takes the rest. */
    static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final ProducerTemplate producer;
    private final Clock clock;
    private final Duration window;
    private final String offersChannel;

    public NotificationWindow(JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json, ProducerTemplate producer,
                              Clock clock,
                              @Value("${bridge.sync.coalesce-window}") Duration window,
                              @Value("${bridge.channels.marketplace-offers}") String offersChannel) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.producer = producer;
        this.clock = clock;
        this.window = window;
        this.offersChannel = offersChannel;
    }

    /** Route step: one notification (JSON) from the notifications channel joins its SKU's window, or opens one. */
    public void join(Exchange exchange) throws Exception {
        join(json.readValue(exchange.getIn().getBody(String.class), AffiliateNotification.class));
    }

    void join(AffiliateNotification n) {
        OffsetDateTime now = now();
        OffsetDateTime due = n.urgent() ? now : now.plus(window);
        // the latest values win; an urgent notification brings the due time forward, never back
        String update = "UPDATE marketplace_pending SET product_id = COALESCE(?, product_id), is_active = COALESCE(?, is_active),"
                + " removed = ?, date_modified = COALESCE(?, date_modified),"
                + " due_at = CASE WHEN ? < due_at THEN ? ELSE due_at END, version = version + 1"
                + " WHERE connection_id = ? AND sku_id = ?";
        Object[] args = {n.productId(), n.isActive(), n.removedFromAffiliate(), n.dateModified(), due, due,
                n.connection(), n.skuId()};
        if (jdbc.update(update, args) > 0) {
            return;
        }
        int inserted = jdbc.update("INSERT INTO marketplace_pending (connection_id, sku_id, product_id, is_active, removed,"
                        + " date_modified, due_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING",
                n.connection(), n.skuId(), n.productId(), n.isActive(), n.removedFromAffiliate(), n.dateModified(), due);
        if (inserted == 0) {
            jdbc.update(update, args); // another consumer inserted it meanwhile
        }
    }

    /**
     * Hands every SKU whose window closed to the offers channel (oldest first), then forgets it; returns how many this
     * instance handed on. Each row is claimed in its own transaction: locked with {@code SKIP LOCKED} (a row another
     * instance is handing on is skipped, one it handed on is gone), read again under the lock, handed on and deleted.
     * A notification joining the window meanwhile waits for that transaction, then opens a new window.
     */
    public int dispatchDue() {
        List<String[]> due = jdbc.query("SELECT connection_id, sku_id FROM marketplace_pending WHERE due_at <= ?"
                        + " ORDER BY due_at FETCH FIRST " + BATCH + " ROWS ONLY",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2)}, now());
        int sent = 0;
        for (String[] row : due) {
            if (Boolean.TRUE.equals(tx.execute(status -> handOn(row[0], row[1])))) {
                sent++;
            }
        }
        return sent;
    }

    /** In the caller's transaction: claims the SKU's row if it is still due and no other instance holds it. */
    private boolean handOn(String connection, String sku) {
        OffsetDateTime now = now();
        List<OfferUpdate> claimed = jdbc.query("SELECT product_id, is_active, removed, date_modified FROM marketplace_pending"
                        + " WHERE connection_id = ? AND sku_id = ? AND due_at <= ? FOR UPDATE SKIP LOCKED",
                (rs, i) -> {
                    OffsetDateTime modified = rs.getObject(4, OffsetDateTime.class);
                    return new OfferUpdate(connection, sku, rs.getString(1), rs.getObject(2, Boolean.class),
                            rs.getBoolean(3), modified != null ? modified : now, null);
                }, connection, sku, now);
        if (claimed.isEmpty()) {
            return false;
        }
        try {
            producer.sendBodyAndHeaders(offersChannel, json.writeValueAsString(claimed.get(0)),
                    Map.of(Connection.HEADER, connection, ChannelConfiguration.MESSAGE_KEY, sku));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        jdbc.update("DELETE FROM marketplace_pending WHERE connection_id = ? AND sku_id = ?", connection, sku);
        return true;
    }

    /** SKUs waiting in their window, over all connections. */
    public int pendingCount() {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM marketplace_pending", Integer.class);
        return count == null ? 0 : count;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /**
     * What the offers channel carries: one SKU of one connection to publish again. {@code active} null: VTEX did not
     * say; {@code changedAt}: the newest {@code DateModified} of the notifications it coalesced (else when it left);
     * {@code reconciliation}: the run id of the reconciliation that sent it ({@link MarketplaceReconciliation}), null
     * for a notification.
     */
    public record OfferUpdate(String connection, String skuId, String productId, Boolean active,
                              boolean removedFromAffiliate, OffsetDateTime changedAt, Long reconciliation) {
    }
}
