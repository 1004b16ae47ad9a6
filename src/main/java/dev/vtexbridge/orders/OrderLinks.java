package dev.vtexbridge.orders;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The order link: one {@code seller_order} row ties the marketplace order id to ours and, once the ERP write
 * committed, to the ERP's own id. Every lookup accepts any of the three ids.
 */
@Component
public class OrderLinks {

    private static final String COLUMNS = "order_id, marketplace_order_id, erp_order_id, erp_reference, erp_handed_over_at, "
            + "status, marketplace_services_endpoint, invoiced_value, order_json, response_json";
    private static final String BY_ANY_ID = " FROM seller_order WHERE order_id = ? OR marketplace_order_id = ? OR erp_order_id = ?";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public OrderLinks(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** One order and what is known of it. {@code orderJson} is the placement as received. */
    public record OrderLink(String orderId, String marketplaceOrderId, String erpOrderId, String erpReference,
                            OffsetDateTime erpHandedOverAt, OrderStatus status, String servicesEndpoint,
                            long invoicedValue, String orderJson, String answerJson) {

        public boolean inErp() {
            return erpHandedOverAt != null;
        }
    }

    public Optional<OrderLink> find(String anyId) {
        return best(jdbc.query("SELECT " + COLUMNS + BY_ANY_ID, ROW, anyId, anyId, anyId), anyId);
    }

    /** Finds and locks the order (until the caller's transaction ends). */
    public Optional<OrderLink> lock(String anyId) {
        return best(jdbc.query("SELECT " + COLUMNS + BY_ANY_ID + " FOR UPDATE", ROW, anyId, anyId, anyId), anyId);
    }

    /** Locks the first of the ids that names an order (an event may carry several). */
    public Optional<OrderLink> lockFirst(List<String> ids) {
        return ids.stream().filter(id -> id != null && !id.isBlank()).map(this::lock)
                .flatMap(Optional::stream).findFirst();
    }

    public void setStatus(String orderId, OrderStatus status) {
        jdbc.update("UPDATE seller_order SET status = ?, lock_expires_at = NULL, updated_at = ? WHERE order_id = ?",
                status.name(), now(), orderId);
    }

    public void addInvoicedValue(String orderId, long cents) {
        jdbc.update("UPDATE seller_order SET invoiced_value = invoiced_value + ?, updated_at = ? WHERE order_id = ?",
                cents, now(), orderId);
    }

    /** The ERP took the order over; {@code erpOrderId} is null when the sink does not answer one (Kafka, JMS). */
    public void erpAcknowledged(String orderId, String erpOrderId, String reference) {
        jdbc.update("UPDATE seller_order SET erp_order_id = COALESCE(?, erp_order_id), erp_reference = ?, "
                + "erp_handed_over_at = ?, updated_at = ? WHERE order_id = ?", erpOrderId, reference, now(), now(), orderId);
    }

    /** The order was not sent to the ERP (cancelled first); {@code reason} tells the cancel leg there is nothing to stop. */
    public void erpSkipped(String orderId, String reason) {
        jdbc.update("UPDATE seller_order SET erp_reference = ?, updated_at = ? WHERE order_id = ?", reason, now(), orderId);
    }

    /** The ERP's id learnt later, e.g. from an invoice event of an order sent through Kafka or JMS. */
    public void learnErpOrderId(String orderId, String erpOrderId) {
        jdbc.update("UPDATE seller_order SET erp_order_id = ? WHERE order_id = ? AND erp_order_id IS NULL", erpOrderId, orderId);
    }

    /** Prefers the row whose own id is the one asked for, then the marketplace id. */
    private static Optional<OrderLink> best(List<OrderLink> found, String id) {
        return found.stream().min(Comparator.comparingInt(link ->
                link.orderId().equals(id) ? 0 : link.marketplaceOrderId().equals(id) ? 1 : 2));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static final RowMapper<OrderLink> ROW = (ResultSet rs, int n) -> read(rs);

    private static OrderLink read(ResultSet rs) throws SQLException {
        return new OrderLink(rs.getString("order_id"), rs.getString("marketplace_order_id"), rs.getString("erp_order_id"),
                rs.getString("erp_reference"), rs.getObject("erp_handed_over_at", OffsetDateTime.class),
                OrderStatus.valueOf(rs.getString("status")), rs.getString("marketplace_services_endpoint"),
                rs.getLong("invoiced_value"), rs.getString("order_json"), rs.getString("response_json"));
    }
}
