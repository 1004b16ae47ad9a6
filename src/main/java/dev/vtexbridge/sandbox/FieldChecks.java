package dev.vtexbridge.sandbox;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.sandbox.SandboxError.Violation;

/**
 * Checks the fields of one JSON object of a request body and collects every problem with the path of its field
 * ({@code Images[0].imageUrl}), so that one 400 names all of them. Field names are matched exactly as VTEX's
 * specs spell them. Checks on an object that is itself missing are skipped: its absence is already reported.
 */
final class FieldChecks {

    /** Whole cents, as a JSON integer or as a string of digits (OMS types {@code invoiceValue} as a string). */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d*[.,]\\d+");

    private final JsonNode object;
    private final String prefix;
    private final List<Violation> violations;

    private FieldChecks(JsonNode object, String prefix, List<Violation> violations) {
        this.object = object;
        this.prefix = prefix;
        this.violations = violations;
    }

    /** Checks on a whole request body, which must be a JSON object. */
    static FieldChecks of(JsonNode body) {
        FieldChecks checks = new FieldChecks(body != null && body.isObject() ? body : null, "", new ArrayList<>());
        if (checks.object == null) {
            checks.violations.add(new Violation("(body)", "must be a JSON object"));
        }
        return checks;
    }

    List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** Present, not null, and not a blank string. */
    boolean has(String name) {
        JsonNode value = object == null ? null : object.get(name);
        return value != null && !value.isNull() && !(value.isTextual() && value.asText().isBlank());
    }

    void reject(String name, String problem) {
        violations.add(new Violation(prefix + name, problem));
    }

    String text(String name) {
        return text(name, Integer.MAX_VALUE);
    }

    String text(String name, int maxLength) {
        JsonNode value = required(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            return rejected(name, "must be a non-empty string");
        }
        if (value.asText().length() > maxLength) {
            return rejected(name, "must be at most " + maxLength + " characters (got " + value.asText().length() + ")");
        }
        return value.asText();
    }

    void oneOf(String name, String... allowed) {
        String value = text(name);
        if (value != null && !Arrays.asList(allowed).contains(value)) {
            reject(name, "must be one of " + String.join(", ", allowed) + " (got " + value + ")");
        }
    }

    void matches(String name, Pattern pattern, String description) {
        String value = text(name);
        if (value != null && !pattern.matcher(value).matches()) {
            reject(name, "must be " + description + " (got " + value + ")");
        }
    }

    void httpsUrl(String name) {
        String value = text(name);
        if (value != null && !isHttpsUrl(value)) {
            reject(name, "must be an https URL (got " + value + ")");
        }
    }

    /** An ISO 8601 date-time (with or without offset) or date, as VTEX's examples send them. */
    void isoDate(String name) {
        String value = text(name);
        if (value != null && !isIsoDate(value)) {
            reject(name, "must be an ISO 8601 date-time such as 2024-03-05T10:00:00-03:00 (got " + value + ")");
        }
    }

    void bool(String name) {
        JsonNode value = required(name);
        if (value != null && !value.isBoolean()) {
            reject(name, "must be true or false");
        }
    }

    /** A non-negative JSON number; decimals allowed (dimensions, weight). */
    void number(String name) {
        JsonNode value = required(name);
        if (value != null && (!value.isNumber() || value.asDouble() < 0)) {
            reject(name, "must be a number >= 0");
        }
    }

    void integer(String name, long min) {
        JsonNode value = required(name);
        if (value != null && (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min)) {
            reject(name, "must be an integer >= " + min);
        }
    }

    /** An amount in integer cents: 4990 means 49.90. A decimal is refused, as it is almost always a unit mistake. */
    void cents(String name, long min) {
        JsonNode value = required(name);
        if (value == null) {
            return;
        }
        String raw = value.asText();
        boolean whole = value.isIntegralNumber() && value.canConvertToLong()
                || value.isTextual() && WHOLE_NUMBER.matcher(raw).matches();
        if (whole && Long.parseLong(raw) < min) {
            reject(name, "must be at least " + min + " (integer cents, got " + raw + ")");
        } else if (value.isFloatingPointNumber() || value.isTextual() && DECIMAL.matcher(raw).matches()) {
            reject(name, "must be an integer amount in cents, without decimals (got " + raw + "; e.g. 49.90 is sent as 4990)");
        } else if (!whole) {
            reject(name, "must be an integer amount in cents");
        }
    }

    /** At least one of the fields must be present, e.g. RefId or EAN. */
    void atLeastOne(String... names) {
        if (object != null && Arrays.stream(names).noneMatch(this::has)) {
            reject(String.join("/", names), "at least one of " + String.join(", ", names) + " is required");
        }
    }

    /** A nested object; when it is missing, checks on it are skipped. */
    FieldChecks object(String name) {
        JsonNode value = required(name);
        if (value != null && !value.isObject()) {
            reject(name, "must be an object");
        }
        return new FieldChecks(value != null && value.isObject() ? value : null, prefix + name + ".", violations);
    }

    /** An array of objects with at least {@code minSize} elements, one checker per element. */
    List<FieldChecks> objects(String name, int minSize) {
        JsonNode value = required(name);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray() || value.size() < minSize) {
            reject(name, minSize > 0 ? "must be an array with at least " + minSize + " element(s)" : "must be an array");
            return List.of();
        }
        List<FieldChecks> elements = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            String path = prefix + name + "[" + i + "]";
            if (!value.get(i).isObject()) {
                violations.add(new Violation(path, "must be an object"));
            }
            elements.add(new FieldChecks(value.get(i).isObject() ? value.get(i) : null, path + ".", violations));
        }
        return elements;
    }

    /** The field's value, or null after recording that it is missing. */
    private JsonNode required(String name) {
        if (object == null) {
            return null;
        }
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            reject(name, "is required");
            return null;
        }
        return value;
    }

    private String rejected(String name, String problem) {
        reject(name, problem);
        return null;
    }

    private static boolean isHttpsUrl(String value) {
        try {
            URI uri = new URI(value);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isIsoDate(String value) {
        for (DateTimeFormatter format : List.of(DateTimeFormatter.ISO_DATE_TIME, DateTimeFormatter.ISO_DATE)) {
            try {
                format.parse(value);
                return true;
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return false;
    }
}
