package dev.vtexbridge.config;

import java.time.Duration;
import java.util.List;

import dev.vtexbridge.erp.ErpEvents;

/**
 * The default triggers of the seller flows: a camel-sql poll of the ERP's change table {@code erp_change}, one per
 * flow ({@code bridge.catalog.trigger}, {@code bridge.price.trigger}, {@code bridge.stock.trigger}).
 * <ul>
 *   <li><b>Plain poll</b> (H2, the single-instance demo ERP, and any database that is not PostgreSQL): each poll reads
 *       the pending rows ({@code processed_at IS NULL}); they are marked processed once their events were
 *       handed over. Two instances polling the same table would both hand over the same rows.</li>
 *   <li><b>Claim</b> (PostgreSQL): each poll claims up to {@code bridge.erp.poll-batch} pending rows that no one holds
 *       a lease on ({@code claimed_until} empty or past), in one statement that skips rows another instance is
 *       claiming at the same moment ({@code FOR UPDATE SKIP LOCKED}) and sets their lease. The claim commits before
 *       the rows are handed over, so every instance takes different rows. Rows are still marked processed only after
 *       their events were handed over; rows whose hand-over failed are released at once (retried at the next poll, as
 *       with the plain poll), and a row claimed by an instance that died before handing it over is taken by another once
 *       its lease has run out: nothing is lost, and nothing is taken twice while the lease runs.</li>
 * </ul>
 * Either way one poll is one exchange, its rows as a list ({@code useIterator=false}): {@link ErpEvents#read} makes one
 * event per SKU of them (a row only says the SKU changed; the flow reads its values), so a burst of changes to one SKU
 * costs one hand-over, and one statement marks all the poll's rows processed (or releases their claims).
 * The URIs name {@code ${bridge.erp.poll-interval}} and {@code ${bridge.erp.poll-batch}}, resolved when read.
 */
public final class ErpChangeTriggers {

    /** The flows fed from {@code erp_change}, by the value of its {@code entity} column. */
    public static final List<String> ENTITIES = List.of("catalog", "price", "stock");

    private static final String COLUMNS = "change_id, sku_id, changed_at";
    /** The rows of one poll, by the ids {@link ErpEvents#read} leaves in the exchange variable {@value ErpEvents#CHANGE_IDS}. */
    private static final String POLLED_ROWS = "change_id IN (:#in:" + ErpEvents.CHANGE_IDS + ")";
    private static final String MARK_PROCESSED =
            "onConsume=RAW(UPDATE erp_change SET processed_at = CURRENT_TIMESTAMP WHERE " + POLLED_ROWS + ")";
    // one exchange per poll (useIterator=false): the flow reads a SKU once however often it changed within the poll
    private static final String POLL_OPTIONS =
            "?delay=${bridge.erp.poll-interval}&maxMessagesPerPoll=${bridge.erp.poll-batch}&useIterator=false&";

    private ErpChangeTriggers() {
    }

    /** Whether a JDBC URL points at PostgreSQL, where the triggers claim their rows. */
    public static boolean isPostgres(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** The plain poll of one flow's pending changes (single instance). */
    public static String poll(String entity) {
        return "sql:SELECT " + COLUMNS + " FROM erp_change WHERE entity = '" + checked(entity) + "' AND processed_at IS NULL"
                + " ORDER BY change_id" + POLL_OPTIONS + MARK_PROCESSED;
    }

    /**
     * The claiming poll of one flow's pending changes (PostgreSQL, any number of instances). The statement after
     * {@code sql:} is the claim itself; {@code onConsumeFailed} releases a row whose hand-over failed.
     */
    public static String claim(String entity, Duration lease) {
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("bridge.erp.claim-lease must be a positive duration, was " + lease);
        }
        // No '?' or '#' in the statement: it is the path of the endpoint URI, and '#' would be a parameter.
        return "sql:WITH claimed AS (UPDATE erp_change SET claimed_until = CURRENT_TIMESTAMP + INTERVAL '" + lease.toMillis()
                + " milliseconds' WHERE change_id IN (SELECT change_id FROM erp_change WHERE entity = '" + checked(entity) + "'"
                + " AND processed_at IS NULL AND (claimed_until IS NULL OR claimed_until < CURRENT_TIMESTAMP)"
                + " ORDER BY change_id LIMIT ${bridge.erp.poll-batch} FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS + ")"
                + " SELECT " + COLUMNS + " FROM claimed ORDER BY change_id" + POLL_OPTIONS + MARK_PROCESSED
                + "&onConsumeFailed=RAW(UPDATE erp_change SET claimed_until = NULL WHERE " + POLLED_ROWS + " AND processed_at IS NULL)";
    }

    private static String checked(String entity) {
        if (!ENTITIES.contains(entity)) {
            throw new IllegalArgumentException("not an erp_change entity: " + entity);
        }
        return entity;
    }
}
