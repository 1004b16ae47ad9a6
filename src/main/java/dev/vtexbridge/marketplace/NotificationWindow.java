package dev.vtexbridge.marketplace;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.connections.Connection;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

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
 * sees the same window. A row is deleted only after its update was handed to the offers channel; an instance stopping
 * in between, or two instances handing on the same row, make the same update twice, which the sink gets as a repeat.
 */
@Component("marketplaceNotificationWindow")
public class NotificationWindow {

    /** Most rows one dispatch hands on; the next dispatch takes the rest. */
    static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final ProducerTemplate producer;
    private final Clock clock;
    private final Duration window;
    private final String offersChannel;

    public NotificationWindow(JdbcTemplate jdbc, ObjectMapper json, ProducerTemplate producer, Clock clock,
                              @Value("${bridge.sync.coalesce-window}") Duration window,
                              @Value("${bridge.channels.marketplace-offers}") String offersChannel) {
        this.jdbc = jdbc;
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

    /** Hands every SKU whose window closed to the offers channel (oldest first), then forgets it; returns how many. */
    public int dispatchDue() throws Exception {
        record Due(String connection, String sku, String productId, Boolean active, boolean removed,
                   OffsetDateTime dateModified, long version) {
        }
        List<Due> due = jdbc.query("SELECT connection_id, sku_id, product_id, is_active, removed, date_modified, version"
                        + " FROM marketplace_pending WHERE due_at <= ? ORDER BY due_at FETCH FIRST " + BATCH + " ROWS ONLY",
                (rs, i) -> new Due(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, Boolean.class),
                        rs.getBoolean(5), rs.getObject(6, OffsetDateTime.class), rs.getLong(7)), now());
        for (Due row : due) {
            OfferUpdate update = new OfferUpdate(row.connection(), row.sku(), row.productId(), row.active(),
                    row.removed(), row.dateModified() != null ? row.dateModified() : now(), null);
            producer.sendBodyAndHeaders(offersChannel, json.writeValueAsString(update),
                    Map.of(Connection.HEADER, row.connection(), "BridgeMessageKey", row.sku()));
            jdbc.update("DELETE FROM marketplace_pending WHERE connection_id = ? AND sku_id = ? AND version = ?",
                    row.connection(), row.sku(), row.version());
        }
        return due.size();
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
