package dev.vtexbridge.seller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import dev.vtexbridge.errors.SecretRedactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The app key and token the marketplace must present on every {@code /pvt/} call (BRIDGE_SELLER_APP_KEY /
 * BRIDGE_SELLER_APP_TOKEN). When they are not configured a random pair is generated and logged once, so the
 * endpoints are never open; the built-in sandbox uses the same pair.
 */
@Component
public class SellerCredentials {

    private static final Logger log = LoggerFactory.getLogger(SellerCredentials.class);

    private final String appKey;
    private final String appToken;

    public SellerCredentials(SellerProperties seller, SecretRedactor redactor) {
        boolean configured = notBlank(seller.appKey()) && notBlank(seller.appToken());
        this.appKey = configured ? seller.appKey() : "vtexappkey-bridge-" + random(6);
        this.appToken = configured ? seller.appToken() : random(32);
        if (!configured) {
            log.warn("No BRIDGE_SELLER_APP_KEY/BRIDGE_SELLER_APP_TOKEN configured; the seller endpoints accept for "
                    + "this run: key {} token {}", appKey, appToken);
            redactor.add(appToken);
        }
    }

    /** Compares both values in constant time, whichever is wrong, so a caller learns nothing from timing. */
    public boolean matches(String key, String token) {
        boolean keyOk = MessageDigest.isEqual(bytes(appKey), bytes(key));
        boolean tokenOk = MessageDigest.isEqual(bytes(appToken), bytes(token));
        return keyOk & tokenOk;
    }

    public String appKey() {
        return appKey;
    }

    public String appToken() {
        return appToken;
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
