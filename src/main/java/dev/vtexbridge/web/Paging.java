package dev.vtexbridge.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The {@code page} and {@code size} parameters of every paged ops list, bounded by {@code bridge.ops.max-page-size}. */
@Component
public class Paging {

    private final int maxPageSize;

    Paging(@Value("${bridge.ops.max-page-size}") int maxPageSize) {
        this.maxPageSize = maxPageSize;
    }

    /** Refuses a negative page or a size outside 1..max-page-size: answered 400 {@code bad_paging} by {@link ListRequestErrors}. */
    public void check(int page, int size) {
        if (page < 0 || size < 1 || size > maxPageSize) {
            throw new BadPagingException("page must be >= 0 and size between 1 and " + maxPageSize);
        }
    }

    public static class BadPagingException extends RuntimeException {
        public BadPagingException(String message) {
            super(message);
        }
    }
}
