package dev.vtexbridge.ops;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.vtexbridge.web.LikePattern;
import dev.vtexbridge.web.TableSort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The operators' audit trail ({@code ops_audit}): every replay, discard, mapping reload and route reload, with who
 * asked (the name of the ops token), when, on what, and the result. Listed at {@code GET /ops/api/audit}.
 */
@Component
public class OpsAudit {

    private static final int MAX_DETAIL = 8_000;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public OpsAudit(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public record Entry(long id, OffsetDateTime happenedAt, String actor, String action, String target, String result,
                        String detail) {
    }

    public void record(String actor, String action, String target, String result, String detail) {
        String text = detail != null && detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "..." : detail;
        jdbc.update("INSERT INTO ops_audit (happened_at, actor, action, target, result, detail) VALUES (?, ?, ?, ?, ?, ?)",
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC), actor == null ? "unknown" : actor,
                action, target, result, text);
    }

    /** What the trail sorts by ({@code sort=actor}); newest first by default. */
    static final TableSort SORT = TableSort.of("id", "happenedAt,desc", "id", "id", "happenedAt", "happened_at",
            "actor", "actor", "action", "action", "target", "target", "result", "result");

    /**
     * Entries about one connection's things: a replay or discard of one of its failed messages, a release of one of its
     * orders, a bulk replay or replay job filtered on it ({@code connection=<id>} in the target or the job's filter).
     * Engine-wide actions (mapping and route reloads, bulk replays over every connection) are about none.
     */
    private static final String ABOUT_CONNECTION = """
            (target IN (SELECT 'failed-message ' || CAST(id AS VARCHAR(20)) FROM failed_message WHERE connection_id = ?)
             OR target IN (SELECT 'order ' || order_id FROM seller_order WHERE connection_id = ?)
             OR target IN (SELECT 'order ' || marketplace_order_id FROM seller_order WHERE connection_id = ?)
             OR target IN (SELECT 'order ' || erp_order_id FROM seller_order WHERE connection_id = ? AND erp_order_id IS NOT NULL)
             OR target LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\'
             OR target IN (SELECT 'replay-job ' || CAST(id AS VARCHAR(20)) FROM replay_job
                           WHERE filter LIKE ? ESCAPE '\\' OR filter LIKE ? ESCAPE '\\'))""";

    /** The filters of the trail; each is optional (action and actor exact, target a substring, connection as above). */
    public record Filter(String action, String actor, String target, OffsetDateTime since, String connection) {
    }

    /** {@code sort} as {@link #SORT} reads it. */
    public List<Entry> list(Filter filter, String sort, int page, int size) {
        String orderBy = SORT.orderBy(sort);
        List<Object> params = new ArrayList<>();
        String where = where(filter, params);
        params.add(size);
        params.add((long) page * size);
        return jdbc.query("SELECT * FROM ops_audit" + where + orderBy + " LIMIT ? OFFSET ?",
                (rs, n) -> new Entry(rs.getLong("id"), rs.getObject("happened_at", OffsetDateTime.class),
                        rs.getString("actor"), rs.getString("action"), rs.getString("target"), rs.getString("result"),
                        rs.getString("detail")), params.toArray());
    }

    public long count(Filter filter) {
        List<Object> params = new ArrayList<>();
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM ops_audit" + where(filter, params),
                Long.class, params.toArray());
        return count == null ? 0 : count;
    }

    private static String where(Filter filter, List<Object> params) {
        String action = filter.action();
        String actor = filter.actor();
        String target = filter.target();
        OffsetDateTime since = filter.since();
        List<String> terms = new ArrayList<>();
        if (action != null && !action.isBlank()) {
            terms.add("action = ?");
            params.add(action);
        }
        if (actor != null && !actor.isBlank()) {
            terms.add("actor = ?");
            params.add(actor);
        }
        if (target != null && !target.isBlank()) {
            terms.add("target LIKE ? ESCAPE '\\'");
            params.add(LikePattern.contains(target));
        }
        if (since != null) {
            terms.add("happened_at >= ?");
            params.add(since);
        }
        if (filter.connection() != null && !filter.connection().isBlank()) {
            String connection = filter.connection().trim();
            terms.add(ABOUT_CONNECTION);
            for (int i = 0; i < 4; i++) {
                params.add(connection);
            }
            for (int i = 0; i < 2; i++) {
                params.add(LikePattern.endsWith(" connection=" + connection));
                params.add(LikePattern.contains(" connection=" + connection + " "));
            }
        }
        return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
    }
}
