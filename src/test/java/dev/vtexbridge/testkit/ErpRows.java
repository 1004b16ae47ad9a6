package dev.vtexbridge.testkit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/** Writes into the documented ERP tables what an ERP would: invoices, shipments, tracking events, cancellations. */
public final class ErpRows {

    private final NamedParameterJdbcTemplate erp;
    private final TransactionTemplate tx;

    public ErpRows(NamedParameterJdbcTemplate erp) {
        this.erp = erp;
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(erp.getJdbcTemplate().getDataSource()));
    }

    /** An invoice of one line; {@code type} Output (sale) or Input (return). Returns its row id. */
    public long invoice(String erpOrderId, String number, String type, String sku, int quantity, long unitPrice, long value) {
        // one transaction, as an ERP writes an invoice with its lines: the engine's poll never sees one without the other
        return tx.execute(status -> insertInvoice(erpOrderId, number, type, sku, quantity, unitPrice, value));
    }

    private long insertInvoice(String erpOrderId, String number, String type, String sku, int quantity, long unitPrice,
                               long value) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        erp.update("INSERT INTO erp_invoice (erp_order_id, invoice_number, invoice_type, invoice_value, issued_at, invoice_key, "
                        + "invoice_url, created_at) VALUES (:order, :number, :type, :value, :now, :key, :url, :now)",
                params().addValue("order", Long.parseLong(erpOrderId)).addValue("number", number).addValue("type", type)
                        .addValue("value", value).addValue("key", "KEY-" + number)
                        .addValue("url", "https://erp.example/" + number + ".pdf"), key, new String[] {"id"});
        long id = key.getKey().longValue();
        erp.update("INSERT INTO erp_invoice_item (invoice_id, line_no, sku_id, quantity, unit_price, description) "
                        + "VALUES (:invoice, 1, :sku, :quantity, :price, 'line 1')",
                params().addValue("invoice", id).addValue("sku", sku).addValue("quantity", quantity).addValue("price", unitPrice));
        return id;
    }

    public void shipment(String erpOrderId, String invoiceNumber, String trackingNumber) {
        erp.update("INSERT INTO erp_shipment (erp_order_id, invoice_number, courier, tracking_number, tracking_url, "
                        + "dispatched_at, created_at) VALUES (:order, :number, 'Correios', :tracking, :url, :now, :now)",
                params().addValue("order", Long.parseLong(erpOrderId)).addValue("number", invoiceNumber)
                        .addValue("tracking", trackingNumber).addValue("url", "https://track.example/" + trackingNumber));
    }

    public void delivered(String erpOrderId, String invoiceNumber) {
        erp.update("INSERT INTO erp_tracking_event (erp_order_id, invoice_number, delivered, delivered_at, city, state, "
                        + "description, event_at, created_at) VALUES (:order, :number, TRUE, :now, 'Rio de Janeiro', 'RJ', "
                        + "'Delivered', :now, :now)",
                params().addValue("order", Long.parseLong(erpOrderId)).addValue("number", invoiceNumber));
    }

    public void sellerCancellation(String erpOrderId, String reason) {
        erp.update("INSERT INTO erp_seller_cancellation (erp_order_id, reason, created_at) VALUES (:order, :reason, :now)",
                params().addValue("order", Long.parseLong(erpOrderId)).addValue("reason", reason));
    }

    public int ordersOf(String marketplaceOrderId) {
        return erp.queryForObject("SELECT COUNT(*) FROM erp_order WHERE marketplace_order_id = :id",
                params().addValue("id", marketplaceOrderId), Integer.class);
    }

    private static MapSqlParameterSource params() {
        return new MapSqlParameterSource("now", OffsetDateTime.now(ZoneOffset.UTC));
    }
}
