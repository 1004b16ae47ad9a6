package dev.vtexbridge.ops;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.vtexbridge.web.LikePattern;

/** The filters of the failed-message list and of bulk replay; every field is optional. */
public record FailedMessageFilter(String route, FailedMessage.Status status, OffsetDateTime since,
                                  OffsetDateTime until, String error, String connection) {

    /** Every row in a status. */
    public static FailedMessageFilter ofStatus(FailedMessage.Status status) {
        return new FailedMessageFilter(null, status, null, null, null, null);
    }

    /** The same filter narrowed to rows that can still be replayed. */
    FailedMessageFilter failedOnly() {
        return new FailedMessageFilter(route, FailedMessage.Status.FAILED, since, until, error, connection);
    }

    /** A WHERE clause with bound parameters (never values in the SQL text). */
    String where(List<Object> params) {
        List<String> conditions = new ArrayList<>();
        if (route != null && !route.isBlank()) {
            conditions.add("route_id = ?");
            params.add(route);
        }
        if (connection != null && !connection.isBlank()) {
            conditions.add("connection_id = ?");
            params.add(connection);
        }
        if (status != null) {
            conditions.add("status = ?");
            params.add(status.name());
        }
        if (since != null) {
            conditions.add("last_failed_at >= ?");
            params.add(since);
        }
        if (until != null) {
            conditions.add("last_failed_at < ?");
            params.add(until);
        }
        if (error != null && !error.isBlank()) {
            conditions.add("(LOWER(error_message) LIKE ? ESCAPE '\\' OR LOWER(error_class) LIKE ? ESCAPE '\\')");
            String pattern = LikePattern.contains(error.toLowerCase(Locale.ROOT));
            params.add(pattern);
            params.add(pattern);
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }
}
