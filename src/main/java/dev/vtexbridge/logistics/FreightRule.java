package dev.vtexbridge.logistics;

import dev.vtexbridge.sync.OfferState;

/**
 * Freight of one item line in integer cents: {@code perItem} for every unit plus {@code perKg} for every kilogram the
 * units weigh (rounded up to the cent), free when the line is worth at least {@code freeFromLineValue}. The
 * protocol prices freight per item, so "free above" applies to the line, not to the whole cart.
 */
record FreightRule(long perItem, long perKg, Long freeFromLineValue) {

    long price(OfferState offer, int quantity, int defaultWeightGrams) {
        if (freeFromLineValue != null && offer.price() != null
                && Math.multiplyExact(offer.price(), (long) quantity) >= freeFromLineValue) {
            return 0;
        }
        long grams = Math.multiplyExact((long) weightGrams(offer, defaultWeightGrams), (long) quantity);
        long weightCents = ceilDiv(Math.multiplyExact(perKg, grams), 1000);
        return Math.addExact(Math.multiplyExact(perItem, (long) quantity), weightCents);
    }

    private static int weightGrams(OfferState offer, int defaultWeightGrams) {
        return offer.weightGrams() == null ? defaultWeightGrams : Math.max(0, offer.weightGrams());
    }

    private static long ceilDiv(long value, long divisor) {
        return -Math.floorDiv(-value, divisor);
    }
}
