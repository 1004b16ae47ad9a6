package dev.vtexbridge.orders;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.vtexbridge.ops.OpsAudit;
import dev.vtexbridge.ops.OpsTokenFilter;
import dev.vtexbridge.orders.OrderLinks.OrderLink;
import dev.vtexbridge.web.ApiError;
import dev.vtexbridge.web.LikePattern;
import dev.vtexbridge.web.Paging;
import dev.vtexbridge.web.TableSort;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The orders in the ops API (same bearer token as the rest of {@code /ops/api}): one order by any of its ids with its
 * state, its timeline and what is still pending; and the list of orders with filters. Each shows its connection; a
 * marketplace order id that several connections use names an order only together with {@code ?connection=}.
 */
@RestController
@RequestMapping("/ops/api/orders")
class OrderTimelineController {

    private final OrderLinks links;
    private final OrderTimeline timeline;
    private final MarketplaceCalls calls;
    private final JdbcTemplate jdbc;
    private final Paging paging;
    private final SellerOrders orders;
    private final OpsAudit audit;

    OrderTimelineController(OrderLinks links, OrderTimeline timeline, MarketplaceCalls calls, JdbcTemplate jdbc,
                            Paging paging, SellerOrders orders, OpsAudit audit) {
        this.orders = orders;
        this.audit = audit;
        this.links = links;
        this.timeline = timeline;
        this.calls = calls;
        this.jdbc = jdbc;
        this.paging = paging;
    }

    /** Something the order still waits for. */
    record Pending(String what, String status, OffsetDateTime since) {
    }

    record OrderView(String orderId, String connection, String marketplaceOrderId, String erpOrderId, OrderStatus status,
                     String marketplaceServicesEndpoint, long invoicedValue, String erpReference,
                     List<OrderTimeline.Entry> events, List<Pending> pending) {
    }

    record OrderSummary(String orderId, String connection, String marketplaceOrderId, String erpOrderId,
                        OrderStatus status, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    record Page(List<OrderSummary> items, int page, int size, long total) {
    }

    /** {@code id}: the marketplace's, ours (seller order id) or the ERP's; {@code connection}: only that connection's. */
    @GetMapping("/{id}")
    ResponseEntity<?> order(@PathVariable String id, @RequestParam(required = false) String connection) {
        try {
            Optional<OrderLink> order = connection == null || connection.isBlank() ? links.find(id)
                    : links.find(connection.trim(), id);
            return order.<ResponseEntity<?>>map(found -> ResponseEntity.ok(view(found)))
                    .orElseGet(() -> ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no order with id " + id));
        } catch (OrderLinks.AmbiguousOrderId ambiguous) {
            return ambiguous(ambiguous);
        }
    }

    private static ResponseEntity<?> ambiguous(OrderLinks.AmbiguousOrderId ambiguous) {
        return ApiError.of(HttpStatus.CONFLICT, "ambiguous_order_id", ambiguous.getMessage() + " (add ?connection=)");
    }

    /** Accepts the price of an order the price check held ({@code bridge.seller.price-check.mode: hold}). */
    @PostMapping("/{id}/release")
    ResponseEntity<?> release(@PathVariable String id, HttpServletRequest request) {
        String actor = OpsTokenFilter.actorOf(request);
        SellerOrders.Release release;
        try {
            release = orders.releaseHeld(id, actor);
        } catch (OrderLinks.AmbiguousOrderId ambiguous) {
            return ambiguous(ambiguous);
        }
        audit.record(actor, "RELEASE_ORDER", "order " + id, release.name(), null);
        return switch (release) {
            case RELEASED -> ResponseEntity.ok(view(links.find(id).orElseThrow()));
            case NOT_HELD -> ApiError.of(HttpStatus.CONFLICT, "not_held", "order " + id + " is not held for its price");
            case NOT_FOUND -> ApiError.of(HttpStatus.NOT_FOUND, "not_found", "no order with id " + id);
        };
    }

    /** What the list sorts by ({@code sort=updatedAt,desc}); newest order first by default. */
    static final TableSort SORT = TableSort.of("order_id", "createdAt,desc", "orderId", "order_id",
            "connection", "connection_id", "marketplaceOrderId", "marketplace_order_id", "erpOrderId", "erp_order_id",
            "status", "status", "createdAt", "created_at", "updatedAt", "updated_at");

    /**
     * {@code id}: the start of any of an order's ids (marketplace, seller or ERP), so a search finds it by whichever is
     * at hand; {@code connection}: the orders placed on that connection.
     */
    @GetMapping
    ResponseEntity<?> list(@RequestParam(required = false) String id,
                           @RequestParam(required = false) String connection,
                           @RequestParam(required = false) OrderStatus status,
                           @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime since,
                           @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime until,
                           @RequestParam(defaultValue = "false") boolean pending,
                           @RequestParam(required = false) String sort,
                           @RequestParam(defaultValue = "0") int page,
                           @RequestParam(defaultValue = "50") int size) {
        paging.check(page, size);
        String orderBy = SORT.orderBy(sort);
        List<Object> params = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (id != null && !id.isBlank()) {
            where.add("(order_id LIKE ? ESCAPE '\\' OR marketplace_order_id LIKE ? ESCAPE '\\' OR erp_order_id LIKE ? ESCAPE '\\')");
            String prefix = LikePattern.startsWith(id.trim());
            params.add(prefix);
            params.add(prefix);
            params.add(prefix);
        }
        if (connection != null && !connection.isBlank()) {
            where.add("connection_id = ?");
            params.add(connection.trim());
        }
        if (status != null) {
            where.add("status = ?");
            params.add(status.name());
        }
        if (since != null) {
            where.add("created_at >= ?");
            params.add(since);
        }
        if (until != null) {
            where.add("created_at < ?");
            params.add(until);
        }
        if (pending) {
            where.add("order_id IN (SELECT order_id FROM order_outbound WHERE status <> 'SENT')");
        }
        String filter = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM seller_order" + filter, Long.class, params.toArray());
        params.add(size);
        params.add((long) page * size);
        List<OrderSummary> items = jdbc.query("SELECT order_id, connection_id, marketplace_order_id, erp_order_id, status, "
                        + "created_at, updated_at FROM seller_order" + filter + orderBy + " LIMIT ? OFFSET ?",
                (rs, n) -> new OrderSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        OrderStatus.valueOf(rs.getString(5)), rs.getObject(6, OffsetDateTime.class),
                        rs.getObject(7, OffsetDateTime.class)), params.toArray());
        return ResponseEntity.ok(new Page(items, page, size, total == null ? 0 : total));
    }

    private OrderView view(OrderLink order) {
        List<Pending> pending = new ArrayList<>();
        if (!order.inErp() && order.erpReference() == null && isReleased(order.status())) {
            pending.add(new Pending("ERP write", "PENDING", null));
        }
        calls.pending(order.orderId()).forEach(call -> pending.add(new Pending(
                "marketplace call " + call.kind() + " " + call.reference(), call.status().name(), call.since())));
        return new OrderView(order.orderId(), order.connectionId(), order.marketplaceOrderId(), order.erpOrderId(),
                order.status(), order.servicesEndpoint(), order.invoicedValue(), order.erpReference(),
                timeline.of(order.orderId()), pending);
    }

    /** Released for dispatch at some point, so the ERP should have it. */
    private static boolean isReleased(OrderStatus status) {
        return status != OrderStatus.RESERVED && status != OrderStatus.EXPIRED && status != OrderStatus.CANCELED;
    }
}
