package dev.vtexbridge.ops;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.errors.CapturedMessage;
import dev.vtexbridge.errors.FailureClassifier;
import dev.vtexbridge.errors.SecretRedactor;
import dev.vtexbridge.web.TableSort;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The failed-message store: where every message that finally failed ends up, with what is needed to understand
 * it (route, entry endpoint, failing step, error, attempts) and to replay it (original body and headers).
 * The error policy calls {@link #record(Exchange)}; a replayed message that fails again updates its own row.
 * Every failure, replay and discard is also published as a {@link FailedMessageEvent}.
 */
@Component("failedMessages")
public class FailedMessageStore {

    /** Exchange property set on an exchange whose failure is stored here (the flow metrics count it as failed). */
    public static final String RECORDED = "BridgeFailedMessageRecorded";

    private static final Logger log = LoggerFactory.getLogger(FailedMessageStore.class);
    private static final int MAX_ERROR_BODY = 8_000;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final SecretRedactor redactor;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public FailedMessageStore(JdbcTemplate jdbc, ObjectMapper json, SecretRedactor redactor, Clock clock,
                              ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.json = json;
        this.redactor = redactor;
        this.clock = clock;
        this.events = events;
    }

    /** What a failure was, as a row keeps it: where it failed, the error, the HTTP status, the tries, the connection. */
    public record Failure(String step, String errorClass, String errorMessage, Integer httpStatus, int attempts,
                          String connection) {
    }

    /** The failure of an exchange (its original message), as {@link #record} stores it; secrets redacted. */
    public Failure failureOf(Exchange exchange) {
        return failureOf(exchange, CapturedMessage.of(exchange, redactor));
    }

    private Failure failureOf(Exchange exchange, CapturedMessage message) {
        Throwable failure = FailureClassifier.failureOf(exchange);
        HttpOperationFailedException http = FailureClassifier.httpFailure(failure);
        String errorClass = (http != null ? http : failure == null ? new IllegalStateException() : failure).getClass().getName();
        String errorMessage = CapturedMessage.storable(redactor.redact(describe(failure, http)));
        Integer httpStatus = http == null ? null : http.getStatusCode();
        int attempts = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        return new Failure(failedStep(exchange, http, message.routeId()), errorClass, errorMessage, httpStatus, attempts,
                connectionOf(message, exchange));
    }

    /** Stores the failure of an exchange (its original message) and returns the row id. */
    @Transactional
    public long record(Exchange exchange) throws JsonProcessingException {
        exchange.setProperty(RECORDED, true);
        CapturedMessage message = CapturedMessage.of(exchange, redactor);
        Failure failure = failureOf(exchange, message);
        Long replayedId = exchange.getIn().getHeader(CapturedMessage.FAILED_MESSAGE_ID, Long.class);
        return store(message, failure, replayedId, null, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC), "");
    }

    /**
     * A message parked on its channel's dead-letter destination because its failure could not be stored then
     * ({@code dev.vtexbridge.errors.ParkedMessages}): the message as it was read, its failure as it was when parked,
     * the deliveries that failed (attempts), when and why it was parked.
     */
    public record Parked(String parkedId, CapturedMessage message, Failure failure, Long replayedId,
                         OffsetDateTime parkedAt, String why) {
    }

    /**
     * Stores a parked message as a failure, status FAILED (a parked replay updates its own row, as {@link #record}
     * does). Once per parked id: taking the same parked message back again returns the row it made.
     */
    @Transactional
    public long recordParked(Parked parked) throws JsonProcessingException {
        List<Long> done = jdbc.queryForList("SELECT id FROM failed_message WHERE parked_id = ?", Long.class, parked.parkedId());
        if (!done.isEmpty()) {
            log.info("Parked message {} is already failed message #{}", parked.parkedId(), done.get(0));
            return done.get(0);
        }
        CapturedMessage message = parked.message();
        CapturedMessage redacted = new CapturedMessage(message.routeId(), message.entryEndpoint(),
                CapturedMessage.storable(redactor.redact(message.body())), CapturedMessage.redacted(message.headers(), redactor));
        Failure failure = parked.failure();
        Failure kept = new Failure(failure.step(), failure.errorClass(),
                CapturedMessage.storable(failure.errorMessage() + " (" + redactor.redact(parked.why()) + ")"),
                failure.httpStatus(), failure.attempts(), failure.connection());
        return store(redacted, kept, parked.replayedId(), parked.parkedId(), parked.parkedAt(), " (parked)");
    }

    private long store(CapturedMessage message, Failure failure, Long replayedId, String parkedId, OffsetDateTime at,
                       String note) throws JsonProcessingException {
        String step = failure.step();
        String errorMessage = failure.errorMessage();
        int attempts = failure.attempts();
        // A replayed message carries its row id; the route check keeps a later flow's failure off that row.
        if (replayedId != null && replayedAgain(replayedId, message.routeId(), failure, at, parkedId)) {
            addEvent(replayedId, "FAILED", "engine", errorMessage);
            events.publishEvent(new FailedMessageEvent(replayedId, message.routeId(), "FAILED", message.headers(), errorMessage));
            log.warn("Route {} failed again at {} after replay{}: {} (failed message #{})",
                    message.routeId(), step, note, errorMessage, replayedId);
            return replayedId;
        }

        GeneratedKeyHolder key = new GeneratedKeyHolder();
        String headers = json.writeValueAsString(message.headers());
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("INSERT INTO failed_message (route_id, entry_endpoint, failed_step, "
                    + "body, headers, error_class, error_message, http_status, attempts, first_failed_at, last_failed_at, "
                    + "connection_id, status, parked_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'FAILED', ?)", new String[] {"id"});
            ps.setString(1, message.routeId());
            ps.setString(2, message.entryEndpoint());
            ps.setString(3, step);
            ps.setString(4, message.body());
            ps.setString(5, headers);
            ps.setString(6, failure.errorClass());
            ps.setString(7, errorMessage);
            ps.setObject(8, failure.httpStatus());
            ps.setInt(9, attempts);
            ps.setObject(10, at);
            ps.setObject(11, at);
            ps.setString(12, failure.connection());
            ps.setString(13, parkedId);
            return ps;
        }, key);
        long id = key.getKey().longValue();
        addEvent(id, "FAILED", "engine", errorMessage);
        events.publishEvent(new FailedMessageEvent(id, message.routeId(), "FAILED", message.headers(), errorMessage));
        log.warn("Route {} failed at {} after {} attempt(s){}: {} (failed message #{})",
                message.routeId(), step, attempts, note, errorMessage, id);
        return id;
    }

    private boolean replayedAgain(long id, String routeId, Failure failure, OffsetDateTime at, String parkedId) {
        String update = "UPDATE failed_message SET failed_step = ?, error_class = ?, error_message = ?, http_status = ?, "
                + "attempts = attempts + ?, last_failed_at = ?, status = 'FAILED'";
        return parkedId == null
                ? jdbc.update(update + " WHERE id = ? AND route_id = ?", failure.step(), failure.errorClass(),
                        failure.errorMessage(), failure.httpStatus(), failure.attempts(), at, id, routeId) == 1
                : jdbc.update(update + ", parked_id = ? WHERE id = ? AND route_id = ?", failure.step(), failure.errorClass(),
                        failure.errorMessage(), failure.httpStatus(), failure.attempts(), at, parkedId, id, routeId) == 1;
    }

    /**
     * The connection the message carried ({@code BridgeConnection}), else the one its route named on the exchange (a
     * consumer of a connection's own topic or queue: its original message has no such header); else connection default.
     */
    private static String connectionOf(CapturedMessage message, Exchange exchange) {
        Object connection = message.headers().get(Connection.HEADER);
        if (connection == null || connection.toString().isBlank()) {
            connection = exchange.getProperty(Connection.HEADER);
        }
        return connection == null || connection.toString().isBlank() ? Connection.DEFAULT : connection.toString();
    }

    public Optional<FailedMessage> find(long id) {
        return jdbc.query("SELECT * FROM failed_message WHERE id = ?", ROW, id).stream().findFirst()
                .map(row -> row.withHistory(history(id)));
    }

    /** What the list sorts by ({@code sort=attempts,desc}); newest failure first by default. */
    static final TableSort SORT = TableSort.of("id", "lastFailedAt,desc",
            "id", "id", "routeId", "route_id", "status", "status", "attempts", "attempts", "httpStatus", "http_status",
            "firstFailedAt", "first_failed_at", "lastFailedAt", "last_failed_at");

    /** One page of the rows a filter selects; {@code sort} as {@link #SORT} reads it (null: the default). */
    public List<FailedMessage> list(FailedMessageFilter filter, String sort, int page, int size) {
        String orderBy = SORT.orderBy(sort);
        List<Object> params = new ArrayList<>();
        String where = filter.where(params);
        params.add(size);
        params.add((long) page * size);
        return jdbc.query("SELECT * FROM failed_message" + where + orderBy + " LIMIT ? OFFSET ?", ROW, params.toArray());
    }

    public long count(FailedMessageFilter filter) {
        List<Object> params = new ArrayList<>();
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM failed_message" + filter.where(params), Long.class,
                params.toArray());
        return count == null ? 0 : count;
    }

    /** Rows in that status per connection id (a connection with none is left out). */
    public Map<String, Long> countPerConnection(FailedMessage.Status status) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("SELECT connection_id, COUNT(*) FROM failed_message WHERE status = ? GROUP BY connection_id",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                }, status.name());
        return counts;
    }

    /** Ids of the rows a filter selects, oldest failure first. */
    public List<Long> ids(FailedMessageFilter filter, int limit) {
        List<Object> params = new ArrayList<>();
        String where = filter.where(params);
        params.add(limit);
        return jdbc.queryForList("SELECT id FROM failed_message" + where + " ORDER BY last_failed_at, id LIMIT ?",
                Long.class, params.toArray());
    }

    /** Moves a row from one status to another; false when it was not in the expected status. */
    @Transactional
    public boolean transition(long id, FailedMessage.Status from, FailedMessage.Status to, String action, String actor,
                              String detail) {
        if (jdbc.update("UPDATE failed_message SET status = ? WHERE id = ? AND status = ?", to.name(), id, from.name()) == 0) {
            return false;
        }
        addEvent(id, action, actor, detail);
        jdbc.query("SELECT route_id, headers FROM failed_message WHERE id = ?", rs -> {
            events.publishEvent(new FailedMessageEvent(id, rs.getString(1), action, readHeaders(rs.getString(2)),
                    action + " by " + actor + (detail == null ? "" : ": " + detail)));
        }, id);
        return true;
    }

    private Map<String, Object> readHeaders(String headers) {
        try {
            return json.readValue(headers, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private void addEvent(long id, String action, String actor, String detail) {
        jdbc.update("INSERT INTO failed_message_event (failed_message_id, happened_at, action, actor, detail) VALUES (?, ?, ?, ?, ?)",
                id, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC), action, actor, detail);
    }

    private List<FailedMessage.Event> history(long id) {
        return jdbc.query("SELECT happened_at, action, actor, detail FROM failed_message_event WHERE failed_message_id = ? "
                        + "ORDER BY happened_at, id",
                (rs, n) -> new FailedMessage.Event(rs.getObject("happened_at", OffsetDateTime.class),
                        rs.getString("action"), rs.getString("actor"), rs.getString("detail")), id);
    }

    /** The endpoint that failed: for HTTP the full URI called (toD endpoints only know their base), else the endpoint. */
    private static String failedStep(Exchange exchange, HttpOperationFailedException http, String routeId) {
        if (http != null && http.getUri() != null) {
            return URISupport.sanitizeUri(http.getUri());
        }
        String endpoint = exchange.getProperty(ExchangePropertyKey.FAILURE_ENDPOINT, String.class);
        if (endpoint != null) {
            return URISupport.sanitizeUri(endpoint);
        }
        String failureRoute = exchange.getProperty(ExchangePropertyKey.FAILURE_ROUTE_ID, String.class);
        return "route " + (failureRoute != null ? failureRoute : routeId);
    }

    private static String describe(Throwable failure, HttpOperationFailedException http) {
        if (http != null) {
            String body = http.getResponseBody() == null ? "" : http.getResponseBody();
            if (body.length() > MAX_ERROR_BODY) {
                body = body.substring(0, MAX_ERROR_BODY) + "...";
            }
            return "HTTP " + http.getStatusCode() + " from " + URISupport.sanitizeUri(http.getUri()) + ": " + body;
        }
        if (failure == null) {
            return "unknown failure";
        }
        StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    private static final RowMapper<FailedMessage> ROW = (ResultSet rs, int n) -> read(rs);

    private static FailedMessage read(ResultSet rs) throws SQLException {
        return new FailedMessage(rs.getLong("id"), rs.getString("connection_id"), rs.getString("route_id"), rs.getString("entry_endpoint"),
                rs.getString("failed_step"), rs.getString("body"), rs.getString("headers"), rs.getString("error_class"),
                rs.getString("error_message"), (Integer) rs.getObject("http_status", Integer.class),
                rs.getInt("attempts"), rs.getObject("first_failed_at", OffsetDateTime.class),
                rs.getObject("last_failed_at", OffsetDateTime.class), FailedMessage.Status.valueOf(rs.getString("status")),
                List.of());
    }
}
