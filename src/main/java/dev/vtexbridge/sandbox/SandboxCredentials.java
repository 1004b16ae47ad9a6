package dev.vtexbridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import dev.vtexbridge.vtex.VtexApi;
import dev.vtexbridge.vtex.VtexProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Checks a caller's credentials the way VTEX does: an app key and token pair ({@code X-VTEX-API-AppKey} +
 * {@code X-VTEX-API-AppToken}) or a user token ({@code VtexIdclientAutCookie}).
 * <ul>
 *   <li>With {@code bridge.vtex.app-key} configured, the sandbox is the marketplace that issued that key: a call
 *   without credentials is {@link Verdict#MISSING} (401), a pair other than the configured one is
 *   {@link Verdict#WRONG} (403). A user token cannot be verified offline, so any non-empty one is accepted.</li>
 *   <li>Without an app key (the default offline run) the flows send no credentials at all (see {@link VtexApi}),
 *   so the sandbox accepts every call.</li>
 * </ul>
 */
@Component
@ConditionalOnSandbox
class SandboxCredentials {

    static final String USER_TOKEN_HEADER = "VtexIdclientAutCookie";

    enum Verdict { ACCEPTED, MISSING, WRONG }

    private final byte[] appKey;
    private final byte[] appToken;

    SandboxCredentials(VtexProperties vtex) {
        this.appKey = StringUtils.hasText(vtex.appKey()) ? bytes(vtex.appKey()) : null;
        this.appToken = bytes(vtex.appToken());
    }

    Verdict check(HttpServletRequest request) {
        if (appKey == null) {
            return Verdict.ACCEPTED;
        }
        String key = request.getHeader(VtexApi.APP_KEY_HEADER);
        String token = request.getHeader(VtexApi.APP_TOKEN_HEADER);
        if (StringUtils.hasText(key) && StringUtils.hasText(token)) {
            // Both compared in constant time, and both always, so the answer time tells nothing about either.
            boolean keyMatches = MessageDigest.isEqual(appKey, bytes(key));
            boolean tokenMatches = MessageDigest.isEqual(appToken, bytes(token));
            return keyMatches & tokenMatches ? Verdict.ACCEPTED : Verdict.WRONG;
        }
        return StringUtils.hasText(request.getHeader(USER_TOKEN_HEADER)) ? Verdict.ACCEPTED : Verdict.MISSING;
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }
}
