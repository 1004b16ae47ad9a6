package dev.vtexbridge.erp;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * The embedded demo ERP's back office ({@code routes/sandbox/demo-erp.camel.yaml}): it invoices every new order for its
 * whole value {@code invoice-after} it arrived, ships each sale invoice {@code ship-after} it was issued, and reports
 * the delivery {@code deliver-after} the shipment, by writing the documented ERP tables as a real ERP would. Every
 * step is idempotent (at most one invoice, shipment and delivery per order).
 */
@Component("demoErp")
public class DemoErp {

    private static final Logger log = LoggerFactory.getLogger(DemoErp.class);
    private static final int BATCH = 100;

    private final NamedParameterJdbcTemplate erp;
    private final ErpTransactions erpTx;
    private final Clock clock;
    private final Duration invoiceAfter;
    private final Duration shipAfter;
    private final Duration deliverAfter;

    public DemoErp(@Qualifier("erpJdbc") NamedParameterJdbcTemplate erp, ErpTransactions erpTx, Clock clock,
                   @Value("${bridge.erp.demo.invoice-after}") Duration invoiceAfter,
                   @Value("${bridge.erp.demo.ship-after}") Duration shipAfter,
                   @Value("${bridge.erp.demo.deliver-after}") Duration deliverAfter) {
        this.erp = erp;
        this.erpTx = erpTx;
        this.clock = clock;
        this.invoiceAfter = invoiceAfter;
        this.shipAfter = shipAfter;
        this.deliverAfter = deliverAfter;
    }

    /** One round of back-office work; returns how many rows it wrote. */
    public int work() {
        return invoiceDue() + shipDue() + deliverDue();
    }

    int invoiceDue() {
        List<Map<String, Object>> due = erp.queryForList("SELECT erp_order_id, total_value FROM erp_order o WHERE status = 'NEW' "
                + "AND created_at <= :due AND NOT EXISTS (SELECT 1 FROM erp_invoice i WHERE i.erp_order_id = o.erp_order_id) "
                + "ORDER BY erp_order_id LIMIT :batch", due(invoiceAfter));
        due.forEach(order -> erpTx.inTransaction(() -> invoice(((Number) order.get("erp_order_id")).longValue(),
                ((Number) order.get("total_value")).longValue())));
        return due.size();
    }

    private int invoice(long erpOrderId, long value) {
        String number = "NF-" + erpOrderId;
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        erp.update("INSERT INTO erp_invoice (erp_order_id, invoice_number, invoice_type, invoice_value, issued_at, "
                        + "invoice_url, created_at) VALUES (:order, :number, 'Output', :value, :now, :url, :now)",
                new MapSqlParameterSource().addValue("order", erpOrderId).addValue("number", number)
                        .addValue("value", value).addValue("now", now())
                        .addValue("url", "https://erp.example/invoices/" + number + ".pdf"), key, new String[] {"id"});
        erp.update("INSERT INTO erp_invoice_item (invoice_id, line_no, sku_id, quantity, unit_price) SELECT :invoice, "
                + "line_no, sku_id, quantity, unit_price FROM erp_order_item WHERE erp_order_id = :order",
                new MapSqlParameterSource().addValue("invoice", key.getKey().longValue()).addValue("order", erpOrderId));
        log.info("Demo ERP: order {} invoiced ({}, {} cents)", erpOrderId, number, value);
        return 1;
    }

    int shipDue() {
        List<Map<String, Object>> due = erp.queryForList("SELECT i.erp_order_id, i.invoice_number FROM erp_invoice i "
                + "JOIN erp_order o ON o.erp_order_id = i.erp_order_id WHERE o.status = 'NEW' AND i.invoice_type = 'Output' "
                + "AND i.created_at <= :due AND NOT EXISTS (SELECT 1 FROM erp_shipment s WHERE s.erp_order_id = i.erp_order_id "
                + "AND s.invoice_number = i.invoice_number) ORDER BY i.id LIMIT :batch", due(shipAfter));
        for (Map<String, Object> invoice : due) {
            long erpOrderId = ((Number) invoice.get("erp_order_id")).longValue();
            String tracking = "DC" + (1_000_000_000L + erpOrderId);
            erp.update("INSERT INTO erp_shipment (erp_order_id, invoice_number, courier, tracking_number, tracking_url, "
                            + "dispatched_at, created_at) VALUES (:order, :number, 'Demo Courier', :tracking, :url, :now, :now)",
                    new MapSqlParameterSource().addValue("order", erpOrderId).addValue("number", invoice.get("invoice_number"))
                            .addValue("tracking", tracking).addValue("url", "https://tracking.example/" + tracking)
                            .addValue("now", now()));
            log.info("Demo ERP: invoice {} shipped with tracking {}", invoice.get("invoice_number"), tracking);
        }
        return due.size();
    }

    int deliverDue() {
        List<Map<String, Object>> due = erp.queryForList("SELECT s.erp_order_id, s.invoice_number, o.ship_city, o.ship_state "
                + "FROM erp_shipment s JOIN erp_order o ON o.erp_order_id = s.erp_order_id WHERE o.status = 'NEW' "
                + "AND s.created_at <= :due AND NOT EXISTS (SELECT 1 FROM erp_tracking_event t WHERE t.erp_order_id = "
                + "s.erp_order_id AND t.invoice_number = s.invoice_number AND t.delivered) ORDER BY s.id LIMIT :batch",
                due(deliverAfter));
        for (Map<String, Object> shipment : due) {
            erp.update("INSERT INTO erp_tracking_event (erp_order_id, invoice_number, delivered, delivered_at, city, state, "
                            + "description, event_at, created_at) VALUES (:order, :number, TRUE, :now, :city, :state, "
                            + "'Delivered to the customer', :now, :now)",
                    new MapSqlParameterSource().addValue("order", shipment.get("erp_order_id"))
                            .addValue("number", shipment.get("invoice_number")).addValue("city", shipment.get("ship_city"))
                            .addValue("state", shipment.get("ship_state")).addValue("now", now()));
            log.info("Demo ERP: invoice {} delivered", shipment.get("invoice_number"));
        }
        return due.size();
    }

    private MapSqlParameterSource due(Duration after) {
        return new MapSqlParameterSource().addValue("due", now().minus(after)).addValue("batch", BATCH);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
