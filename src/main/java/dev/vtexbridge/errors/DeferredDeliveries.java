package dev.vtexbridge.errors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Messages set aside until a given time and then sent to an endpoint: how the error policy honours HTTP 429
 * {@code Retry-After} without holding a thread or consuming a delivery attempt (the message goes back into the
 * endpoint it entered by), and the outbox through which a database change hands work to a durable channel in the
 * same transaction. Kept in the database, so a restart loses nothing; a timer route ({@code deferred-delivery})
 * sends the due ones. It runs on every engine instance: each message is claimed by one (its row locked, skipped by
 * the others) and deleted in the transaction that sends it.
 */
@Component("deferredDeliveries")
public class DeferredDeliveries {

    private static final Logger log = LoggerFactory.getLogger(DeferredDeliveries.class);
    private static final TypeReference<Map<String, Object>> HEADERS = new TypeReference<>() { };
    private static final int BATCH = 200;
    private static final Duration RESEND_FAILURE_BACKOFF = Duration.ofSeconds(30);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final ProducerTemplate producer;
    private final SecretRedactor redactor;
    private final Clock clock;
    private final Duration defaultRetryAfter;

    public DeferredDeliveries(JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json, ProducerTemplate producer,
                              SecretRedactor redactor, Clock clock,
                              @Value("${bridge.errors.default-retry-after}") long defaultRetryAfterSeconds) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.producer = producer;
        this.redactor = redactor;
        this.clock = clock;
        this.defaultRetryAfter = Duration.ofSeconds(defaultRetryAfterSeconds);
    }

    /** Sets the (original) message of a rate-limited exchange aside until the remote allows it again. */
    public void defer(Exchange exchange) throws JsonProcessingException {
        Throwable failure = FailureClassifier.failureOf(exchange);
        Duration delay = delayFor(failure);
        CapturedMessage message = CapturedMessage.of(exchange, redactor);
        String reason = reasonFor(failure);
        insert(message.routeId(), message.entryEndpoint(), message.body(), message.headersToResend(), reason, delay);
        log.info("Route {}: {}; message set aside for {} s", message.routeId(), reason, delay.toSeconds());
    }

    /**
     * Queues a message for an endpoint as part of the caller's database transaction (an outbox): it is sent once
     * that transaction committed, by the same poller, and never if it rolled back.
     */
    public void enqueue(String routeId, String endpoint, String body, Map<String, Object> headers, String reason)
            throws JsonProcessingException {
        insert(routeId, endpoint, body, headers, reason, Duration.ZERO);
    }

    private void insert(String routeId, String endpoint, String body, Map<String, Object> headers, String reason,
                        Duration delay) throws JsonProcessingException {
        Instant now = clock.instant();
        jdbc.update("INSERT INTO deferred_delivery (route_id, endpoint, body, headers, reason, due_at, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                routeId, endpoint, body, json.writeValueAsString(headers), reason, at(now.plus(delay)), at(now));
    }

    /** Sends every message whose time has come back into its entry endpoint; returns how many were sent. */
    public int releaseDue() {
        List<Map<String, Object>> due = jdbc.queryForList(
                "SELECT id, route_id, endpoint, body, headers FROM deferred_delivery WHERE due_at <= ? ORDER BY due_at",
                at(clock.instant()));
        int sent = 0;
        for (Map<String, Object> row : due.subList(0, Math.min(BATCH, due.size()))) {
            if (release(((Number) row.get("id")).longValue(), (String) row.get("endpoint"), (String) row.get("body"),
                    (String) row.get("headers"), (String) row.get("route_id"))) {
                sent++;
            }
        }
        return sent;
    }

    /**
     * Claims the row (locked, then deleted) and sends it in one transaction: a failed send leaves the row for a later
     * try. A row another engine instance holds (sending it now) is skipped, not waited for; one it sent is gone.
     */
    private boolean release(long id, String endpoint, String body, String headersJson, String routeId) {
        try {
            Boolean released = tx.execute(status -> {
                if (jdbc.queryForList("SELECT id FROM deferred_delivery WHERE id = ? FOR UPDATE SKIP LOCKED",
                        Long.class, id).isEmpty()) {
                    return false; // another engine instance has it
                }
                jdbc.update("DELETE FROM deferred_delivery WHERE id = ?", id);
                producer.sendBodyAndHeaders(endpoint, body, readHeaders(headersJson));
                return true;
            });
            return Boolean.TRUE.equals(released);
        } catch (RuntimeException e) {
            log.warn("Route {}: could not resend deferred message {} to {}: {}; trying again in {} s",
                    routeId, id, endpoint, e.getMessage(), RESEND_FAILURE_BACKOFF.toSeconds());
            jdbc.update("UPDATE deferred_delivery SET due_at = ? WHERE id = ?",
                    at(clock.instant().plus(RESEND_FAILURE_BACKOFF)), id);
            return false;
        }
    }

    public int pendingCount() {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM deferred_delivery", Integer.class);
        return count == null ? 0 : count;
    }

    Duration delayFor(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetryLaterException later) {
                return later.delay();
            }
            if (t instanceof HttpOperationFailedException http) {
                return RetryAfter.header(http.getResponseHeaders())
                        .flatMap(value -> RetryAfter.parse(value, clock))
                        .orElse(defaultRetryAfter);
            }
        }
        return defaultRetryAfter;
    }

    private static String reasonFor(Throwable failure) {
        HttpOperationFailedException http = FailureClassifier.httpFailure(failure);
        if (http != null) {
            return "HTTP " + http.getStatusCode() + " from " + http.getUri();
        }
        return failure == null ? "retry later" : failure.getMessage();
    }

    private Map<String, Object> readHeaders(String headersJson) {
        try {
            return json.readValue(headersJson, HEADERS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable headers of a deferred message", e);
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
