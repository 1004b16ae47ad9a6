package dev.vtexbridge.orders;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.vtexbridge.sync.OfferState;

/**
 * Holds the prices of a placement against the offers it names: each line's effective price (its {@code price} per
 * unit times its quantity, plus the discounts among its {@code priceTags}) must not fall below the offer's current
 * price times the quantity by more than the tolerance. A price above the offer's passes: a marketplace that cached
 * an older, higher price costs the seller nothing.
 *
 * <p>VTEX's {@code priceTags[].value} is integer cents for the whole line, negative for a discount; tags that raise
 * the price (taxes, rates) are not the product's price and are left out. Everything is computed in 64-bit integer
 * cents with exact arithmetic, so no line can wrap around into a passing price.
 */
public final class PlacementPrices {

    private PlacementPrices() {
    }

    /** A line placed below its offer: the SKU, its index, and both prices per unit in cents. */
    public record Mismatch(int index, String sku, Long placedUnitCents, long expectedUnitCents, long quantity) {

        public String describe() {
            return "SKU " + sku + " (items[" + index + "]) placed at " + (placedUnitCents == null ? "no usable price"
                    : placedUnitCents + " cents") + ", expected " + expectedUnitCents + " cents";
        }
    }

    /** What the check found; {@code checked} names each line compared, for the order's timeline. */
    public record Result(List<Mismatch> mismatches, List<String> checked) {

        public boolean passed() {
            return mismatches.isEmpty();
        }

        public String describe() {
            return passed() ? "prices as offered: " + String.join(", ", checked)
                    : "price mismatch: " + String.join("; ", mismatches.stream().map(Mismatch::describe).toList());
        }
    }

    /**
     * Checks every line whose SKU has a priced offer (lines without one are refused elsewhere). Quantities are
     * expected to be validated (positive, bounded) before.
     */
    public static Result check(PlacementOrder order, PriceCheck settings, Function<String, Optional<OfferState>> offers) {
        List<Mismatch> mismatches = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < order.items().size(); i++) {
            PlacementOrder.Item item = order.items().get(i);
            Long expected = offers.apply(item.id()).map(OfferState::price).orElse(null);
            if (expected == null) {
                continue;
            }
            long quantity = item.quantity();
            Long placedUnit = effectiveUnitPrice(item);
            if (placedUnit == null || !withinTolerance(effectiveLineTotal(item), expected, quantity,
                    settings.tolerancePercent())) {
                mismatches.add(new Mismatch(i, item.id(), placedUnit, expected, quantity));
            } else {
                checked.add(item.id() + " " + placedUnit + "/" + expected + " cents");
            }
        }
        return new Result(List.copyOf(mismatches), List.copyOf(checked));
    }

    /** The line's price per unit after its discounts, rounded down; null when the line has no price. */
    static Long effectiveUnitPrice(PlacementOrder.Item item) {
        Long total = effectiveLineTotal(item);
        return total == null ? null : Math.floorDiv(total, (long) item.quantity());
    }

    /** {@code price × quantity + Σ discounts} in cents; null when the line has no price or one out of range. */
    static Long effectiveLineTotal(PlacementOrder.Item item) {
        if (item.price() == null) {
            return null;
        }
        try {
            long total = Math.multiplyExact(item.price(), (long) item.quantity());
            if (item.priceTags() != null) {
                for (PlacementOrder.PriceTag tag : item.priceTags()) {
                    if (tag != null && tag.value() != null && tag.value() < 0) {
                        total = Math.addExact(total, tag.value());
                    }
                }
            }
            return total;
        } catch (ArithmeticException outOfRange) {
            return null;
        }
    }

    /** {@code placed ≥ expected × quantity × (1 − tolerance/100)}, exactly. */
    static boolean withinTolerance(long placedTotal, long expectedUnit, long quantity, BigDecimal tolerancePercent) {
        BigDecimal floor = BigDecimal.valueOf(expectedUnit).multiply(BigDecimal.valueOf(quantity))
                .multiply(BigDecimal.valueOf(100).subtract(tolerancePercent))
                .divide(BigDecimal.valueOf(100));
        return BigDecimal.valueOf(placedTotal).compareTo(floor) >= 0;
    }
}
