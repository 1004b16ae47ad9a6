package dev.vtexbridge.web;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code sort} parameter of a paged list: {@code column} or {@code column,asc|desc}, where the column is one of the
 * names the endpoint allows (its JSON field names). Each allowed name maps to a fixed SQL expression, so no text from
 * the request ever reaches the SQL. A unique tiebreak column keeps pages stable when sort values repeat.
 */
public final class TableSort {

    private final Map<String, String> columns;
    private final String tiebreak;
    private final String defaultSort;

    private TableSort(Map<String, String> columns, String tiebreak, String defaultSort) {
        this.columns = columns;
        this.tiebreak = tiebreak;
        this.defaultSort = defaultSort;
        parse(defaultSort);
    }

    /**
     * @param tiebreak    SQL column that is unique per row, sorted in the same direction as the chosen column
     * @param defaultSort what an absent {@code sort} means, e.g. {@code "lastFailedAt,desc"}
     * @param columns     pairs of API column name and SQL expression, in the order an error message lists them
     */
    public static TableSort of(String tiebreak, String defaultSort, String... columns) {
        if (columns.length % 2 != 0) {
            throw new IllegalArgumentException("columns come in pairs of name and SQL expression");
        }
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; i < columns.length; i += 2) {
            named.put(columns[i], columns[i + 1]);
        }
        return new TableSort(named, tiebreak, defaultSort);
    }

    /** For a list sorted in memory: only the column names and the default matter (use {@link #parse}). */
    public static TableSort inMemory(String defaultSort, String... columns) {
        Map<String, String> named = new LinkedHashMap<>();
        for (String column : columns) {
            named.put(column, column);
        }
        return new TableSort(named, null, defaultSort);
    }

    /** A request's {@code sort}, read: the API column name and the direction. */
    public record Order(String column, boolean descending) {
    }

    /** Reads a request's {@code sort}; null or blank is the default. */
    public Order parse(String sort) {
        String text = sort == null || sort.isBlank() ? defaultSort : sort.trim();
        String[] parts = text.split(",", -1);
        if (parts.length > 2) {
            throw new BadSortException("sort is 'column' or 'column,asc|desc', not '" + text + "'");
        }
        String column = parts[0].trim();
        if (!columns.containsKey(column)) {
            throw new BadSortException("cannot sort by '" + column + "'; sortable columns: " + String.join(", ", columns.keySet()));
        }
        String direction = parts.length == 2 ? parts[1].trim().toLowerCase(Locale.ROOT) : "asc";
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw new BadSortException("sort direction is asc or desc, not '" + parts[1].trim() + "'");
        }
        return new Order(column, direction.equals("desc"));
    }

    /** The {@code ORDER BY} clause (with a leading space) for a request's {@code sort}; null or blank is the default. */
    public String orderBy(String sort) {
        Order order = parse(sort);
        String sql = columns.get(order.column());
        String dir = order.descending() ? "DESC" : "ASC";
        // NULLS LAST in both directions: rows without a value never crowd the first page (same on H2 and PostgreSQL).
        String clause = " ORDER BY " + sql + " " + dir + " NULLS LAST";
        return sql.equals(tiebreak) ? clause : clause + ", " + tiebreak + " " + dir;
    }

    /** An unknown column or direction in {@code sort}: answered 400 {@code bad_sort} by {@link ListRequestErrors}. */
    public static class BadSortException extends RuntimeException {
        public BadSortException(String message) {
            super(message);
        }
    }
}
