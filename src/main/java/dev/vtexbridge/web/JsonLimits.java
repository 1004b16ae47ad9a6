package dev.vtexbridge.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What a JSON body read from outside may hold ({@code bridge.http.json.*}), enforced by {@link StrictJson} while
 * parsing: nesting depth, and the length of a string, a number and a property name. A body beyond one of them is a 400
 * naming the limit. The seller endpoints hold nesting and strings to their own {@code bridge.seller.*} limits.
 */
@ConfigurationProperties("bridge.http.json")
public record JsonLimits(int maxDepth, int maxStringLength, int maxNumberLength, int maxNameLength) {

    /** The values application.yaml documents; the seller endpoints' number and name limits. */
    public static final JsonLimits DEFAULTS = new JsonLimits(64, 1_048_576, 100, 1000);

    public JsonLimits {
        require(maxDepth, "max-depth");
        require(maxStringLength, "max-string-length");
        require(maxNumberLength, "max-number-length");
        require(maxNameLength, "max-name-length");
    }

    /** These limits with another nesting depth and string length (the seller endpoints' own). */
    public JsonLimits withDepthAndStringLength(int depth, int stringLength) {
        return new JsonLimits(depth, stringLength, maxNumberLength, maxNameLength);
    }

    private static void require(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException("bridge.http.json." + name + " must be at least 1, is " + value);
        }
    }
}
