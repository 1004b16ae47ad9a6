package dev.vtexbridge.orders;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.vtexbridge.sync.OfferState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The price check on its own: effective line prices, discounts, tolerance, and out-of-range input. */
class PlacementPricesTest {

    private static final Map<String, OfferState> OFFERS = Map.of("A", offer("A", 46119L), "B", offer("B", 1000L));

    @Test
    void aLineAtTheOffersPriceOrAbovePasses() {
        assertThat(check(PriceCheck.strict(), item("A", 3, 46119L), item("B", 1, 1200L)).passed()).isTrue();
    }

    @Test
    void aLineBelowTheOfferIsAMismatchNamingBothPricesPerUnit() {
        PlacementPrices.Result result = check(PriceCheck.strict(), item("B", 1, 1000L), item("A", 1, 1L));

        assertThat(result.passed()).isFalse();
        assertThat(result.mismatches()).singleElement().satisfies(mismatch -> {
            assertThat(mismatch.index()).isEqualTo(1);
            assertThat(mismatch.sku()).isEqualTo("A");
            assertThat(mismatch.placedUnitCents()).isEqualTo(1L);
            assertThat(mismatch.expectedUnitCents()).isEqualTo(46119L);
        });
        assertThat(result.describe()).contains("SKU A (items[1]) placed at 1 cents, expected 46119 cents");
    }

    @Test
    void theToleranceIsAPercentOfTheLinesValue() {
        PriceCheck onePercent = new PriceCheck(PriceCheck.Mode.REFUSE, BigDecimal.ONE);
        // 1000 × 4 = 4000; 1 % below is 3960, i.e. 990 a unit.
        assertThat(check(onePercent, item("B", 4, 990L)).passed()).isTrue();
        assertThat(check(onePercent, item("B", 4, 989L)).passed()).isFalse();
        assertThat(check(new PriceCheck(PriceCheck.Mode.REFUSE, new BigDecimal("0.5")), item("B", 2, 995L)).passed()).isTrue();
        assertThat(check(new PriceCheck(PriceCheck.Mode.REFUSE, new BigDecimal("0.5")), item("B", 2, 994L)).passed()).isFalse();
    }

    @Test
    void negativePriceTagsAreLineDiscountsAndPositiveOnesDoNotCount() {
        PlacementOrder.Item discounted = item("B", 4, 1000L, tag(-400L));
        assertThat(PlacementPrices.effectiveLineTotal(discounted)).isEqualTo(3600L);
        assertThat(PlacementPrices.effectiveUnitPrice(discounted)).isEqualTo(900L);
        assertThat(check(PriceCheck.strict(), discounted).passed()).isFalse();

        PlacementOrder.Item taxed = item("B", 1, 900L, tag(200L));
        assertThat(PlacementPrices.effectiveLineTotal(taxed)).isEqualTo(900L);
        assertThat(check(PriceCheck.strict(), taxed).passed()).isFalse();

        assertThat(check(PriceCheck.strict(), item("B", 1, 1100L, tag(-100L), tag(null), null)).passed()).isTrue();
    }

    @Test
    void aMissingNegativeOrOutOfRangePriceIsAMismatch() {
        assertThat(check(PriceCheck.strict(), item("A", 1, null)).mismatches()).singleElement()
                .satisfies(mismatch -> assertThat(mismatch.describe()).contains("placed at no usable price"));
        assertThat(check(PriceCheck.strict(), item("A", 1, -46119L)).passed()).isFalse();
        assertThat(check(PriceCheck.strict(), item("A", 10000, Long.MAX_VALUE / 2)).passed())
                .as("price × quantity overflows: not a price").isFalse();
        assertThat(check(PriceCheck.strict(), item("A", 1, 46119L, tag(Long.MIN_VALUE))).passed()).isFalse();
    }

    @Test
    void linesWithoutAPricedOfferAreLeftToTheOtherChecks() {
        assertThat(check(PriceCheck.strict(), item("UNKNOWN", 1, 1L)).passed()).isTrue();
    }

    @Test
    void theToleranceMustBeAPercent() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PriceCheck(PriceCheck.Mode.HOLD, new BigDecimal("-1")))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PriceCheck(PriceCheck.Mode.HOLD, new BigDecimal("101")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new PriceCheck(null, null)).isEqualTo(PriceCheck.strict());
    }

    private static PlacementPrices.Result check(PriceCheck settings, PlacementOrder.Item... items) {
        PlacementOrder order = new PlacementOrder("1-01", null, null, null, List.of(items), null);
        return PlacementPrices.check(order, settings, sku -> Optional.ofNullable(OFFERS.get(sku)));
    }

    private static PlacementOrder.Item item(String sku, int quantity, Long price, PlacementOrder.PriceTag... tags) {
        return new PlacementOrder.Item(sku, quantity, "1", price, Arrays.asList(tags));
    }

    private static PlacementOrder.PriceTag tag(Long value) {
        return new PlacementOrder.PriceTag("tag", value, false, "t");
    }

    private static OfferState offer(String sku, long price) {
        return new OfferState(sku, price, price, null, true, "un", 1, null, null, null, null, Map.of("main", 10), 0);
    }
}
