package dev.vtexbridge.vtex;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.vtexbridge.cluster.EngineInstances;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.connections.VtexAccount;
import dev.vtexbridge.errors.RetryLaterException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The VTEX HTTP conventions in one place. A route calls {@code prepare} right before its VTEX http endpoint:
 * <pre>
 * - bean: {ref: vtexApi, method: "prepare(${exchange}, 'notificator')"}
 * - toD: "${exchangeProperty.BridgeVtexApiUrl}/api/notificator/${exchangeProperty.BridgeSellerId}/..."
 * </pre>
 * The call goes to the VTEX account of the message's connection (header {@value Connection#HEADER}; none: the
 * default connection): {@code prepare} sets its base URLs and seller id as exchange properties, its app key/token and
 * the JSON headers, and takes a token from that connection's rate limiter of the API family. When the wait for a token
 * would exceed {@code bridge.vtex.max-throttle-wait}, the message is deferred instead (error policy: rate-limited), so
 * no thread waits long. Each connection has its own buckets, so one marketplace's budget never slows another's calls.
 * Engine instances on one database share each budget: every live instance takes an equal part of it
 * ({@link EngineInstances}), so together they stay within the connection's rate.
 */
@Component("vtexApi")
public class VtexApi {

    public static final String APP_KEY_HEADER = "X-VTEX-API-AppKey";
    public static final String APP_TOKEN_HEADER = "X-VTEX-API-AppToken";
    /** Exchange property naming the API family of the VTEX call being prepared; marks the next HTTP sends as VTEX calls. */
    public static final String FAMILY = "BridgeVtexFamily";
    /** Exchange properties of the call being prepared: the connection's API and suggestions base URLs, our seller id there. */
    public static final String API_URL = "BridgeVtexApiUrl";
    public static final String SUGGESTIONS_URL = "BridgeVtexSuggestionsUrl";
    public static final String SELLER_ID = "BridgeSellerId";

    private final VtexProperties vtex;
    private final Connections connections;
    /** By connection id and API family. */
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    private final EngineInstances instances;

    public VtexApi(VtexProperties vtex, Connections connections, EngineInstances instances) {
        this.vtex = vtex;
        this.connections = connections;
        this.instances = instances;
    }

    public void prepare(Exchange exchange, String family) throws InterruptedException {
        Message in = exchange.getIn();
        Connection connection = connections.require(in.getHeader(Connection.HEADER, Connection.DEFAULT, String.class));
        throttle(connection, family);
        VtexAccount account = connection.vtex();
        exchange.setProperty(FAMILY, family);
        exchange.setProperty(Connection.HEADER, connection.id());
        exchange.setProperty(API_URL, account.apiUrl());
        exchange.setProperty(SUGGESTIONS_URL, account.suggestionsUrl());
        exchange.setProperty(SELLER_ID, account.sellerId());
        if (account.appKey() != null && !account.appKey().isBlank()) {
            in.setHeader(APP_KEY_HEADER, account.appKey());
            in.setHeader(APP_TOKEN_HEADER, account.appToken());
        }
        in.setHeader("Accept", "application/json");
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    /** Waits for a rate-limit token of the connection's family, or asks for a later retry when the wait would be too long. */
    void throttle(Connection connection, String family) throws InterruptedException {
        TokenBucket bucket = buckets.computeIfAbsent(connection.id() + "/" + family, key -> {
            VtexProperties.RateLimit limit = connection.rateLimit(family);
            return new TokenBucket(limit.perSecond(), limit.burst(), System.nanoTime());
        });
        Duration wait = bucket.take(System.nanoTime(), instances.live());
        if (wait.compareTo(vtex.maxThrottleWait()) > 0) {
            bucket.giveBack();
            throw new RetryLaterException("client-side rate limit of VTEX " + family + " API of connection "
                    + connection.id() + " reached", wait);
        }
        if (!wait.isZero()) {
            Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
        }
    }
}
