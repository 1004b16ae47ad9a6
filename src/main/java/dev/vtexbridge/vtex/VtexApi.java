package dev.vtexbridge.vtex;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.vtexbridge.errors.RetryLaterException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The VTEX HTTP conventions in one place. A route calls {@code prepare} right before its VTEX http endpoint:
 * <pre>
 * - bean: {ref: vtexApi, method: "prepare(${exchange}, 'notificator')"}
 * - toD: "{{bridge.vtex.api-url}}/api/notificator/..."
 * </pre>
 * It sets the app key/token and JSON headers and takes a token from the rate limiter of (account, API family). When
 * the wait for a token would exceed {@code bridge.vtex.max-throttle-wait}, the message is deferred instead
 * (error policy: rate-limited), so no thread waits long.
 */
@Component("vtexApi")
public class VtexApi {

    public static final String APP_KEY_HEADER = "X-VTEX-API-AppKey";
    public static final String APP_TOKEN_HEADER = "X-VTEX-API-AppToken";
    /** Exchange property naming the API family of the VTEX call being prepared; marks the next HTTP sends as VTEX calls. */
    public static final String FAMILY = "BridgeVtexFamily";

    private final VtexProperties vtex;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public VtexApi(VtexProperties vtex) {
        this.vtex = vtex;
    }

    public void prepare(Exchange exchange, String family) throws InterruptedException {
        throttle(family);
        exchange.setProperty(FAMILY, family);
        Message in = exchange.getIn();
        if (vtex.appKey() != null && !vtex.appKey().isBlank()) {
            in.setHeader(APP_KEY_HEADER, vtex.appKey());
            in.setHeader(APP_TOKEN_HEADER, vtex.appToken());
        }
        in.setHeader("Accept", "application/json");
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    /** Waits for a rate-limit token of the family, or asks for a later retry when the wait would be too long. */
    void throttle(String family) throws InterruptedException {
        TokenBucket bucket = buckets.computeIfAbsent(vtex.account() + "/" + family, key -> {
            VtexProperties.RateLimit limit = vtex.rateLimit(family);
            return new TokenBucket(limit.perSecond(), limit.burst(), System.nanoTime());
        });
        Duration wait = bucket.take(System.nanoTime());
        if (wait.compareTo(vtex.maxThrottleWait()) > 0) {
            bucket.giveBack();
            throw new RetryLaterException("client-side rate limit of VTEX " + family + " API reached", wait);
        }
        if (!wait.isZero()) {
            Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
        }
    }
}
