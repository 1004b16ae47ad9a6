package dev.vtexbridge.web;

import org.springframework.core.Ordered;

/**
 * Where the engine's servlet filters run: credential checks first (a caller without them is refused on its headers),
 * then the body limits ({@link RequestBodyLimiter}), both before Spring's own filters could read a body.
 */
public final class FilterOrder {

    public static final int CREDENTIALS = Ordered.HIGHEST_PRECEDENCE + 20;
    public static final int BODY_LIMIT = CREDENTIALS + 10;

    private FilterOrder() {
    }
}
