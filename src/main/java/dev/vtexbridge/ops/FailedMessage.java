package dev.vtexbridge.ops;

import java.time.OffsetDateTime;
import java.util.List;

/** One row of the failed-message store, as the ops API shows it. */
public record FailedMessage(
        long id,
        String connection,
        String routeId,
        String entryEndpoint,
        String failedStep,
        String body,
        String headers,
        String errorClass,
        String errorMessage,
        Integer httpStatus,
        int attempts,
        OffsetDateTime firstFailedAt,
        OffsetDateTime lastFailedAt,
        Status status,
        List<Event> history) {

    public enum Status { FAILED, REPLAYED, DISCARDED }

    /** One entry of the row's audit trail: a failure, a replay or a discard. */
    public record Event(OffsetDateTime at, String action, String actor, String detail) {
    }

    FailedMessage withHistory(List<Event> events) {
        return new FailedMessage(id, connection, routeId, entryEndpoint, failedStep, body, headers, errorClass, errorMessage,
                httpStatus, attempts, firstFailedAt, lastFailedAt, status, events);
    }
}
