package dev.vtexbridge.connections;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The app key and token a counterparty presents to us on a connection's endpoints ({@code endpoint.app-key},
 * {@code endpoint.app-token}). Both are secrets: {@link #toString()} never shows them.
 */
public record EndpointCredentials(String appKey, String appToken) {

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
                ConnectionProperties.firstSet(appToken, fallback.appToken));
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "EndpointCredentials[appKey=" + ConnectionProperties.hidden(appKey) + ", appToken="
                + ConnectionProperties.hidden(appToken) + "]";
    }
}
