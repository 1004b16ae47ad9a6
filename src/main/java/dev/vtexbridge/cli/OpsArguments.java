package dev.vtexbridge.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vtexbridge.cli.OpsApi.ApiException;
import dev.vtexbridge.cli.OpsCli.Exit;

/** The ops CLI's arguments as the ops API takes them: a query string, and times given as a duration ago. */
final class OpsArguments {

    private static final Pattern AGO = Pattern.compile("(\\d+)\\s*([smhd])");

    private OpsArguments() {
    }

    static String query(Map<String, Object> params) {
        StringBuilder query = new StringBuilder();
        params.forEach((name, value) -> {
            if (value != null && !value.toString().isBlank()) {
                query.append(query.length() == 0 ? '?' : '&').append(name).append('=')
                        .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    /** {@code 2h}, {@code 30m}, {@code 1d}, {@code 45s} (that long ago) or an ISO-8601 instant; null stays null. */
    static String instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher ago = AGO.matcher(text.trim());
        if (ago.matches()) {
            long amount = Long.parseLong(ago.group(1));
            Duration duration = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return Instant.now().minus(duration).toString();
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant().toString();
        } catch (DateTimeParseException e) {
            throw new ApiException(Exit.USAGE, "not a duration (2h, 30m, 1d) nor an ISO-8601 time: " + text);
        }
    }
}
