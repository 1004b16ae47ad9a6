package dev.vtexbridge.orders;

import java.time.Duration;
import java.util.Optional;

/** Reads a VTEX {@code lockTTL} such as {@code 8d}, {@code 12h}, {@code 30m} or {@code 2bd} (business days as days). */
final class LockTtl {

    private LockTtl() {
    }

    static Optional<Duration> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String text = value.trim().toLowerCase(java.util.Locale.ROOT);
        int digits = 0;
        while (digits < text.length() && Character.isDigit(text.charAt(digits))) {
            digits++;
        }
        if (digits == 0 || digits > 6) {
            return Optional.empty();
        }
        long amount = Long.parseLong(text.substring(0, digits));
        return switch (text.substring(digits)) {
            case "d", "bd" -> Optional.of(Duration.ofDays(amount));
            case "h" -> Optional.of(Duration.ofHours(amount));
            case "m" -> Optional.of(Duration.ofMinutes(amount));
            case "s" -> Optional.of(Duration.ofSeconds(amount));
            default -> Optional.empty();
        };
    }
}
