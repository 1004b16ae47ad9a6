package dev.vtexbridge.errors;

import java.time.Duration;

/**
 * Asks the error policy to set the message aside and send it back to its route after {@link #delay()}, without
 * holding a thread meanwhile and without counting an attempt (for example: the client-side rate limit is exhausted).
 */
public class RetryLaterException extends RuntimeException {

    private final Duration delay;

    public RetryLaterException(String reason, Duration delay) {
        super(reason);
        this.delay = delay;
    }

    public Duration delay() {
        return delay;
    }
}
