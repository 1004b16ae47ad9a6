package dev.vtexbridge.mapping;

import dev.vtexbridge.sync.PriceRules;
import dev.vtexbridge.sync.StockRules;

/** One consistent set of mapping files, as loaded from {@code mappings/}. Immutable; a reload makes a new one. */
public record Mappings(CategoryMap categories, BrandMap brands, AttributeMap attributes, ImageRules images,
                       OfferTemplate template, PriceRules prices, StockRules stock) {
}
