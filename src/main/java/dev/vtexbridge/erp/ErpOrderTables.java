package dev.vtexbridge.erp;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.connections.Connection;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * The SQL sink of the order leg: writes a released order into the documented ERP tables ({@code erp_order} and its
 * {@code erp_order_item} rows, in one ERP transaction), or marks it cancelled. Idempotent on the connection and the
 * marketplace order id: an order already there is answered with its existing ERP id, so a repeat never writes twice.
 * <p>
 * Each row carries its connection ({@code connection_id}): two marketplaces using the same marketplace order id are two
 * ERP orders. Within one connection, a marketplace order id already naming another seller order is refused, never
 * linked to that other order.
 */
@Component("erpOrderTables")
public class ErpOrderTables {

    private static final Logger log = LoggerFactory.getLogger(ErpOrderTables.class);

    private final NamedParameterJdbcTemplate erp;
    private final ErpTransactions erpTx;
    private final ObjectMapper json;
    private final Clock clock;

    public ErpOrderTables(@Qualifier("erpJdbc") NamedParameterJdbcTemplate erp, ErpTransactions erpTx, ObjectMapper json,
                          Clock clock) {
        this.erp = erp;
        this.erpTx = erpTx;
        this.json = json;
        this.clock = clock;
    }

    /** Writes the message of the exchange ({@link ErpSinkHeaders#EVENT_TYPE} says which) and sets the ERP's answer. */
    public void write(Exchange exchange) throws JsonProcessingException {
        Message message = exchange.getIn();
        String body = message.getBody(String.class);
        if (ErpOrderCancellation.CANCELLED.equals(message.getHeader(ErpSinkHeaders.EVENT_TYPE))) {
            cancel(json.readValue(body, ErpOrderCancellation.class));
            return;
        }
        long erpOrderId = insert(json.readValue(body, ErpOrder.class));
        message.setHeader(ErpSinkHeaders.ERP_ORDER_ID, String.valueOf(erpOrderId));
        message.setHeader(ErpSinkHeaders.ERP_REFERENCE, "erp_order " + erpOrderId);
    }

    /** The ERP id of the order, inserting header and items first when it is not there yet. */
    public long insert(ErpOrder order) {
        try {
            return erpTx.inTransaction(() -> existing(order).orElseGet(() -> create(order)));
        } catch (DuplicateKeyException concurrentTwin) {
            return existing(order).orElseThrow(() -> concurrentTwin);
        }
    }

    private Optional<Long> existing(ErpOrder order) {
        String connection = connectionOf(order.connection());
        return erp.query("SELECT erp_order_id, seller_order_id FROM erp_order WHERE marketplace_order_id = :id "
                        + "AND connection_id = :connection",
                new MapSqlParameterSource("id", order.marketplaceOrderId()).addValue("connection", connection), (rs, n) -> {
                    if (!rs.getString(2).equals(order.sellerOrderId())) {
                        throw new IllegalStateException("erp_order " + rs.getLong(1) + " holds marketplace order "
                                + order.marketplaceOrderId() + " of connection " + connection + " as seller order "
                                + rs.getString(2) + "; order " + order.sellerOrderId() + " has the same marketplace "
                                + "order id on the same connection and cannot be written to the sql sink's erp_order table");
                    }
                    return rs.getLong(1);
                }).stream().findFirst();
    }

    private long create(ErpOrder order) {
        ErpOrder.Customer customer = order.customer();
        ErpOrder.Address address = order.shippingAddress();
        MapSqlParameterSource header = new MapSqlParameterSource()
                .addValue("connection", connectionOf(order.connection()))
                .addValue("marketplaceOrderId", order.marketplaceOrderId())
                .addValue("sellerOrderId", order.sellerOrderId())
                .addValue("email", customer.email())
                .addValue("name", join(customer.firstName(), customer.lastName()))
                .addValue("document", customer.document())
                .addValue("phone", customer.phone())
                .addValue("receiver", address.receiverName())
                .addValue("street", address.street())
                .addValue("number", address.number())
                .addValue("complement", address.complement())
                .addValue("neighborhood", address.neighborhood())
                .addValue("city", address.city())
                .addValue("state", address.state())
                .addValue("postalCode", address.postalCode())
                .addValue("country", address.country())
                .addValue("itemsValue", order.itemsValue())
                .addValue("shippingValue", order.shippingValue())
                .addValue("totalValue", order.totalValue())
                .addValue("createdAt", now());
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        erp.update("INSERT INTO erp_order (connection_id, marketplace_order_id, seller_order_id, status, customer_email, "
                + "customer_name, customer_document, customer_phone, ship_receiver, ship_street, ship_number, ship_complement, "
                + "ship_neighborhood, ship_city, ship_state, ship_postal_code, ship_country, items_value, shipping_value, "
                + "total_value, created_at) VALUES (:connection, :marketplaceOrderId, :sellerOrderId, 'NEW', :email, :name, "
                + ":document, :phone, :receiver, :street, :number, :complement, :neighborhood, :city, :state, :postalCode, "
                + ":country, :itemsValue, :shippingValue, :totalValue, :createdAt)", header, key, new String[] {"erp_order_id"});
        long erpOrderId = key.getKey().longValue();
        List<ErpOrder.Item> items = order.items();
        MapSqlParameterSource[] lines = new MapSqlParameterSource[items.size()];
        for (int i = 0; i < items.size(); i++) {
            ErpOrder.Item item = items.get(i);
            lines[i] = new MapSqlParameterSource().addValue("erpOrderId", erpOrderId).addValue("lineNo", i + 1)
                    .addValue("sku", item.skuId()).addValue("quantity", item.quantity()).addValue("price", item.price())
                    .addValue("shipping", item.shippingPrice()).addValue("sla", item.sla());
        }
        erp.batchUpdate("INSERT INTO erp_order_item (erp_order_id, line_no, sku_id, quantity, unit_price, shipping_price, sla) "
                + "VALUES (:erpOrderId, :lineNo, :sku, :quantity, :price, :shipping, :sla)", lines);
        log.info("ERP order {} written for marketplace order {} of connection {} ({} line(s))", erpOrderId,
                order.marketplaceOrderId(), connectionOf(order.connection()), items.size());
        return erpOrderId;
    }

    private void cancel(ErpOrderCancellation cancellation) {
        int changed = erp.update("UPDATE erp_order SET status = 'CANCELLED', cancelled_at = :at, cancellation_reason = :reason "
                        + "WHERE marketplace_order_id = :id AND connection_id = :connection AND status <> 'CANCELLED'",
                new MapSqlParameterSource().addValue("at", now()).addValue("reason", cancellation.reason())
                        .addValue("id", cancellation.marketplaceOrderId())
                        .addValue("connection", connectionOf(cancellation.connection())));
        log.info("ERP order of marketplace order {} of connection {} {}", cancellation.marketplaceOrderId(),
                connectionOf(cancellation.connection()), changed == 1 ? "cancelled" : "was already cancelled");
    }

    /** A message from before connections existed names none: it is connection default's. */
    private static String connectionOf(String connection) {
        return connection == null || connection.isBlank() ? Connection.DEFAULT : connection;
    }

    private static String join(String first, String last) {
        return ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
