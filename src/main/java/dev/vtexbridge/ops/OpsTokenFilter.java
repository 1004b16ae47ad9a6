package dev.vtexbridge.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.web.ApiError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the ops API with {@code Authorization: Bearer <token>}. The tokens are named: {@code bridge.ops.token} is
 * named {@value #DEFAULT_NAME}, and {@code bridge.ops.tokens} adds one token per name. The name of the token a request
 * presented is its actor in the audit trail (request attribute {@link #ACTOR}). Without any configured token a random
 * one is generated and logged once, so a fresh engine is never open.
 */
public class OpsTokenFilter extends OncePerRequestFilter {

    /** Request attribute holding the name of the token the request presented. */
    public static final String ACTOR = OpsTokenFilter.class.getName() + ".actor";
    public static final String DEFAULT_NAME = "ops";

    private static final Logger log = LoggerFactory.getLogger(OpsTokenFilter.class);

    private final Map<String, byte[]> tokens = new LinkedHashMap<>();
    private final ObjectMapper json;

    public OpsTokenFilter(String configuredToken, ObjectMapper json) {
        this(configuredToken, Map.of(), json);
    }

    public OpsTokenFilter(String configuredToken, Map<String, String> namedTokens, ObjectMapper json) {
        namedTokens.forEach((name, token) -> {
            if (StringUtils.hasText(token)) {
                tokens.put(name, token.trim().getBytes(StandardCharsets.UTF_8));
            }
        });
        String effective = configuredToken;
        if (!StringUtils.hasText(effective) && tokens.isEmpty()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            effective = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("No BRIDGE_OPS_TOKEN configured; the ops API token for this run is: {}", effective);
        }
        if (StringUtils.hasText(effective)) {
            tokens.putIfAbsent(DEFAULT_NAME, effective.getBytes(StandardCharsets.UTF_8));
        }
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
        byte[] presented = bearer ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        String actor = null;
        for (Map.Entry<String, byte[]> token : tokens.entrySet()) {
            // Compare with every token (constant time each), so the answer time does not tell which one nearly matched.
            if (MessageDigest.isEqual(token.getValue(), presented) && actor == null) {
                actor = token.getKey();
            }
        }
        if (actor == null) {
            response.setHeader("WWW-Authenticate", "Bearer");
            ApiError.write(response, json, HttpStatus.UNAUTHORIZED, "unauthorized",
                    "the ops API needs the header Authorization: Bearer <BRIDGE_OPS_TOKEN>");
            return;
        }
        request.setAttribute(ACTOR, actor);
        chain.doFilter(request, response);
    }

    /** The actor of a request that passed the filter. */
    public static String actorOf(HttpServletRequest request) {
        Object actor = request.getAttribute(ACTOR);
        return actor == null ? "unknown" : actor.toString();
    }
}
