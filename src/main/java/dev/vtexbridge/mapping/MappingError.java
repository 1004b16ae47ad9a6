package dev.vtexbridge.mapping;

/**
 * Why one SKU could not be mapped. {@code blockedBy} names the missing mapping entry (e.g. {@code category:C05},
 * {@code brand:B03}, {@code attribute:color}) when the fix is a mapping file edit; null for data errors.
 */
public record MappingError(String field, String problem, String blockedBy) {

    @Override
    public String toString() {
        return field + ": " + problem;
    }
}
