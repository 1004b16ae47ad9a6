package dev.vtexbridge.marketplace;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import dev.vtexbridge.orders.OrderStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The marketplace role's orders in the shared order store ({@code seller_order}, README "External Marketplace role"):
 * {@code order_id} is the VTEX order id {@code <affiliate-id>-<marketplace order id>}, {@code marketplace_order_id}
 * the external marketplace's, {@code connection_id} the marketplace connection; {@code order_json} the order as taken.
 */
@Component
public class MarketplaceOrderStore {

    /** One order and where its injection stands. */
    public record Order(String orderId, String connectionId, String marketplaceOrderId, OrderStatus status,
                        String orderJson, String vtexOrderId, int placementAttempts, OffsetDateTime approvedAt,
                        OffsetDateTime cancelRequestedAt, OffsetDateTime integrationEnqueuedAt,
                        OffsetDateTime approvalRequestedAt) {

        /** The store's id of the order: as it answered the placement, else {@code <affiliate-id>-<marketplace order id>}. */
        public String storeOrderId() {
            return vtexOrderId != null ? vtexOrderId : orderId;
        }

        /** The status the marketplace last gave the order. */
        public String marketplaceStatus() {
            return cancelRequestedAt != null ? IncomingOrder.CANCELED : approvedAt != null ? IncomingOrder.APPROVED
                    : IncomingOrder.NEW;
        }
    }

    private static final String COLUMNS = "order_id, connection_id, marketplace_order_id, status, order_json, vtex_order_id, "
            + "placement_attempts, approved_at, cancel_requested_at, integration_enqueued_at, approval_requested_at";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public MarketplaceOrderStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<Order> find(String connectionId, String orderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM seller_order WHERE connection_id = ? AND order_id = ?", ROW,
                connectionId, orderId).stream().findFirst();
    }

    /** Finds and locks an order of the connection by its VTEX or marketplace id (until the transaction ends). */
    public Optional<Order> lock(String connectionId, String anyId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM seller_order WHERE connection_id = ? AND (order_id = ? OR "
                        + "marketplace_order_id = ? OR vtex_order_id = ?) ORDER BY order_id FETCH FIRST 1 ROWS ONLY FOR UPDATE",
                ROW, connectionId, anyId, anyId, anyId).stream().findFirst();
    }

    void insert(String orderId, String connectionId, String marketplaceOrderId, String orderJson, String answerJson,
                boolean approved, boolean canceled) {
        OffsetDateTime now = now();
        jdbc.update("INSERT INTO seller_order (order_id, connection_id, marketplace_order_id, status, order_json, "
                        + "response_json, approved_at, cancel_requested_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                orderId, connectionId, marketplaceOrderId, OrderStatus.RECEIVED.name(), orderJson, answerJson,
                approved ? now : null, canceled ? now : null, now, now);
    }

    void approved(String orderId) {
        jdbc.update("UPDATE seller_order SET approved_at = ?, updated_at = ? WHERE order_id = ? AND approved_at IS NULL",
                now(), now(), orderId);
    }

    void cancelRequested(String orderId) {
        jdbc.update("UPDATE seller_order SET cancel_requested_at = ?, updated_at = ? WHERE order_id = ? "
                + "AND cancel_requested_at IS NULL", now(), now(), orderId);
    }

    /** Counted (and committed) before each placement call. */
    void placementStarted(String orderId) {
        jdbc.update("UPDATE seller_order SET placement_attempts = placement_attempts + 1, updated_at = ? WHERE order_id = ?",
                now(), orderId);
    }

    /**
     * Counts a placement call (committed before it) only when the count is still {@code seen}, the count its step was
     * chosen with: true for the one caller that may make the call.
     */
    boolean claimPlacement(String orderId, int seen) {
        return jdbc.update("UPDATE seller_order SET placement_attempts = placement_attempts + 1, updated_at = ? "
                + "WHERE order_id = ? AND placement_attempts = ?", now(), orderId, seen) == 1;
    }

    /** The store's order integration took the order (kept at its first time: the result timeout counts from it). */
    void integrationEnqueued(String orderId) {
        jdbc.update("UPDATE seller_order SET integration_enqueued_at = ?, updated_at = ? WHERE order_id = ? "
                + "AND integration_enqueued_at IS NULL", now(), now(), orderId);
    }

    /** Claims the approval call (committed before it): true for the one caller that may make it. */
    boolean claimApproval(String orderId) {
        return jdbc.update("UPDATE seller_order SET approval_requested_at = ?, updated_at = ? WHERE order_id = ? "
                + "AND approval_requested_at IS NULL", now(), now(), orderId) == 1;
    }

    /** The approval is to be requested again (the store asked for a later try, or its result never came). */
    void releaseApproval(String orderId) {
        jdbc.update("UPDATE seller_order SET approval_requested_at = NULL, updated_at = ? WHERE order_id = ?", now(), orderId);
    }

    void placed(String orderId, String vtexOrderId, String answerJson) {
        jdbc.update("UPDATE seller_order SET status = ?, vtex_order_id = ?, response_json = ?, updated_at = ? WHERE order_id = ?",
                OrderStatus.PLACED.name(), vtexOrderId, answerJson, now(), orderId);
    }

    void setStatus(String orderId, OrderStatus status) {
        jdbc.update("UPDATE seller_order SET status = ?, updated_at = ? WHERE order_id = ?", status.name(), now(), orderId);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static final RowMapper<Order> ROW = (rs, n) -> new Order(rs.getString("order_id"), rs.getString("connection_id"),
            rs.getString("marketplace_order_id"), OrderStatus.valueOf(rs.getString("status")), rs.getString("order_json"),
            rs.getString("vtex_order_id"), rs.getInt("placement_attempts"),
            rs.getObject("approved_at", OffsetDateTime.class), rs.getObject("cancel_requested_at", OffsetDateTime.class),
            rs.getObject("integration_enqueued_at", OffsetDateTime.class),
            rs.getObject("approval_requested_at", OffsetDateTime.class));
}
