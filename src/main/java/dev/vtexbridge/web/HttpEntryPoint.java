package dev.vtexbridge.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

/**
 * One HTTP entry point of the engine: the paths it serves, the largest request body it takes, whether VTEX calls it
 * (then its routes run on threads no other caller can take, see {@link PlatformHttpPools}), and how it answers a
 * refusal. A feature that serves HTTP declares its entry point as a bean; every other path falls under
 * {@code bridge.http.max-body-bytes} with the engine's own error shape.
 */
public record HttpEntryPoint(String name, String pathPrefix, long maxBodyBytes, boolean vtexFacing, Refusals refusals) {

    /** Writes a refusal (413, 408, 401 …) in the entry point's error shape. */
    @FunctionalInterface
    public interface Refusals {
        void write(HttpServletResponse response, int status, String code, String message) throws IOException;
    }

    public boolean serves(String path) {
        return path.startsWith(pathPrefix);
    }
}
