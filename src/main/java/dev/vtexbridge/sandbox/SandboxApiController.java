package dev.vtexbridge.sandbox;

import java.util.List;

import dev.vtexbridge.sandbox.SuggestionStore.StoredSuggestion;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the sandbox saw, for people and tests: the recorded calls and the suggestions received. Everything here is
 * already redacted, so the API is open like the sandbox itself.
 */
@RestController
@RequestMapping("/sandbox/api")
@ConditionalOnSandbox
class SandboxApiController {

    private final SandboxCallLog calls;
    private final SuggestionStore suggestions;

    SandboxApiController(SandboxCallLog calls, SuggestionStore suggestions) {
        this.calls = calls;
        this.suggestions = suggestions;
    }

    /** Newest first; {@code path} matches any part of the request path, {@code method} ignores case. */
    @GetMapping("/calls")
    List<SandboxCall> calls(@RequestParam(required = false) String path, @RequestParam(required = false) String method,
                            @RequestParam(required = false) Integer limit) {
        return calls.find(path, method, limit == null ? Integer.MAX_VALUE : limit);
    }

    @DeleteMapping("/calls")
    ResponseEntity<Void> clearCalls() {
        calls.clear();
        return ResponseEntity.noContent().build();
    }

    /** Newest first. */
    @GetMapping("/suggestions")
    List<StoredSuggestion> suggestions() {
        return suggestions.all();
    }

    @DeleteMapping("/suggestions")
    ResponseEntity<Void> clearSuggestions() {
        suggestions.clear();
        return ResponseEntity.noContent().build();
    }
}
