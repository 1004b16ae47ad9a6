package dev.vtexbridge.sandbox;

import java.time.Instant;
import java.util.Map;

/**
 * One call the sandbox answered, as GET /sandbox/api/calls shows it. Credentials are already redacted: header
 * values whose name says they are secret, and the configured secrets wherever they appear.
 */
public record SandboxCall(long id, Instant at, String method, String path, String query,
                          Map<String, String> headers, String body, int status, String response) {

    SandboxCall withId(long newId) {
        return new SandboxCall(newId, at, method, path, query, headers, body, status, response);
    }
}
