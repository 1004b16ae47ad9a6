package dev.vtexbridge.marketplace;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where each rest-poll order feed was read up to (table {@code marketplace_order_cursor}, one row per connection):
 * none before its first page was taken.
 */
@Component
public class OrderFeedCursors {

    /** What the column holds; a feed whose cursor is longer is refused, not cut (a cut cursor reads the wrong page). */
    static final int MAX_LENGTH = 2000;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public OrderFeedCursors(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<String> find(String connection) {
        List<String> found = jdbc.queryForList("SELECT cursor_value FROM marketplace_order_cursor WHERE connection_id = ?",
                String.class, connection);
        return found.stream().findFirst();
    }

    public void store(String connection, String cursor) {
        if (cursor.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the feed's cursor has " + cursor.length() + " characters; at most "
                    + MAX_LENGTH + " are kept");
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        if (jdbc.update("UPDATE marketplace_order_cursor SET cursor_value = ?, updated_at = ? WHERE connection_id = ?",
                cursor, now, connection) == 0) {
            jdbc.update("INSERT INTO marketplace_order_cursor (connection_id, cursor_value, updated_at) VALUES (?, ?, ?)",
                    connection, cursor, now);
        }
    }
}
