package dev.vtexbridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.Parser;

/**
 * {@code mappings/offer-template.jslt}: a JSLT transform (https://github.com/schibsted/jslt) from the mapped model of
 * one SKU ({@code .sellerId}, {@code .sku}, {@code .product}, {@code .category}, {@code .brand},
 * {@code .skuSpecifications}, {@code .productSpecifications}, {@code .images}, {@code .price}, {@code .stock}) to
 * the SKU suggestion body (PascalCase, vtex-protocol.md §2.3 B2). Compiled once per load.
 */
public final class OfferTemplate {

    private final String source;
    private final Expression expression;

    private OfferTemplate(String source, Expression expression) {
        this.source = source;
        this.expression = expression;
    }

    /** Compiles the template; a syntax error is an {@link IllegalArgumentException} naming line and column. */
    public static OfferTemplate compile(String source) {
        try {
            return new OfferTemplate(source, Parser.compileString(source));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public JsonNode apply(JsonNode model) {
        return expression.apply(model);
    }

    public String source() {
        return source;
    }
}
