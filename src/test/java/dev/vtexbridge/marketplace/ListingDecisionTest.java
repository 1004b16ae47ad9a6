package dev.vtexbridge.marketplace;

import java.math.BigDecimal;
import java.util.List;

import dev.vtexbridge.mapping.MappingError;
import dev.vtexbridge.sync.PriceRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a SKU's mapping errors mean for its listing, and the marketplace fees of the price rules. */
class ListingDecisionTest {

    private static final MappingError CATEGORY = new MappingError("CategoryFullPath", "ERP category 60 (x) has no mapping",
            "category:60");
    private static final MappingError BRAND = new MappingError("BrandName", "ERP brand 9 has no mapping", "brand:9");
    private static final MappingError NO_PRICE = new MappingError("Pricing.SalePrice", "no price", null);

    @Test
    void anUnmappedCategoryIsPublishedUnlessTheConnectionRequiresOne() {
        MarketplaceListings.Decision published = MarketplaceListings.decide(List.of(CATEGORY), false, true);
        assertThat(published.failure()).isNull();
        assertThat(published.blockedBy()).isEqualTo("category:60");

        MarketplaceListings.Decision held = MarketplaceListings.decide(List.of(CATEGORY), true, true);
        assertThat(held.failure()).as("held back, not failed").isEmpty();
        assertThat(held.reason()).contains("require-mapped-category");
        assertThat(held.blockedBy()).isEqualTo("category:60");
    }

    @Test
    void anyOtherMappingErrorFails() {
        assertThat(MarketplaceListings.decide(List.of(BRAND, CATEGORY), false, true).failure()).containsExactly(BRAND);
        assertThat(MarketplaceListings.decide(List.of(BRAND, CATEGORY), true, true).failure()).containsExactly(BRAND, CATEGORY);
        assertThat(MarketplaceListings.decide(List.of(NO_PRICE), false, true).failure()).containsExactly(NO_PRICE);
        assertThat(MarketplaceListings.decide(List.of(NO_PRICE), false, false).failure())
                .as("no price because the simulation did not answer the SKU: published with stock 0").isNull();
    }

    @Test
    void feesAreGrossedUpSoTheSellerNetsItsPriceBeforeTheRounding() {
        assertThat(PriceRules.grossedUp(9999, new BigDecimal("12"), 100L)).isEqualTo(11477);
        assertThat(PriceRules.grossedUp(10000, new BigDecimal("20"), null)).isEqualTo(12500);
        assertThat(PriceRules.grossedUp(10000, null, 250L)).isEqualTo(10250);
        PriceRules rules = new PriceRules(null, null, null, null, List.of(new PriceRules.Rule("*", "*", null, null,
                new PriceRules.Rounding(null, 90), null, null, new BigDecimal("12"), 100L)));
        assertThat(rules.sellingPrice("3", "59", 9999)).isEqualTo(11490);
        assertThat(new PriceRules(null, null, null, null, List.of(new PriceRules.Rule("*", "*", null, null, null, null,
                null, new BigDecimal("100"), -1L))).problems()).hasSize(2);
    }
}
