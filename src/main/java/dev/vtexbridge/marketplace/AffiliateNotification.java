package dev.vtexbridge.marketplace;

import java.time.OffsetDateTime;

/**
 * One affiliate notification of a VTEX store (vtex-protocol.md §3.2), as it travels on the engine's channels: which
 * SKU of which connection changed, and what VTEX said of it. {@code isActive} null: not said. The modified flags are
 * kept for the record; every offer update reads the SKU and its price and stock again, whatever changed.
 */
public record AffiliateNotification(
        String connection,
        String skuId,
        String productId,
        String account,
        String affiliateId,
        OffsetDateTime dateModified,
        Boolean isActive,
        boolean stockModified,
        boolean priceModified,
        boolean skuModified,
        boolean removedFromAffiliate) {

    /** VTEX asks to take the SKU off the marketplace at once: no coalescing window. */
    public boolean urgent() {
        return removedFromAffiliate || Boolean.FALSE.equals(isActive);
    }
}
