package dev.vtexbridge.orders;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The order link: one {@code seller_order} row ties the marketplace order id to ours and, once the ERP write
 * committed, to the ERP's own id. Every lookup accepts any of the three ids. Ours and the ERP's are unique in the
 * engine; a marketplace order id only within its connection (two marketplaces may use the same one), so the seller
 * endpoints look orders up within their connection, and a lookup by a marketplace order id that several connections
 * use fails with {@link AmbiguousOrderId} rather than pick one.
 */
@Component
public class OrderLinks {

    private static final String COLUMNS = "order_id, connection_id, marketplace_order_id, erp_order_id, erp_reference, "
            + "erp_handed_over_at, status, marketplace_services_endpoint, invoiced_value, order_json, response_json";
    private static final String BY_ANY_ID =
            " FROM seller_order WHERE (order_id = ? OR marketplace_order_id = ? OR erp_order_id = ?)";
    private static final String OF_CONNECTION = " AND connection_id = ?";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public OrderLinks(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** One order and what is known of it. {@code orderJson} is the placement as received; {@code connectionId} placed it. */
    public record OrderLink(String orderId, String connectionId, String marketplaceOrderId, String erpOrderId,
                            String erpReference, OffsetDateTime erpHandedOverAt, OrderStatus status,
                            String servicesEndpoint, long invoicedValue, String orderJson, String answerJson) {

        public boolean inErp() {
            return erpHandedOverAt != null;
        }
    }

    /** The order any of whose ids is {@code anyId}, whichever connection placed it. */
    public Optional<OrderLink> find(String anyId) {
        return best(jdbc.query("SELECT " + COLUMNS + BY_ANY_ID, ROW, anyId, anyId, anyId), anyId);
    }

    /** The order of that connection any of whose ids is {@code anyId}. */
    public Optional<OrderLink> find(String connectionId, String anyId) {
        return best(jdbc.query("SELECT " + COLUMNS + BY_ANY_ID + OF_CONNECTION, ROW, anyId, anyId, anyId, connectionId), anyId);
    }

    /** Finds and locks the order (until the caller's transaction ends). */
    public Optional<OrderLink> lock(String anyId) {
        return best(jdbc.query("SELECT " + COLUMNS + BY_ANY_ID + " FOR UPDATE", ROW, anyId, anyId, anyId), anyId);
    }

    /** Finds and locks the order of that connection (until the caller's transaction ends). */
    public Optional<OrderLink> lock(String connectionId, String anyId) {
        return best(jdbc.query("SELECT " + COLUMNS + BY_ANY_ID + OF_CONNECTION + " FOR UPDATE", ROW, anyId, anyId, anyId,
                connectionId), anyId);
    }

    /** Locks the first of the ids that names an order (an event may carry several). */
    public Optional<OrderLink> lockFirst(List<String> ids) {
        return ids.stream().filter(id -> id != null && !id.isBlank()).map(this::lock)
                .flatMap(Optional::stream).findFirst();
    }

    /** Locks the first of the ids that names an order of that connection. */
    public Optional<OrderLink> lockFirst(String connectionId, List<String> ids) {
        return ids.stream().filter(id -> id != null && !id.isBlank()).map(id -> lock(connectionId, id))
                .flatMap(Optional::stream).findFirst();
    }

    /** How many orders not in a final state ({@link OrderStatus#isFinal()}) each connection has; absent means none. */
    public Map<String, Long> openOrdersPerConnection() {
        Object[] finalStates = Arrays.stream(OrderStatus.values()).filter(OrderStatus::isFinal).map(Enum::name).toArray();
        String placeholders = String.join(", ", Collections.nCopies(finalStates.length, "?"));
        Map<String, Long> open = new LinkedHashMap<>();
        jdbc.query("SELECT connection_id, COUNT(*) FROM seller_order WHERE status NOT IN (" + placeholders + ") "
                + "GROUP BY connection_id", rs -> { open.put(rs.getString(1), rs.getLong(2)); }, finalStates);
        return open;
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

    /** The payment data shared on /fulfill ({@link FulfilPayment}, JSON without card data); the latest one wins. */
    public void storeFulfilPayment(String orderId, String paymentJson) {
        jdbc.update("UPDATE seller_order SET fulfil_payment = ?, updated_at = ? WHERE order_id = ?", paymentJson, now(), orderId);
    }

    /** The payment data shared on /fulfill, or null when none was. */
    public String fulfilPayment(String orderId) {
        return jdbc.query("SELECT fulfil_payment FROM seller_order WHERE order_id = ?",
                rs -> rs.next() ? rs.getString(1) : null, orderId);
    }

    /** The ERP's id learnt later, e.g. from an invoice event of an order sent through Kafka or JMS. */
    public void learnErpOrderId(String orderId, String erpOrderId) {
        jdbc.update("UPDATE seller_order SET erp_order_id = ? WHERE order_id = ? AND erp_order_id IS NULL", erpOrderId, orderId);
    }

    /**
     * A marketplace order id that names orders of several connections, looked up without a connection: which one is
     * meant cannot be told. Name the order by our id or the ERP's, or look it up within its connection.
     */
    public static class AmbiguousOrderId extends RuntimeException {

        private final List<String> connections;

        AmbiguousOrderId(String id, List<OrderLink> orders) {
            super("Marketplace order id " + id + " names orders of several connections ("
                    + String.join(", ", orders.stream().map(OrderLink::connectionId).toList())
                    + "); name the order by its seller order id or within its connection");
            this.connections = orders.stream().map(OrderLink::connectionId).toList();
        }

        public List<String> connections() {
            return connections;
        }
    }

    /** Prefers the row whose own id is the one asked for, then the marketplace id (unique within a connection only). */
    private static Optional<OrderLink> best(List<OrderLink> found, String id) {
        if (found.size() < 2) {
            return found.stream().findFirst();
        }
        int best = found.stream().mapToInt(link -> rank(link, id)).min().orElseThrow();
        List<OrderLink> candidates = found.stream().filter(link -> rank(link, id) == best).toList();
        if (candidates.size() > 1) {
            throw new AmbiguousOrderId(id, candidates);
        }
        return Optional.of(candidates.get(0));
    }

    private static int rank(OrderLink link, String id) {
        return link.orderId().equals(id) ? 0 : link.marketplaceOrderId().equals(id) ? 1 : 2;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static final RowMapper<OrderLink> ROW = (ResultSet rs, int n) -> read(rs);

    private static OrderLink read(ResultSet rs) throws SQLException {
        return new OrderLink(rs.getString("order_id"), rs.getString("connection_id"), rs.getString("marketplace_order_id"),
                rs.getString("erp_order_id"),
                rs.getString("erp_reference"), rs.getObject("erp_handed_over_at", OffsetDateTime.class),
                OrderStatus.valueOf(rs.getString("status")), rs.getString("marketplace_services_endpoint"),
                rs.getLong("invoiced_value"), rs.getString("order_json"), rs.getString("response_json"));
    }
}
