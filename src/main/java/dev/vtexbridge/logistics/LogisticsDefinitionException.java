package dev.vtexbridge.logistics;

/** A logistics definition that cannot be used; the message names the file and every field that is wrong. */
public class LogisticsDefinitionException extends IllegalStateException {

    public LogisticsDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
