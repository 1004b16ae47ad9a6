package dev.vtexbridge.seller;

import dev.vtexbridge.orders.PriceCheck;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The External Seller endpoints VTEX calls ({@code bridge.seller.*}): where they are served, the credentials the
 * marketplace must present, and the limits every request is held to before it is parsed.
 *
 * <p>{@code maxQuantity} bounds the units of one SKU in a simulation or placement, per line and summed over the
 * lines naming it; {@code priceCheck} says what a placement priced below the offer does.
 */
@ConfigurationProperties("bridge.seller")
public record SellerProperties(
        String basePath,
        String appKey,
        String appToken,
        long maxBodyBytes,
        int maxItems,
        int maxNestingDepth,
        int maxStringLength,
        String followUpEmail,
        String orderIdPrefix,
        String merchantName,
        String defaultLockTtl,
        @DefaultValue("10000") int maxQuantity,
        @DefaultValue PriceCheck priceCheck) {

    public SellerProperties {
        if (maxQuantity < 1) {
            throw new IllegalArgumentException("bridge.seller.max-quantity must be at least 1, not " + maxQuantity);
        }
        priceCheck = priceCheck == null ? PriceCheck.strict() : priceCheck;
    }

    /** The same settings with another price check (a connection's own, once connections carry one). */
    public SellerProperties withPriceCheck(PriceCheck check) {
        return new SellerProperties(basePath, appKey, appToken, maxBodyBytes, maxItems, maxNestingDepth, maxStringLength,
                followUpEmail, orderIdPrefix, merchantName, defaultLockTtl, maxQuantity, check);
    }

    /** The merchant name to answer in simulation: null unless the seller processes payment itself. */
    public String merchantNameOrNull() {
        return merchantName == null || merchantName.isBlank() ? null : merchantName;
    }
}
