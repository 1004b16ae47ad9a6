package dev.vtexbridge.erp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.erp.ErpOrderEvent.CarrierEvent;
import dev.vtexbridge.erp.ErpOrderEvent.Type;
import dev.vtexbridge.web.StrictJson;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.quartz.QuartzMessage;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The trigger side of {@code routes/seller/erp-order-events.camel.yaml}: turns what the ERP did with orders into
 * {@link ErpOrderEvent}s. Fired by a schedule (empty body), it reads the rows added to the documented ERP tables since
 * the last read (invoices, shipments, tracking events, seller cancellations), oldest first; the read positions are
 * kept in the engine's database and moved on ({@link #commit}) only after the events are on the durable channel, so
 * the ERP is never written to and a crash reads them again (the order leg absorbs the repeats). Fired by a Kafka
 * record or a webhook call, it reads the event JSON (one object or an array) from the body. Events read from the
 * tables name the order's connection ({@code erp_order.connection_id}).
 * <p>
 * The read positions are one cursor for all engine instances: the default schedule is a clustered Quartz trigger
 * with {@code stateful=true} (bridge.erp.order-events.trigger), so one instance at a time reads and moves them on.
 */
@Component("erpOrderEvents")
public class ErpOrderEventReader {

    private static final String POSITIONS = "BridgeErpReadPositions";
    private static final String REJECTED = "BridgeErpEventsRejected";

    private final NamedParameterJdbcTemplate erp;
    private final JdbcTemplate engine;
    private final ObjectMapper json;
    private final StrictJson strict;
    private final ObjectReader treeReader;
    private final Clock clock;
    private final int batch;
    private final Duration settleTime;

    public ErpOrderEventReader(@Qualifier("erpJdbc") NamedParameterJdbcTemplate erp, JdbcTemplate engine, ObjectMapper json,
                               StrictJson strict, Clock clock, @Value("${bridge.erp.order-events.poll-batch}") int batch,
                               @Value("${bridge.erp.order-events.settle-time}") Duration settleTime) {
        this.erp = erp;
        this.engine = engine;
        this.json = json;
        this.strict = strict;
        this.treeReader = json.readerFor(JsonNode.class);
        this.clock = clock;
        this.batch = batch;
        this.settleTime = settleTime;
    }

    /**
     * The events of this trigger: read from the ERP tables (timer) or from the body (Kafka, webhook). A webhook call
     * with an unreadable or incomplete event is answered 400 and nothing of it is taken; from Kafka it fails (stored).
     */
    public List<ErpOrderEvent> read(Exchange exchange) throws IOException {
        Object raw = exchange.getIn().getBody();
        // text (a Kafka record) or the bytes as sent (webhook), which must then be UTF-8
        String text = raw instanceof String s ? s : null;
        byte[] bytes = raw == null || text != null ? null : exchange.getIn().getBody(byte[].class);
        boolean empty = text != null ? text.isBlank()
                : bytes == null || new String(bytes, StandardCharsets.ISO_8859_1).isBlank();
        if (empty) {
            return poll(exchange);
        }
        try {
            // one document within the limits of bridge.http.json
            return parse(text != null ? strict.read(treeReader, text) : strict.<JsonNode>read(treeReader, bytes));
        } catch (IOException | IllegalArgumentException invalid) {
            if (!isWebhook(exchange)) {
                throw invalid;
            }
            exchange.setProperty(REJECTED, json.writeValueAsString(Map.of("error", "invalid_event",
                    "message", String.valueOf(invalid.getMessage()))));
            return List.of();
        }
    }

    private List<ErpOrderEvent> parse(JsonNode tree) throws IOException {
        List<ErpOrderEvent> events = new ArrayList<>();
        for (JsonNode node : tree.isArray() ? tree : List.of(tree)) {
            ErpOrderEvent event = json.treeToValue(node, ErpOrderEvent.class);
            if (!event.problems().isEmpty()) {
                throw new IllegalArgumentException("ERP order event " + node + ": " + String.join("; ", event.problems()));
            }
            events.add(event);
        }
        return events;
    }

    /**
     * One event as the channel message: JSON body, keyed by its order (one order stays in order), and the connection
     * it names as {@value Connection#HEADER} (its failed message, if any, then names it too).
     */
    public void toMessage(Exchange exchange) throws IOException {
        Message message = exchange.getIn();
        ErpOrderEvent event = message.getBody(ErpOrderEvent.class);
        message.setHeader("BridgeMessageKey", event.orderIds().isEmpty() ? null : event.orderIds().get(0));
        if (event.namesConnection()) {
            message.setHeader(Connection.HEADER, event.connection());
        }
        message.setBody(json.writeValueAsString(event));
    }

    /** After the events are on the channel: remember how far the ERP tables were read; answer a webhook. */
    public void commit(Exchange exchange, List<ErpOrderEvent> events) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Long> positions = exchange.getProperty(POSITIONS, Map.class);
        if (positions != null) {
            positions.forEach((source, lastId) -> {
                if (engine.update("UPDATE erp_event_cursor SET last_id = ? WHERE source = ? AND last_id < ?",
                        lastId, source, lastId) == 0 && position(source) < lastId) {
                    engine.update("INSERT INTO erp_event_cursor (source, last_id) VALUES (?, ?)", source, lastId);
                }
            });
        }
        if (isWebhook(exchange)) {
            String rejection = exchange.getProperty(REJECTED, String.class);
            Message answer = exchange.getMessage();
            answer.setHeader(Exchange.HTTP_RESPONSE_CODE, rejection == null ? 202 : 400);
            answer.setHeader(Exchange.CONTENT_TYPE, "application/json");
            answer.setBody(rejection != null ? rejection : json.writeValueAsString(Map.of("accepted", events.size())));
        }
    }

    private static boolean isWebhook(Exchange exchange) {
        return exchange.getIn().getHeader(Exchange.HTTP_METHOD) != null;
    }

    // --- the SQL trigger ----------------------------------------------------------------------------------------

    private record Read(OffsetDateTime createdAt, int rank, long id, ErpOrderEvent event) {
    }

    private List<ErpOrderEvent> poll(Exchange exchange) {
        if (exchange.getIn() instanceof QuartzMessage) {
            // a Quartz tick: its headers (the trigger, job and scheduler objects) are not the events' and stay off the
            // channel messages the split copies them to
            exchange.getIn().removeHeaders("*");
        }
        OffsetDateTime settled = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(settleTime);
        List<Read> reads = new ArrayList<>();
        reads.addAll(invoices(settled));
        reads.addAll(read("erp_shipment", 1, settled, "s.invoice_number, s.courier, s.tracking_number, s.tracking_url, s.dispatched_at",
                (rs, ids) -> new ErpOrderEvent(Type.TRACKING, ids[3], ids[0], ids[1], ids[2], null,
                        new ErpOrderEvent.Tracking(rs.getString("invoice_number"), rs.getString("courier"),
                                rs.getString("tracking_number"), rs.getString("tracking_url"), iso(rs, "dispatched_at")),
                        null, null)));
        reads.addAll(read("erp_tracking_event", 2, settled, "s.invoice_number, s.delivered, s.delivered_at, s.city, s.state, s.description, s.event_at",
                (rs, ids) -> new ErpOrderEvent(Type.TRACKING_STATUS, ids[3], ids[0], ids[1], ids[2], null, null,
                        new ErpOrderEvent.TrackingStatus(rs.getString("invoice_number"), rs.getBoolean("delivered"),
                                iso(rs, "delivered_at"), List.of(new CarrierEvent(rs.getString("city"),
                                rs.getString("state"), rs.getString("description"), iso(rs, "event_at")))), null)));
        reads.addAll(read("erp_seller_cancellation", 3, settled, "s.reason",
                (rs, ids) -> new ErpOrderEvent(Type.CANCELLATION, ids[3], ids[0], ids[1], ids[2], null, null, null,
                        new ErpOrderEvent.Cancellation(rs.getString("reason")))));

        Map<String, Long> positions = new HashMap<>();
        reads.forEach(read -> positions.merge(SOURCES[read.rank()], read.id(), Math::max));
        exchange.setProperty(POSITIONS, positions);
        // Oldest first across the tables, and an invoice before its tracking when both are from the same moment.
        return reads.stream().sorted(Comparator.comparing(Read::createdAt).thenComparingInt(Read::rank)
                .thenComparingLong(Read::id)).map(Read::event).toList();
    }

    private static final String[] SOURCES = {"erp_invoice", "erp_shipment", "erp_tracking_event", "erp_seller_cancellation"};

    @FunctionalInterface
    private interface EventMapper {
        /** {@code ids}: marketplace, ERP and seller order id, and the order's connection. */
        ErpOrderEvent map(ResultSet rs, String[] ids) throws SQLException;
    }

    /** New rows of one event table (table names are constants of this class, never input). */
    private List<Read> read(String table, int rank, OffsetDateTime settled, String columns, EventMapper mapper) {
        return erp.query("SELECT s.id, s.created_at, " + columns + ", o.marketplace_order_id, o.erp_order_id, "
                        + "o.seller_order_id, o.connection_id FROM " + table + " s JOIN erp_order o "
                        + "ON o.erp_order_id = s.erp_order_id WHERE s.id > :after AND s.created_at <= :settled ORDER BY s.id LIMIT :batch",
                params(table, settled), (rs, n) -> new Read(rs.getObject("created_at", OffsetDateTime.class), rank,
                        rs.getLong("id"), mapper.map(rs, ids(rs))));
    }

    private List<Read> invoices(OffsetDateTime settled) {
        Map<Long, Read> byId = new LinkedHashMap<>();
        Map<Long, List<ErpOrderEvent.Item>> items = new HashMap<>();
        erp.query("SELECT s.id, s.created_at, s.invoice_number, s.invoice_type, s.invoice_value, s.issued_at, s.invoice_key, "
                        + "s.invoice_url, s.courier, s.tracking_number, s.tracking_url, o.marketplace_order_id, "
                        + "o.erp_order_id, o.seller_order_id, o.connection_id FROM erp_invoice s JOIN erp_order o "
                        + "ON o.erp_order_id = s.erp_order_id WHERE s.id > :after AND s.created_at <= :settled "
                        + "ORDER BY s.id LIMIT :batch", params("erp_invoice", settled), rs -> {
                    long id = rs.getLong("id");
                    List<ErpOrderEvent.Item> lines = items.computeIfAbsent(id, k -> new ArrayList<>());
                    ErpOrderEvent.Invoice invoice = new ErpOrderEvent.Invoice(rs.getString("invoice_type"),
                            rs.getString("invoice_number"), rs.getLong("invoice_value"), iso(rs, "issued_at"),
                            rs.getString("invoice_key"), rs.getString("invoice_url"), rs.getString("courier"),
                            rs.getString("tracking_number"), rs.getString("tracking_url"), lines);
                    String[] ids = ids(rs);
                    byId.put(id, new Read(rs.getObject("created_at", OffsetDateTime.class), 0, id,
                            new ErpOrderEvent(Type.INVOICE, ids[3], ids[0], ids[1], ids[2], invoice, null, null, null)));
                });
        if (!byId.isEmpty()) {
            erp.query("SELECT invoice_id, sku_id, quantity, unit_price, description FROM erp_invoice_item "
                            + "WHERE invoice_id IN (:ids) ORDER BY invoice_id, line_no",
                    new MapSqlParameterSource("ids", byId.keySet()), rs -> {
                        items.get(rs.getLong("invoice_id")).add(new ErpOrderEvent.Item(rs.getString("sku_id"),
                                rs.getInt("quantity"), rs.getLong("unit_price"), rs.getString("description")));
                    });
        }
        return new ArrayList<>(byId.values());
    }

    private MapSqlParameterSource params(String source, OffsetDateTime settled) {
        return new MapSqlParameterSource().addValue("after", position(source)).addValue("settled", settled)
                .addValue("batch", batch);
    }

    private long position(String source) {
        return engine.queryForList("SELECT last_id FROM erp_event_cursor WHERE source = ?", Long.class, source).stream()
                .findFirst().orElse(0L);
    }

    private static String[] ids(ResultSet rs) throws SQLException {
        return new String[] {rs.getString("marketplace_order_id"), rs.getString("erp_order_id"), rs.getString("seller_order_id"),
                rs.getString("connection_id")};
    }

    private static String iso(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.withOffsetSameInstant(ZoneOffset.UTC).toString();
    }
}
