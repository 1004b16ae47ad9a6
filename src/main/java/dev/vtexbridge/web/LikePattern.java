package dev.vtexbridge.web;

/**
 * Patterns for {@code LIKE ? ESCAPE '\'} built from search text, so that {@code %}, {@code _} and {@code \} typed by a
 * user match themselves instead of acting as wildcards.
 */
public final class LikePattern {

    private LikePattern() {
    }

    public static String contains(String text) {
        return "%" + literal(text) + "%";
    }

    public static String endsWith(String text) {
        return "%" + literal(text);
    }

    public static String startsWith(String text) {
        return literal(text) + "%";
    }

    private static String literal(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
