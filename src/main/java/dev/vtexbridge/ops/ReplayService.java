package dev.vtexbridge.ops;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.errors.CapturedMessage;
import dev.vtexbridge.ops.FailedMessage.Status;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Sends failed messages back into the endpoint their route consumes from, with their original body and headers.
 * The row is marked REPLAYED before the send, so a replay that fails again at once still lands on the same row as
 * FAILED; a send that cannot even reach the endpoint puts the row back to FAILED.
 */
@Service
public class ReplayService {

    private static final Logger log = LoggerFactory.getLogger(ReplayService.class);
    private static final TypeReference<Map<String, Object>> HEADERS = new TypeReference<>() { };
    /** Entry endpoints that only receive (a caller is waiting on them), so there is nothing to send back into. */
    private static final Set<String> NOT_REPLAYABLE_SCHEMES = Set.of("platform-http", "rest", "timer", "quartz", "servlet");

    private final FailedMessageStore store;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final OpsAudit audit;

    public ReplayService(FailedMessageStore store, ProducerTemplate producer, ObjectMapper json, OpsAudit audit) {
        this.store = store;
        this.producer = producer;
        this.json = json;
        this.audit = audit;
    }

    public enum Outcome { DONE, NOT_FOUND, NOT_FAILED, NOT_REPLAYABLE, SEND_FAILED }

    /** Replays one row and records it in the audit trail. */
    public Outcome replay(long id, String actor) {
        Outcome outcome = replayOne(id, actor);
        audit.record(actor, "REPLAY", "failed-message " + id, outcome.name(), null);
        return outcome;
    }

    /** Replays one row without an audit entry of its own (bulk replays audit the job). */
    Outcome replayOne(long id, String actor) {
        Taken taken = take(id, actor);
        return taken.message() == null ? taken.refusal() : send(taken.message(), actor);
    }

    /** A row taken for replay (marked REPLAYED, not sent yet), or why it could not be taken. */
    record Taken(FailedMessage message, Outcome refusal) {
    }

    /**
     * Marks a FAILED, replayable row REPLAYED — inside the caller's transaction when there is one, so a bulk replay
     * can record "taken, being sent" together with it.
     */
    Taken take(long id, String actor) {
        FailedMessage message = store.find(id).orElse(null);
        if (message == null) {
            return new Taken(null, Outcome.NOT_FOUND);
        }
        if (!isReplayable(message.entryEndpoint())) {
            return new Taken(null, Outcome.NOT_REPLAYABLE);
        }
        if (!store.transition(id, Status.FAILED, Status.REPLAYED, "REPLAYED", actor, "sent to " + message.entryEndpoint())) {
            return new Taken(null, Outcome.NOT_FAILED);
        }
        return new Taken(message, null);
    }

    /** Sends a taken row into its entry endpoint; a send that cannot reach the endpoint puts the row back to FAILED. */
    Outcome send(FailedMessage message, String actor) {
        long id = message.id();
        try {
            Map<String, Object> headers = new CapturedMessage(message.routeId(), message.entryEndpoint(), message.body(),
                    json.readValue(message.headers(), HEADERS)).headersToResend();
            headers.put(CapturedMessage.FAILED_MESSAGE_ID, id);
            producer.sendBodyAndHeaders(message.entryEndpoint(), message.body(), headers);
            log.info("Failed message #{} of route {} replayed into {} by {}", id, message.routeId(), message.entryEndpoint(), actor);
            return Outcome.DONE;
        } catch (JsonProcessingException | RuntimeException e) {
            store.transition(id, Status.REPLAYED, Status.FAILED, "REPLAY_FAILED", actor, e.getMessage());
            log.warn("Failed message #{} could not be replayed into {}: {}", id, message.entryEndpoint(), e.getMessage());
            return Outcome.SEND_FAILED;
        }
    }

    public record BulkResult(long matched, long replayed, long skipped, boolean dryRun) {
    }

    /** Replays every FAILED row the filter selects (up to {@code limit}); with dryRun only counts them. */
    public BulkResult replayAll(FailedMessageFilter filter, int limit, boolean dryRun, String actor) {
        FailedMessageFilter failedOnly = filter.failedOnly();
        if (dryRun) {
            return new BulkResult(Math.min(limit, store.count(failedOnly)), 0, 0, true);
        }
        List<Long> ids = store.ids(failedOnly, limit);
        long replayed = ids.stream().filter(id -> replayOne(id, actor) == Outcome.DONE).count();
        log.info("Bulk replay by {}: {} matched, {} replayed", actor, ids.size(), replayed);
        audit.record(actor, "BULK_REPLAY", describe(failedOnly), "DONE",
                ids.size() + " matched, " + replayed + " replayed, " + (ids.size() - replayed) + " skipped");
        return new BulkResult(ids.size(), replayed, ids.size() - replayed, false);
    }

    public Outcome discard(long id, String actor, String reason) {
        Outcome outcome = store.find(id).isEmpty() ? Outcome.NOT_FOUND
                : store.transition(id, Status.FAILED, Status.DISCARDED, "DISCARDED", actor, reason)
                ? Outcome.DONE : Outcome.NOT_FAILED;
        audit.record(actor, "DISCARD", "failed-message " + id, outcome.name(), reason);
        return outcome;
    }

    /** The filter as the audit trail shows it, e.g. {@code route=r1 since=... error=timeout}. */
    static String describe(FailedMessageFilter filter) {
        StringBuilder text = new StringBuilder("failed-messages");
        // first, so the audit trail's connection filter finds it as " connection=<id>"
        if (filter.connection() != null && !filter.connection().isBlank()) {
            text.append(" connection=").append(filter.connection().trim());
        }
        if (filter.route() != null && !filter.route().isBlank()) {
            text.append(" route=").append(filter.route());
        }
        if (filter.since() != null) {
            text.append(" since=").append(filter.since());
        }
        if (filter.until() != null) {
            text.append(" until=").append(filter.until());
        }
        if (filter.error() != null && !filter.error().isBlank()) {
            text.append(" error=").append(filter.error());
        }
        return text.toString();
    }

    private static boolean isReplayable(String endpoint) {
        int colon = endpoint.indexOf(':');
        return colon > 0 && !NOT_REPLAYABLE_SCHEMES.contains(endpoint.substring(0, colon));
    }
}
