package dev.vtexbridge.seller;

import java.security.SecureRandom;
import java.util.HexFormat;

import dev.vtexbridge.errors.SecretRedactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The app key and token the marketplace must present on every {@code /pvt/} call (BRIDGE_SELLER_APP_KEY /
 * BRIDGE_SELLER_APP_TOKEN). When they are not configured a random pair is generated and logged once, so the
 * endpoints are never open. They are the endpoint credentials of connection {@code default} unless
 * {@code bridge.connections.default.endpoint.*} overrides them (see {@code Connections}).
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

    public String appKey() {
        return appKey;
    }

    public String appToken() {
        return appToken;
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
