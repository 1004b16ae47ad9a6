package dev.vtexbridge.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

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
 * Guards the ops API with {@code Authorization: Bearer <token>} ({@code bridge.ops.token}). Without a configured
 * token a random one is generated and logged once, so a fresh engine is never open.
 */
public class OpsTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(OpsTokenFilter.class);

    private final byte[] token;
    private final ObjectMapper json;

    public OpsTokenFilter(String configuredToken, ObjectMapper json) {
        String effective = configuredToken;
        if (!StringUtils.hasText(effective)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            effective = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("No BRIDGE_OPS_TOKEN configured; the ops API token for this run is: {}", effective);
        }
        this.token = effective.getBytes(StandardCharsets.UTF_8);
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
        byte[] presented = bearer ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(token, presented)) {
            response.setHeader("WWW-Authenticate", "Bearer");
            ApiError.write(response, json, HttpStatus.UNAUTHORIZED, "unauthorized",
                    "the ops API needs the header Authorization: Bearer <BRIDGE_OPS_TOKEN>");
            return;
        }
        chain.doFilter(request, response);
    }
}
