package dev.vtexbridge.metrics;

import java.util.Locale;

/** How an exchange of a flow ended, as the flow metrics count it. */
enum FlowOutcome {
    /** Completed without failure. */
    COMPLETED,
    /** Failed, or ended in the failed-message store, or answered an HTTP caller with a 5xx. */
    FAILED,
    /** Rate-limited (HTTP 429, client-side throttling) and set aside: it comes back later as a new exchange. */
    DEFERRED;

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
