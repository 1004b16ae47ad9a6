package dev.vtexbridge.vtex;

/**
 * A refusal answered in VTEX's error shape: {@code {"error":{"code","message","exception":null}}} plus the
 * {@code x-vtex-error-code} / {@code x-vtex-error-message} headers, with the given HTTP status.
 */
public class VtexErrorException extends RuntimeException {

    private final int status;
    private final String code;

    public VtexErrorException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** 400 for input that cannot be read or misses what the protocol requires; the message names the field. */
    public static VtexErrorException badRequest(String message) {
        return new VtexErrorException(400, "INVALID_REQUEST", message);
    }
}
