package dev.vtexbridge.seller;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The External Seller endpoints VTEX calls ({@code bridge.seller.*}): where they are served, the credentials the
 * marketplace must present, and the limits every request is held to before it is parsed.
 *
 * <p>{@code maxQuantity} bounds the units of one SKU in a simulation or placement, per line and summed over the
 * lines naming it.
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
        @DefaultValue("10000") int maxQuantity) {

    public SellerProperties {
        if (maxQuantity < 1) {
            throw new IllegalArgumentException("bridge.seller.max-quantity must be at least 1, not " + maxQuantity);
        }
    }

    /** The merchant name to answer in simulation: null unless the seller processes payment itself. */
    public String merchantNameOrNull() {
        return merchantName == null || merchantName.isBlank() ? null : merchantName;
    }
}
