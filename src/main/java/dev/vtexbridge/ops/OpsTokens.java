package dev.vtexbridge.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.vtexbridge.errors.SecretRedactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.StringUtils;

/**
 * The ops tokens, by name: {@code bridge.ops.token} is named {@value #DEFAULT_NAME}, and {@code bridge.ops.tokens}
 * adds one token per name. Without any configured token a random one is generated and logged once, so a fresh engine
 * is never open. They guard the ops API and the actuator's details ({@link OpsTokenFilter}, {@link ActuatorGuard}).
 */
public class OpsTokens {

    public static final String DEFAULT_NAME = "ops";
    private static final Logger log = LoggerFactory.getLogger(OpsTokens.class);

    private final Map<String, byte[]> tokens = new LinkedHashMap<>();

    public OpsTokens(String configuredToken, Map<String, String> namedTokens, SecretRedactor redactor) {
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
            redactor.add(effective);
        }
        if (StringUtils.hasText(effective)) {
            tokens.putIfAbsent(DEFAULT_NAME, effective.trim().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The name of the token an {@code Authorization: Bearer <token>} header presents, if it is one of ours. */
    public Optional<String> nameOf(String authorization) {
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        byte[] presented = bearer ? authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        String name = null;
        for (Map.Entry<String, byte[]> token : tokens.entrySet()) {
            // Compare with every token (constant time each), so the answer time does not tell which one nearly matched.
            if (MessageDigest.isEqual(token.getValue(), presented) && name == null) {
                name = token.getKey();
            }
        }
        return Optional.ofNullable(name);
    }
}
