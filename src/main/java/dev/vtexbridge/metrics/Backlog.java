package dev.vtexbridge.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.errors.ParkedMessages;
import dev.vtexbridge.ops.FailedMessage;
import dev.vtexbridge.ops.FailedMessageFilter;
import dev.vtexbridge.ops.FailedMessageStore;
import dev.vtexbridge.sync.OfferProjection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What is waiting, read when asked (a scrape, the dashboard): messages on each durable channel, the oldest stock
 * change the marketplace has not been told about, how long ago the offer projection last changed, and the
 * failed-message store per status. Published as gauges: {@code bridge.channel.depth} (tags channel, endpoint),
 * {@code bridge.stock.oldest.unsent.age}, {@code bridge.projection.age} (seconds), {@code bridge.failed.messages}
 * (tag status), {@code bridge.parked.messages} (tags channel, endpoint: the channel's {@code .parked} queue).
 * <p>
 * Channel depth is read from the embedded Artemis broker; it is unknown (null, no gauge) for Kafka channels and for
 * an external broker, whose own metrics (consumer-group lag, Artemis' message count) say it better.
 */
@Component
public class Backlog {

    private static final String JMS_QUEUE = "jms:queue:";

    /**
     * A stock change the stock flow applied that some seller connection's marketplace has not been told: connection
     * default's was told another total than the exposed one, or another connection's was never told the SKU's stock
     * (each of those is told its own share, which its stock rules compute in the engine, not here); {@code since} is
     * when the projection's stock of that SKU was last written.
     */
    private static final String OLDEST_UNSENT_STOCK = """
            SELECT y.sku_id, COALESCE(s.changed_at, y.updated_at) AS since
            FROM offer_sync y
            JOIN offer_projection p ON p.sku_id = y.sku_id
            LEFT JOIN (SELECT sku_id, SUM(quantity) AS quantity, MAX(updated_at) AS changed_at
                       FROM offer_stock GROUP BY sku_id) s ON s.sku_id = y.sku_id
            WHERE y.erp_stock IS NOT NULL
              AND (SELECT COUNT(*) FROM offer_notified n WHERE n.sku_id = y.sku_id AND n.connection_id IN (%s)
                   AND (n.connection_id <> 'default' AND n.notified_quantity IS NOT NULL
                        OR n.notified_quantity = COALESCE(s.quantity, 0))) < ?
            ORDER BY since, y.sku_id
            LIMIT 1""";

    private final JdbcTemplate jdbc;
    private final Connections connections;
    private final OfferProjection projection;
    private final FailedMessageStore failedMessages;
    private final ObjectProvider<EmbeddedActiveMQ> embeddedBroker;
    private final Clock clock;
    private final SortedMap<String, String> channels;

    public record UnsentStockChange(String sku, Instant since) {
    }

    public Backlog(JdbcTemplate jdbc, OfferProjection projection, FailedMessageStore failedMessages,
                   ObjectProvider<EmbeddedActiveMQ> embeddedBroker, Clock clock, Environment environment,
                   MeterRegistry registry, Connections connections) {
        this.connections = connections;
        this.jdbc = jdbc;
        this.projection = projection;
        this.failedMessages = failedMessages;
        this.embeddedBroker = embeddedBroker;
        this.clock = clock;
        this.channels = new TreeMap<>(Binder.get(environment)
                .bind("bridge.channels", Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
        channels.forEach((channel, endpoint) -> {
            if (queueName(endpoint) != null && embeddedBroker.getIfAvailable() != null) {
                Gauge.builder("bridge.channel.depth", () -> depth(channel))
                        .description("Messages waiting on a durable channel (embedded broker)")
                        .tags("channel", channel, "endpoint", endpoint)
                        .register(registry);
                Gauge.builder("bridge.parked.messages", () -> parked(channel))
                        .description("Messages parked on a durable channel's .parked queue, not in the failed-message "
                                + "store yet (embedded broker)")
                        .tags("channel", channel, "endpoint", "jms:queue:" + queueName(endpoint) + ParkedMessages.SUFFIX)
                        .register(registry);
            }
        });
        Gauge.builder("bridge.stock.oldest.unsent.age", this,
                        backlog -> backlog.oldestUnsentStockChange().map(change -> backlog.ageOf(change.since())).orElse(0.0))
                .description("Age of the oldest stock change the marketplace has not been told about (0: none)")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("bridge.projection.age", this, backlog -> backlog.ageOf(backlog.projection.lastRefreshedAt()))
                .description("Time since the offer projection last took a change")
                .baseUnit("seconds")
                .register(registry);
        for (FailedMessage.Status status : FailedMessage.Status.values()) {
            Gauge.builder("bridge.failed.messages", this, backlog -> backlog.failedMessages(status))
                    .description("Rows of the failed-message store")
                    .tags("status", status.name())
                    .register(registry);
        }
    }

    /** The durable channels ({@code bridge.channels.*}) by name, with their endpoint URIs. */
    public SortedMap<String, String> channels() {
        return channels;
    }

    /** Messages on the channel's queue (in flight included), or null when it cannot be told (Kafka, external broker). */
    public Long depth(String channel) {
        return messagesOn(queueName(channels.get(channel)));
    }

    /**
     * Messages parked on the channel's {@code <queue>.parked} (their failure could not be stored; in delivery
     * included), or null when it cannot be told (Kafka, external broker).
     */
    public Long parked(String channel) {
        String queue = queueName(channels.get(channel));
        return messagesOn(queue == null ? null : queue + ParkedMessages.SUFFIX);
    }

    private Long messagesOn(String queue) {
        EmbeddedActiveMQ broker = embeddedBroker.getIfAvailable();
        if (queue == null || broker == null) {
            return null;
        }
        ActiveMQServer server = broker.getActiveMQServer();
        if (server == null || !server.isActive()) {
            return null;
        }
        Queue found = server.locateQueue(queue);
        return found == null ? 0L : found.getMessageCount();
    }

    public Optional<UnsentStockChange> oldestUnsentStockChange() {
        return oldestUnsentStockChange(connections.sellers().stream().map(Connection::id).toList());
    }

    /** The same for one connection's marketplace; none for a connection that is not an enabled seller (told nothing). */
    public Optional<UnsentStockChange> oldestUnsentStockChange(String connection) {
        return oldestUnsentStockChange(connections.sellers().stream().map(Connection::id)
                .filter(connection::equals).toList());
    }

    private Optional<UnsentStockChange> oldestUnsentStockChange(List<String> ids) {
        List<Object> sellers = new ArrayList<>(ids);
        if (sellers.isEmpty()) {
            return Optional.empty();
        }
        String sql = OLDEST_UNSENT_STOCK.formatted(String.join(", ", Collections.nCopies(sellers.size(), "?")));
        sellers.add(sellers.size());
        return jdbc.query(sql, (rs, n) -> new UnsentStockChange(rs.getString("sku_id"),
                rs.getObject("since", OffsetDateTime.class).toInstant()), sellers.toArray()).stream().findFirst();
    }

    public long failedMessages(FailedMessage.Status status) {
        return failedMessages.count(FailedMessageFilter.ofStatus(status));
    }

    /** One connection's rows in that status; null connection: every row. */
    public long failedMessages(FailedMessage.Status status, String connection) {
        return failedMessages.count(new FailedMessageFilter(null, status, null, null, null, connection));
    }

    private double ageOf(Instant since) {
        return since == null ? Double.NaN : Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
    }

    /** The queue a {@code jms:queue:<name>} (or {@code jms:<name>}) endpoint names; null for anything else. */
    static String queueName(String endpoint) {
        if (endpoint == null || !endpoint.startsWith("jms:") || endpoint.startsWith("jms:topic:")) {
            return null;
        }
        String name = endpoint.startsWith(JMS_QUEUE) ? endpoint.substring(JMS_QUEUE.length()) : endpoint.substring(4);
        int options = name.indexOf('?');
        return options >= 0 ? name.substring(0, options) : name;
    }
}
