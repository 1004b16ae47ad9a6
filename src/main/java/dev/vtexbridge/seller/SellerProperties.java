package dev.vtexbridge.seller;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The External Seller endpoints VTEX calls ({@code bridge.seller.*}): where they are served, the credentials the
 * marketplace must present, and the limits every request is held to before it is parsed.
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
        String defaultLockTtl) {

    /** The merchant name to answer in simulation: null unless the seller processes payment itself. */
    public String merchantNameOrNull() {
        return merchantName == null || merchantName.isBlank() ? null : merchantName;
    }
}
