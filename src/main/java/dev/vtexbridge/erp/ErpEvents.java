package dev.vtexbridge.erp;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.vtexbridge.errors.CapturedMessage;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.web.StrictJson;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Turns whatever a trigger delivers into ERP change events ({@link ErpChange}) of one flow: rows of the SQL change
 * table, JSON from Kafka, JMS or the webhook (one event or an array, read by {@link StrictJson}), CSV files from the
 * drop folder (header line with the event's field names). Checks each event; a bad one fails the whole delivery with
 * every problem named.
 */
@Component("erpEvents")
public class ErpEvents {

    private static final TypeReference<List<ErpChange>> EVENTS = new TypeReference<>() { };
    private final ObjectMapper json;
    private final StrictJson strict;
    private final ObjectReader eventReader;
    private final ObjectReader eventsReader;
    private final CsvMapper csv = new CsvMapper();
    private final long maxDropFileBytes;

    /** {@code json} is the engine's ObjectMapper, whose factory holds the {@link StrictJson} limits. */
    public ErpEvents(ObjectMapper json, StrictJson strict,
                     @Value("${bridge.erp.drop-max-file-bytes:16777216}") long maxDropFileBytes) {
        this.json = json;
        this.strict = strict;
        this.eventReader = json.readerFor(ErpChange.class);
        this.eventsReader = json.readerFor(EVENTS);
        this.maxDropFileBytes = maxDropFileBytes;
    }

    /**
     * Exchange property of a batch delivery: the records that are not valid events (their bodies), each to be failed
     * on its own (failed-message store) while the valid ones of the batch go on.
     */
    public static final String REJECTED = "BridgeRejectedRecords";

    /** Exchange variable of a poll of the SQL change table: the {@code change_id} of every row it read. */
    public static final String CHANGE_IDS = "erpChangeIds";

    /**
     * Flow step: the trigger's body → a list of events of {@code kind}. A batching consumer (Kafka {@code batching=true})
     * delivers a list of exchanges, one per record: the events of all of them, in order; a record that is not valid
     * does not fail the batch but is listed under {@link #REJECTED} (the flow fails each such record on its own).
     */
    public List<ErpChange> read(String kind, Exchange exchange) throws IOException {
        Object body = exchange.getIn().getBody();
        List<ErpChange> events = new ArrayList<>();
        if (body instanceof List<?> batch && !batch.isEmpty() && batch.get(0) instanceof Exchange) {
            List<String> rejected = new ArrayList<>();
            for (Object record : batch) {
                Exchange one = (Exchange) record;
                try {
                    events.addAll(read(kind, one));
                } catch (IOException | RuntimeException e) {
                    rejected.add(one.getIn().getBody(String.class));
                }
            }
            exchange.setProperty(REJECTED, rejected);
            return events;
        }
        if (body instanceof List<?> rows && !rows.isEmpty() && rows.get(0) instanceof Map) {
            return fromChangeRows(kind, rows, exchange);
        }
        if (body instanceof Map<?, ?> row) {
            Object changedAt = row.get("changed_at");
            events.add(ErpChange.of(kind, String.valueOf(row.get("sku_id")), time(changedAt)));
        } else {
            String fileName = exchange.getIn().getHeader(Exchange.FILE_NAME, String.class);
            refuseOversizeFile(fileName, exchange);
            if (fileName != null && fileName.toLowerCase().endsWith(".csv")) {
                String text = exchange.getIn().getBody(String.class);
                CsvSchema schema = CsvSchema.emptySchema().withHeader();
                try (MappingIterator<Map<String, String>> rows = csv.readerFor(Map.class).with(schema).readValues(text)) {
                    while (rows.hasNext()) {
                        events.add(fromCsv(kind, rows.next()));
                    }
                }
            } else if (body instanceof String text) {
                events.addAll(fromJson(text));
            } else {
                // bytes as sent (webhook, a byte[] record): StrictJson refuses those that are not UTF-8
                events.addAll(fromJson(exchange.getIn().getBody(byte[].class)));
            }
        }
        return check(kind, events);
    }

    /**
     * One poll of the SQL change table (rows of {@code change_id, sku_id, changed_at}): one event per SKU, the latest
     * change of it. A row only says "this SKU changed, read it", so ten rows of one SKU in a poll are one read, not ten.
     * The rows' ids go to the exchange variable {@value #CHANGE_IDS}, which the trigger's mark-processed statement names.
     * A row without a SKU does not fail the poll: it is listed under {@link #REJECTED} (the row itself).
     */
    private static List<ErpChange> fromChangeRows(String kind, List<?> rows, Exchange exchange) {
        Map<String, ErpChange> latest = new LinkedHashMap<>();
        List<Object> ids = new ArrayList<>(rows.size());
        List<Object> rejected = new ArrayList<>();
        for (Object item : rows) {
            Map<?, ?> row = (Map<?, ?>) item;
            ids.add(row.get("change_id"));
            Object sku = row.get("sku_id");
            if (sku == null || sku.toString().isBlank()) {
                rejected.add(row);
                continue;
            }
            ErpChange change = ErpChange.of(kind, sku.toString().trim(), time(row.get("changed_at")));
            latest.merge(change.sku(), change, (earlier, later) -> isAfter(earlier, later) ? earlier : later);
        }
        exchange.setVariable(CHANGE_IDS, ids);
        exchange.setProperty(REJECTED, rejected);
        return new ArrayList<>(latest.values());
    }

    private static boolean isAfter(ErpChange one, ErpChange other) {
        return one.updatedAt() != null && (other.updatedAt() == null || one.updatedAt().isAfter(other.updatedAt()));
    }

    /**
     * A dropped file over {@code bridge.erp.drop-max-file-bytes} is refused before it is read: its events never reach
     * memory, and the failed-message store keeps a note of it instead of its content.
     */
    private void refuseOversizeFile(String fileName, Exchange exchange) {
        Long length = exchange.getIn().getHeader(Exchange.FILE_LENGTH, Long.class);
        if (fileName != null && length != null && length > maxDropFileBytes) {
            String reason = "the file " + fileName + " has " + length + " bytes, more than bridge.erp.drop-max-file-bytes ("
                    + maxDropFileBytes + "); split it into smaller files";
            exchange.setProperty(CapturedMessage.BODY_NOT_KEPT, "(not kept: " + reason + ")");
            throw new IllegalArgumentException(reason);
        }
    }

    /**
     * One event or an array of them, read by {@link StrictJson}: one document, within the limits. Straight into the
     * events, without a tree first: this runs for every record of a stock batch.
     */
    private List<ErpChange> fromJson(String text) throws IOException {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty event");
        }
        return text.stripLeading().startsWith("[") ? strict.<List<ErpChange>>read(eventsReader, text)
                : List.of(strict.<ErpChange>read(eventReader, text));
    }

    private List<ErpChange> fromJson(byte[] body) throws IOException {
        int first = 0;
        while (body != null && first < body.length && Character.isWhitespace(body[first])) {
            first++;
        }
        if (body == null || first == body.length) {
            throw new IllegalArgumentException("empty event");
        }
        return body[first] == '[' ? strict.<List<ErpChange>>read(eventsReader, body)
                : List.of(strict.<ErpChange>read(eventReader, body));
    }

    /** Flow step before a channel: the event as JSON, keyed by its SKU ({@code BridgeMessageKey}). */
    public String toChannel(ErpChange change, Exchange exchange) throws IOException {
        exchange.getIn().setHeader("BridgeMessageKey", change.sku());
        return json.writeValueAsString(change);
    }

    /**
     * Flow step after a channel: the JSON event back as an {@link ErpChange}. A record without a SKU (written to the
     * channel by something else than this engine) is refused here, with that reason, not by the database further on.
     */
    public ErpChange fromChannel(String body) throws IOException {
        ErpChange change = json.readValue(body, ErpChange.class);
        if (change == null || change.sku() == null || change.sku().isBlank()) {
            throw new IllegalArgumentException("invalid event on the channel: sku required");
        }
        return change;
    }

    private static ErpChange fromCsv(String kind, Map<String, String> row) {
        return new ErpChange(kind, blankToNull(row.get("sku")), row.get("updatedAt") == null || row.get("updatedAt").isBlank()
                ? null : OffsetDateTime.parse(row.get("updatedAt")), decimal(row.get("price")), decimal(row.get("listPrice")),
                blankToNull(row.get("priceList")), blankToNull(row.get("warehouse")),
                row.get("quantity") == null || row.get("quantity").isBlank() ? null : Integer.valueOf(row.get("quantity").trim()), null);
    }

    private static List<ErpChange> check(String kind, List<ErpChange> events) {
        List<String> problems = new ArrayList<>();
        List<ErpChange> checked = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            ErpChange event = events.get(i);
            if (event == null) {
                problems.add("[" + i + "]: not an event");
                continue;
            }
            if (event.kind() != null && !event.kind().equals(kind)) {
                problems.add("[" + i + "].kind: '" + event.kind() + "' arrived on the " + kind + " trigger");
            }
            if (event.sku() == null || event.sku().isBlank()) {
                problems.add("[" + i + "].sku: required");
            }
            if (event.price() != null && event.price().signum() < 0 || event.listPrice() != null && event.listPrice().signum() < 0) {
                problems.add("[" + i + "].price: not negative");
            }
            if (event.quantity() != null && event.quantity() < 0
                    || event.warehouses() != null && event.warehouses().values().stream().anyMatch(q -> q == null || q < 0)) {
                problems.add("[" + i + "].quantity: a number, not negative");
            }
            if (event.quantity() != null && event.warehouse() == null) {
                problems.add("[" + i + "].warehouse: required with quantity");
            }
            checked.add(event.withKind(kind));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid " + kind + " event: " + String.join("; ", problems));
        }
        return checked;
    }

    private static OffsetDateTime time(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt;
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant().atOffset(ZoneOffset.UTC);
        }
        return null;
    }

    private static BigDecimal decimal(String value) {
        return value == null || value.isBlank() ? null : new BigDecimal(value.trim());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
