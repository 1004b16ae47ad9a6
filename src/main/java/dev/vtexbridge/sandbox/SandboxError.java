package dev.vtexbridge.sandbox;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The sandbox's 400 body: the engine's {@link dev.vtexbridge.web.ApiError} shape plus every offending field, so a
 * flow author sees all that is wrong with a request at once.
 */
public record SandboxError(int status, String error, String message, List<Violation> violations) {

    /** One field that VTEX would refuse, named by its path in the body ({@code Images[0].imageUrl}). */
    public record Violation(String field, String problem) {

        @Override
        public String toString() {
            return field + ": " + problem;
        }
    }

    public static ResponseEntity<SandboxError> invalid(List<Violation> violations) {
        String message = violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                .body(new SandboxError(HttpStatus.BAD_REQUEST.value(), "invalid_request", message, violations));
    }

    public static ResponseEntity<SandboxError> invalid(String field, String problem) {
        return invalid(List.of(new Violation(field, problem)));
    }
}
