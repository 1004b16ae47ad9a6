package dev.vtexbridge.vtex;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the engine talks to VTEX ({@code bridge.vtex.*}): account, credentials, base URL per API family, timeouts and
 * client-side rate limits. The app token is a secret: it is only ever put on outgoing requests.
 */
@ConfigurationProperties("bridge.vtex")
public record VtexProperties(
        String account,
        String environment,
        String sellerId,
        String appKey,
        String appToken,
        String apiUrl,
        String suggestionsUrl,
        Duration connectTimeout,
        Duration readTimeout,
        Duration maxThrottleWait,
        Map<String, RateLimit> rateLimits) {

    /** A token bucket: sustained requests per second, and how many may go at once after a quiet spell. */
    public record RateLimit(double perSecond, int burst) {
    }

    public RateLimit rateLimit(String family) {
        RateLimit limit = rateLimits.get(family);
        return limit != null ? limit : rateLimits.getOrDefault("default", new RateLimit(20, 40));
    }

    @Override
    public String toString() {
        return "VtexProperties[account=" + account + ", environment=" + environment + ", sellerId=" + sellerId
                + ", apiUrl=" + apiUrl + ", suggestionsUrl=" + suggestionsUrl + "]";
    }
}
