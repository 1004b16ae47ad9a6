package dev.vtexbridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.vtexbridge.errors.SecretRedactor;
import org.springframework.stereotype.Component;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Turns an answered request into a {@link SandboxCall}: the headers that tell how a flow called VTEX, and the
 * bodies cut to {@code bridge.sandbox.max-recorded-body} characters, all passed through the {@link SecretRedactor}.
 */
@Component
@ConditionalOnSandbox
class CallRecorder {

    /** Besides these, every {@code x-vtex-*} header is kept. Names are recorded in lower case. */
    private static final Set<String> RECORDED_HEADERS = Set.of("content-type", "accept", "authorization", "vtexidclientautcookie");

    private final SecretRedactor redactor;
    private final Clock clock;
    private final int maxBody;

    CallRecorder(SecretRedactor redactor, Clock clock, SandboxProperties properties) {
        this.redactor = redactor;
        this.clock = clock;
        this.maxBody = properties.maxRecordedBody();
    }

    SandboxCall capture(ContentCachingRequestWrapper request, ContentCachingResponseWrapper response) {
        return new SandboxCall(0, clock.instant(), request.getMethod(), request.getRequestURI(),
                redactor.redact(request.getQueryString()), headers(request),
                text(request.getContentAsByteArray()), response.getStatus(), text(response.getContentAsByteArray()));
    }

    private Map<String, String> headers(ContentCachingRequestWrapper request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT); // header names ignore case, so the log shows one spelling
            if (RECORDED_HEADERS.contains(lower) || lower.startsWith("x-vtex-")) {
                headers.put(lower, redactor.isSecretName(name) ? SecretRedactor.REDACTED : redactor.redact(request.getHeader(name)));
            }
        }
        return headers;
    }

    private String text(byte[] content) {
        String text = redactor.redact(new String(content, StandardCharsets.UTF_8));
        return text.length() > maxBody ? text.substring(0, maxBody) + "...(cut)" : text;
    }
}
