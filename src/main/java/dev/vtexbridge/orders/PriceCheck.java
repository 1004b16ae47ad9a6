package dev.vtexbridge.orders;

import java.math.BigDecimal;

/**
 * How a placement's prices are held against the offer projection ({@code bridge.seller.price-check.*}). One value
 * for the whole engine today; kept as its own record so a marketplace connection can carry an override later.
 *
 * @param mode             what a price below the offer does to the placement
 * @param tolerancePercent how far (in percent of the offer's price) a placed price may fall below it and still pass
 */
public record PriceCheck(Mode mode, BigDecimal tolerancePercent) {

    /** What a mismatch does. */
    public enum Mode {
        /** The placement is refused (400, nothing is held). */
        REFUSE,
        /** The placement is accepted and its stock held, but the order is not handed to the ERP on fulfil. */
        HOLD,
        /** Prices are not checked. */
        OFF
    }

    public PriceCheck {
        mode = mode == null ? Mode.REFUSE : mode;
        tolerancePercent = tolerancePercent == null ? BigDecimal.ZERO : tolerancePercent;
        if (tolerancePercent.signum() < 0 || tolerancePercent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("bridge.seller.price-check.tolerance-percent must be between 0 and 100, not "
                    + tolerancePercent);
        }
    }

    /** The default: refuse any price below the offer's. */
    public static PriceCheck strict() {
        return new PriceCheck(Mode.REFUSE, BigDecimal.ZERO);
    }
}
