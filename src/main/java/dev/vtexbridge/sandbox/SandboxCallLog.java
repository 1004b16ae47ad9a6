package dev.vtexbridge.sandbox;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** The last {@code bridge.sandbox.max-recorded-calls} calls to the sandbox, newest first, in memory. */
@Component
@ConditionalOnSandbox
public class SandboxCallLog {

    private final Deque<SandboxCall> calls = new ArrayDeque<>();
    private final int capacity;
    private long lastId;

    public SandboxCallLog(SandboxProperties properties) {
        this.capacity = Math.max(1, properties.maxRecordedCalls());
    }

    /** Keeps the call under the next id, dropping the oldest one when full. */
    public synchronized SandboxCall add(SandboxCall call) {
        SandboxCall numbered = call.withId(++lastId);
        calls.addFirst(numbered);
        if (calls.size() > capacity) {
            calls.removeLast();
        }
        return numbered;
    }

    /** Newest first; {@code pathContains} and {@code method} (any case) narrow the list when given. */
    public synchronized List<SandboxCall> find(String pathContains, String method, int limit) {
        return calls.stream()
                .filter(call -> !StringUtils.hasText(pathContains) || call.path().contains(pathContains))
                .filter(call -> !StringUtils.hasText(method) || call.method().equalsIgnoreCase(method))
                .limit(Math.max(0, limit))
                .toList();
    }

    public synchronized void clear() {
        calls.clear();
    }
}
