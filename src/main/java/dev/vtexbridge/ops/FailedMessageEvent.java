package dev.vtexbridge.ops;

import java.util.Map;

/**
 * Published (in the store's transaction) when a message fails for good, is replayed or is discarded, so the features
 * a message belongs to can show it, e.g. on an order's timeline. {@code headers} are the message's, secrets redacted.
 */
public record FailedMessageEvent(long failedMessageId, String routeId, String action, Map<String, Object> headers,
                                 String detail) {
}
