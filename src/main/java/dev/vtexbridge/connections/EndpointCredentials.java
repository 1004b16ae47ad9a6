package dev.vtexbridge.connections;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * The app key and token a counterparty presents to us on a connection's endpoints ({@code endpoint.app-key},
 * {@code endpoint.app-token}); in the marketplace role, the one {@code endpoint.token} VTEX's notifications carry
 * (VTEX cannot send headers there, so it is a query parameter). All are secrets: {@link #toString()} never shows them.
 */
public record EndpointCredentials(String appKey, String appToken, String token) {

    @ConstructorBinding
    public EndpointCredentials {
    }

    /** A seller-role pair, which has no single token. */
    public EndpointCredentials(String appKey, String appToken) {
        this(appKey, appToken, null);
    }

    /** Compares a presented token with {@code endpoint.token} in constant time; false while none is configured. */
    public boolean matchesToken(String presented) {
        return ConnectionProperties.isSet(token) && MessageDigest.isEqual(bytes(token), bytes(presented));
    }

    /** Compares both values in constant time, whichever is wrong, so a caller learns nothing from timing. */
    public boolean matches(String key, String token) {
        boolean keyOk = MessageDigest.isEqual(bytes(appKey), bytes(key));
        boolean tokenOk = MessageDigest.isEqual(bytes(appToken), bytes(token));
        return keyOk & tokenOk;
    }

    /** These values where set, else the fallback's. */
    EndpointCredentials orElse(EndpointCredentials fallback) {
        return fallback == null ? this : new EndpointCredentials(
                ConnectionProperties.firstSet(appKey, fallback.appKey),
                ConnectionProperties.firstSet(appToken, fallback.appToken),
                ConnectionProperties.firstSet(token, fallback.token));
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "EndpointCredentials[appKey=" + ConnectionProperties.hidden(appKey) + ", appToken="
                + ConnectionProperties.hidden(appToken) + (token == null ? "" : ", token=" + ConnectionProperties.hidden(token)) + "]";
    }
}
