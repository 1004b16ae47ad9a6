package dev.vtexbridge.errors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import dev.vtexbridge.config.ChannelConfiguration;
import dev.vtexbridge.ops.FailedMessageStore;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Messages set aside until a given time and then sent to an endpoint: how the error policy honours HTTP 429
 * {@code Retry-After} without holding a thread or consuming a delivery attempt (the message goes back into the
 * endpoint it entered by), and the outbox through which a database change hands work to a durable channel in the
 * same transaction. Kept in the database, so a restart loses nothing; a timer route ({@code deferred-delivery})
 * sends the due ones. It runs on every engine instance: each message is claimed by one (its row locked, skipped by
 * the others) in the transaction that sends it.
 * <p>
 * A transient failure of a message read from a Kafka channel is deferred here too, after a short retry on the
 * consumer thread ({@link #defersTransient}): its partition goes on with the next message instead of waiting out
 * the whole backoff, and that consumer thread stays free to poll (and to take part in a rebalance). So that no later
 * message of the same key overtakes it, a keyed row holds its key in its route: a message of that key arriving
 * meanwhile is set aside behind it ({@link #isBehindDeferred}), and a row sent back stays (released) until its
 * message has been worked, then {@link #worked} deletes it.
 */
@Component("deferredDeliveries")
public class DeferredDeliveries {

    private static final Logger log = LoggerFactory.getLogger(DeferredDeliveries.class);
    private static final TypeReference<Map<String, Object>> HEADERS = new TypeReference<>() { };
    private static final int BATCH = 200;
    private static final Duration RESEND_FAILURE_BACKOFF = Duration.ofSeconds(30);
    /** A row sent back whose message was not worked within this long (lost on the way) is sent again. */
    private static final Duration RELEASED_UNWORKED = Duration.ofMinutes(10);
    /** A message set aside behind an earlier one of its key waits at least this long. */
    private static final Duration BEHIND_AT_LEAST = Duration.ofSeconds(1);

    /** Header of a message sent back from a keyed row: that row's id, deleted once the message has been worked. */
    public static final String DEFERRED_ID = "BridgeDeferredId";
    /** Header: how many times a channel message's transient failure was deferred so far. */
    public static final String DEFERRED_ATTEMPTS = "BridgeDeferredAttempts";
    /** Exchange property: this exchange set its message aside (again), so its row stays. */
    static final String SET_ASIDE = "BridgeDeferredSetAside";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final ProducerTemplate producer;
    private final SecretRedactor redactor;
    private final Clock clock;
    private final Duration defaultRetryAfter;
    private final FailedMessageStore failedMessages;
    private final String channelTopicPrefix;
    private final int maximumDeferrals;
    private final Duration firstDeferral;
    private final Duration longestDeferral;

    public DeferredDeliveries(JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json, ProducerTemplate producer,
                              SecretRedactor redactor, Clock clock, FailedMessageStore failedMessages,
                              @Value("${bridge.errors.default-retry-after}") long defaultRetryAfterSeconds,
                              @Value("${bridge.channel.prefix}") String channelPrefix,
                              @Value("${bridge.errors.maximum-redeliveries}") int maximumDeferrals,
                              @Value("${bridge.errors.redelivery-delay}") long firstDeferralMs,
                              @Value("${bridge.errors.maximum-redelivery-delay}") long longestDeferralMs) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.producer = producer;
        this.redactor = redactor;
        this.clock = clock;
        this.failedMessages = failedMessages;
        this.defaultRetryAfter = Duration.ofSeconds(defaultRetryAfterSeconds);
        this.channelTopicPrefix = channelPrefix.startsWith("kafka:") ? channelPrefix.substring("kafka:".length()) : null;
        this.maximumDeferrals = maximumDeferrals;
        this.firstDeferral = Duration.ofMillis(firstDeferralMs);
        this.longestDeferral = Duration.ofMillis(longestDeferralMs);
    }

    /**
     * Whether a failure is a transient one of a message read from one of the engine's Kafka channels (the topics
     * under {@code bridge.channel.prefix}): such a failure is deferred here ({@link #deferTransient}) after a short
     * retry on the consumer thread. Messages of other topics (an ERP's, a marketplace's) and of Artemis queues keep
     * the redelivery policy, since sending them back would write to a topic the engine does not own.
     */
    public boolean defersTransient(Exchange exchange) {
        return FailureClassifier.isTransient(FailureClassifier.failureOf(exchange)) && isKafkaChannelMessage(exchange);
    }

    boolean isKafkaChannelMessage(Exchange exchange) {
        return channelTopicPrefix != null && exchange.getFromEndpoint() instanceof KafkaEndpoint kafka
                && kafka.getConfiguration().getTopic() != null
                && kafka.getConfiguration().getTopic().startsWith(channelTopicPrefix);
    }

    /**
     * Sets a channel message whose failure is transient aside for a growing delay ({@code bridge.errors.redelivery-delay},
     * doubling up to {@code maximum-redelivery-delay}), at most {@code maximum-redeliveries} times; after that it goes
     * to the failed-message store as a redelivered failure would. A message sent back from its row keeps that row
     * (and so its place before later messages of its key).
     */
    public void deferTransient(Exchange exchange) throws JsonProcessingException {
        Integer done = exchange.getIn().getHeader(DEFERRED_ATTEMPTS, Integer.class);
        int attempts = done == null ? 1 : done + 1;
        if (attempts > maximumDeferrals) {
            failedMessages.record(exchange);
            return;
        }
        Duration delay = deferralDelay(attempts);
        Throwable failure = FailureClassifier.failureOf(exchange);
        CapturedMessage message = CapturedMessage.of(exchange, redactor);
        Map<String, Object> headers = new LinkedHashMap<>(message.headersToResend());
        headers.put(DEFERRED_ATTEMPTS, attempts);
        headers.remove(DEFERRED_ID);
        Long own = exchange.getIn().getHeader(DEFERRED_ID, Long.class);
        String reason = "transient: " + reasonFor(failure);
        Instant due = clock.instant().plus(delay);
        exchange.setProperty(SET_ASIDE, true);
        if (own != null && jdbc.update("UPDATE deferred_delivery SET due_at = ?, released_at = NULL, headers = ?, reason = ? "
                + "WHERE id = ?", at(due), json.writeValueAsString(headers), reason, own) > 0) {
            log.info("Route {}: {}; message set aside again for {} ms (deferral {} of {})", message.routeId(), reason,
                    delay.toMillis(), attempts, maximumDeferrals);
            return;
        }
        insert(message.routeId(), message.entryEndpoint(), message.body(), headers, reason, due, heldKeyOf(exchange));
        log.info("Route {}: {}; message set aside for {} ms (deferral {} of {})", message.routeId(), reason,
                delay.toMillis(), attempts, maximumDeferrals);
    }

    Duration deferralDelay(int attempt) {
        long ms = firstDeferral.toMillis();
        for (int i = 1; i < attempt && ms < longestDeferral.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, longestDeferral.toMillis()));
    }

    /**
     * Whether a keyed Kafka channel message must wait behind an earlier message of its key that is set aside in its
     * route (a fresh message: any such row; one sent back from its row: an older row).
     */
    public boolean isBehindDeferred(Exchange exchange) {
        return head(exchange) != null;
    }

    /** Sets the message aside behind the earlier message of its key (see {@link #isBehindDeferred}). */
    public void deferBehind(Exchange exchange) throws JsonProcessingException {
        Head head = head(exchange);
        if (head == null) {
            return;
        }
        Instant headDue = head.due();
        Instant earliest = clock.instant().plus(BEHIND_AT_LEAST);
        Instant due = headDue.isAfter(earliest) ? headDue : earliest;
        exchange.setProperty(SET_ASIDE, true);
        String reason = "behind deferred message " + head.id() + " of key " + keyOf(exchange);
        Long own = exchange.getIn().getHeader(DEFERRED_ID, Long.class);
        if (own != null && jdbc.update("UPDATE deferred_delivery SET due_at = ?, released_at = NULL WHERE id = ?", at(due), own) > 0) {
            return;
        }
        CapturedMessage message = CapturedMessage.of(exchange, redactor);
        insert(message.routeId(), message.entryEndpoint(), message.body(), message.headersToResend(), reason, due,
                keyOf(exchange));
        log.debug("Route {}: {}", message.routeId(), reason);
    }

    /**
     * The exchange of a message sent back from a keyed row completed (worked, or its failure stored): the row goes,
     * and with it the hold on later messages of its key. Not when the exchange set its message aside again.
     */
    public void worked(Exchange exchange, Long own) {
        if (own != null && !exchange.getProperty(SET_ASIDE, false, Boolean.class)) {
            jdbc.update("DELETE FROM deferred_delivery WHERE id = ?", own);
        }
    }

    /**
     * A message sent back from a keyed row was parked ({@link ParkedMessages}) and is now in the failed-message store:
     * the row goes, unless it was set aside again meanwhile. Runs in the transaction that stores it.
     */
    public void forget(Long own) {
        if (own != null) {
            jdbc.update("DELETE FROM deferred_delivery WHERE id = ? AND released_at IS NOT NULL", own);
        }
    }

    /** The earliest row set aside for a message's key in its route (before its own row, if it came from one). */
    private record Head(long id, Instant due) {
    }

    private Head head(Exchange exchange) {
        String key = keyOf(exchange);
        if (key == null || !isKafkaChannelMessage(exchange)) {
            return null;
        }
        Long own = exchange.getIn().getHeader(DEFERRED_ID, Long.class);
        List<Head> rows = jdbc.query("SELECT id, due_at FROM deferred_delivery "
                        + "WHERE route_id = ? AND message_key = ? AND id < ? ORDER BY id FETCH FIRST 1 ROWS ONLY",
                (rs, i) -> new Head(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant()),
                exchange.getFromRouteId(), key, own == null ? Long.MAX_VALUE : own);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * The key a row holds: that of the consumer's own exchange. A part of a delivery (one notification split from a
     * batch) is set aside unkeyed: it comes back inside a batch, whose exchange could not release a keyed row.
     */
    private static String heldKeyOf(Exchange exchange) {
        return exchange.getProperty(ExchangePropertyKey.SPLIT_INDEX) != null ? null : keyOf(exchange);
    }

    private static String keyOf(Exchange exchange) {
        return exchange.getIn().getHeader(ChannelConfiguration.MESSAGE_KEY, String.class);
    }

    /** Sets the (original) message of a rate-limited exchange aside until the remote allows it again. */
    public void defer(Exchange exchange) throws JsonProcessingException {
        Throwable failure = FailureClassifier.failureOf(exchange);
        Duration delay = delayFor(failure);
        CapturedMessage message = CapturedMessage.of(exchange, redactor);
        String reason = reasonFor(failure);
        insert(message.routeId(), message.entryEndpoint(), message.body(), message.headersToResend(), reason,
                clock.instant().plus(delay), null);
        log.info("Route {}: {}; message set aside for {} s", message.routeId(), reason, delay.toSeconds());
    }

    /**
     * Queues a message for an endpoint as part of the caller's database transaction (an outbox): it is sent once
     * that transaction committed, by the same poller, and never if it rolled back.
     */
    public void enqueue(String routeId, String endpoint, String body, Map<String, Object> headers, String reason)
            throws JsonProcessingException {
        insert(routeId, endpoint, body, headers, reason, clock.instant(), null);
    }

    private void insert(String routeId, String endpoint, String body, Map<String, Object> headers, String reason,
                        Instant due, String messageKey) throws JsonProcessingException {
        jdbc.update("INSERT INTO deferred_delivery (route_id, endpoint, body, headers, reason, due_at, created_at, message_key) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                routeId, endpoint, body, json.writeValueAsString(headers), reason, at(due), at(clock.instant()), messageKey);
    }

    /** Sends every message whose time has come back into its entry endpoint; returns how many were sent. */
    public int releaseDue() {
        Instant now = clock.instant();
        List<Map<String, Object>> due = jdbc.queryForList(
                "SELECT id, route_id, endpoint, body, headers, message_key FROM deferred_delivery WHERE due_at <= ? "
                        + "AND (released_at IS NULL OR released_at <= ?) ORDER BY due_at, id",
                at(now), at(now.minus(RELEASED_UNWORKED)));
        int sent = 0;
        for (Map<String, Object> row : due.subList(0, Math.min(BATCH, due.size()))) {
            if (release(((Number) row.get("id")).longValue(), (String) row.get("endpoint"), (String) row.get("body"),
                    (String) row.get("headers"), (String) row.get("route_id"), row.get("message_key") != null)) {
                sent++;
            }
        }
        return sent;
    }

    /**
     * Claims the row and sends it in one transaction: a failed send leaves the row for a later try. A row another
     * engine instance holds (sending it now) is skipped, not waited for. An unkeyed row is deleted; a keyed one is
     * marked released and its message carries the row id ({@value #DEFERRED_ID}), so the row keeps holding its key
     * until that message has been worked.
     */
    private boolean release(long id, String endpoint, String body, String headersJson, String routeId, boolean keyed) {
        try {
            Boolean released = tx.execute(status -> {
                if (jdbc.queryForList("SELECT id FROM deferred_delivery WHERE id = ? FOR UPDATE SKIP LOCKED",
                        Long.class, id).isEmpty()) {
                    return false; // another engine instance has it
                }
                Instant now = clock.instant();
                int claimed = keyed
                        ? jdbc.update("UPDATE deferred_delivery SET released_at = ? WHERE id = ? "
                                + "AND (released_at IS NULL OR released_at <= ?)", at(now), id, at(now.minus(RELEASED_UNWORKED)))
                        : jdbc.update("DELETE FROM deferred_delivery WHERE id = ?", id);
                if (claimed == 0) {
                    return false; // another engine instance took it
                }
                Map<String, Object> headers = readHeaders(headersJson);
                if (keyed) {
                    headers.put(DEFERRED_ID, id);
                }
                producer.sendBodyAndHeaders(endpoint, body, headers);
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
