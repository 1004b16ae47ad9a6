package dev.vtexbridge.errors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vtexbridge.ops.FailedMessageStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.spi.InterceptSendToEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What becomes of a channel message whose failure the error policy cannot store (the failed-message store or the
 * deferral table unreachable, a row the database refuses): without this its delivery failed, so the JMS message was
 * rolled back and the Kafka record read again (its consumer reconnecting to the group each time), for as long as the
 * store stayed down, and the message was in no view ops look at.
 * <p>
 * The error policy's own steps go through here ({@link #record}, {@link #defer}, {@link #deferTransient}). When the
 * step fails, the delivery still fails (it comes back: nothing is lost), and on Kafka the consumer thread first waits
 * a growing delay ({@code bridge.errors.redelivery-delay} doubling up to {@code maximum-redelivery-delay}; an Artemis
 * redelivery waits {@code bridge.broker.redelivery-delay} instead). Once a message of a durable channel
 * ({@code bridge.channels.*}) has failed {@code bridge.errors.park-after} deliveries in a row this way it is
 * <b>parked</b>: sent, with its body, key and headers and the failure ({@code BridgeParked*} headers), to its
 * channel's dead-letter destination {@code <topic>.parked} or {@code <queue>.parked}, and its delivery completes, so
 * the partition or queue goes on. After a route parked a message, its next messages whose failure cannot be stored
 * are parked on their first failed delivery, until a failure of that route (or a message it parked) is stored again. Should parking fail
 * too, the delivery fails as before (with the wait).
 * <p>
 * {@link ParkedMessageRoutes} reads the parked destinations (one consumer group on Kafka, competing consumers on
 * Artemis) and {@link #takeBack moves} each message into the failed-message store once it can take it: status
 * FAILED, the failure as it was, the deliveries counted as attempts, so ops replay or discard it from the usual view.
 * <p>
 * Deliveries are counted by the broker on Artemis ({@code JMSXDeliveryCount}) and by each engine instance on Kafka
 * (the record read again from its partition), so on Kafka a record that moves between instances may be delivered up
 * to {@code park-after} times on each before it is parked.
 */
@Component("parkedMessages")
public class ParkedMessages {

    /** What a parked destination's name adds to its channel's topic or queue. */
    public static final String SUFFIX = ".parked";
    /** Exchange property: the message was parked; its delivery completes (Kafka offset committed, JMS acknowledged). */
    public static final String PARKED = "BridgeParked";

    /** Header of a parked message: which delivery it was (route and Kafka record, or JMS message id). */
    public static final String PARKED_ID = "BridgeParkedId";
    /** Header of a parked message: the error the flow failed with (as the failed-message store words it). */
    public static final String REASON = "BridgeParkedReason";
    /** Header of a parked message: why the failure could not be stored. */
    public static final String STORE_ERROR = "BridgeParkedStoreError";
    /** Header of a parked message: the deliveries that failed before it was parked. */
    public static final String ATTEMPTS = "BridgeParkedAttempts";
    static final String ROUTE = "BridgeParkedRoute";
    static final String ENTRY_ENDPOINT = "BridgeParkedEntryEndpoint";
    static final String FAILED_STEP = "BridgeParkedFailedStep";
    static final String ERROR_CLASS = "BridgeParkedErrorClass";
    static final String HTTP_STATUS = "BridgeParkedHttpStatus";
    static final String CONNECTION = "BridgeParkedConnection";
    static final String PARKED_AT = "BridgeParkedAt";
    private static final String HEADER_PREFIX = "BridgeParked";
    private static final String JMS_DELIVERY_COUNT = "JMSXDeliveryCount";
    /** Kafka partitions (and JMS messages without a delivery count) whose deliveries are counted here, at most. */
    private static final int COUNTED = 10_000;
    private static final int MAX_STORE_ERROR = 2_000;

    private static final Logger log = LoggerFactory.getLogger(ParkedMessages.class);

    /** A durable channel whose messages can be parked: on Kafka (its topic) or on the JMS broker (its queue). */
    public record Channel(String name, boolean kafka, String destination) {

        /** The channel's dead-letter destination. */
        public String parkedUri() {
            return (kafka ? "kafka:" : "jms:queue:") + destination + SUFFIX;
        }

        /** The channel of a {@code bridge.channels.*} endpoint URI; null when it is neither a Kafka topic nor a JMS queue. */
        static Channel of(String name, String endpoint) {
            if (endpoint == null) {
                return null;
            }
            String path = endpoint.indexOf('?') >= 0 ? endpoint.substring(0, endpoint.indexOf('?')) : endpoint;
            if (path.startsWith("kafka:") && path.length() > "kafka:".length() && !path.contains(",")) {
                return new Channel(name, true, path.substring("kafka:".length()));
            }
            if (path.startsWith("jms:") && !path.startsWith("jms:topic:")) {
                String queue = path.startsWith("jms:queue:") ? path.substring("jms:queue:".length()) : path.substring("jms:".length());
                return queue.isEmpty() ? null : new Channel(name, false, queue);
            }
            return null;
        }
    }

    /** Deliveries in a row of one message that failed here: a Kafka partition's record at an offset, a JMS message. */
    private record Tries(long position, int count) {
    }

    private final FailedMessageStore failedMessages;
    private final DeferredDeliveries deferredDeliveries;
    private final ProducerTemplate producer;
    private final SecretRedactor redactor;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final CamelContext camel;
    private final int parkAfter;
    private final Duration firstWait;
    private final Duration longestWait;
    private final List<Channel> channels = new ArrayList<>();
    /** Channels by "kafka:topic" or "jms:queue". */
    private final Map<String, Channel> byDestination = new LinkedHashMap<>();
    private final Map<String, Counter> parkedCounters = new LinkedHashMap<>();
    /** Routes that parked a message and have not stored a failure since. */
    private final Set<String> parking = ConcurrentHashMap.newKeySet();
    private final Map<String, Tries> tries = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Tries> eldest) {
            return size() > COUNTED;
        }
    });

    public ParkedMessages(FailedMessageStore failedMessages, DeferredDeliveries deferredDeliveries, ProducerTemplate producer,
                          SecretRedactor redactor, TransactionTemplate tx, Clock clock, CamelContext camel,
                          MeterRegistry registry, Environment environment,
                          @Value("${bridge.errors.park-after}") int parkAfter,
                          @Value("${bridge.errors.redelivery-delay}") long firstWaitMs,
                          @Value("${bridge.errors.maximum-redelivery-delay}") long longestWaitMs) {
        this.failedMessages = failedMessages;
        this.deferredDeliveries = deferredDeliveries;
        this.producer = producer;
        this.redactor = redactor;
        this.tx = tx;
        this.clock = clock;
        this.camel = camel;
        this.parkAfter = Math.max(1, parkAfter);
        this.firstWait = Duration.ofMillis(firstWaitMs);
        this.longestWait = Duration.ofMillis(Math.max(firstWaitMs, longestWaitMs));
        new TreeMap<>(Binder.get(environment).bind("bridge.channels", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of())).forEach((name, endpoint) -> {
                    Channel channel = Channel.of(name, endpoint);
                    if (channel != null && byDestination.putIfAbsent(key(channel.kafka(), channel.destination()), channel) == null) {
                        channels.add(channel);
                        // registered up front, so an alert on its increase sees the first one
                        parkedCounters.put(name, Counter.builder("bridge.messages.parked")
                                .description("Channel messages parked: their failure could not be stored")
                                .tags("channel", name)
                                .register(registry));
                    }
                });
    }

    /** The channels whose messages can be parked, by name. */
    public List<Channel> channels() {
        return List.copyOf(channels);
    }

    /** The error policy's store step: the failed-message store, or parked when it cannot take the failure. */
    public void record(Exchange exchange) throws Exception {
        try {
            failedMessages.record(exchange);
        } catch (Exception e) {
            unstored(exchange, e);
            return;
        }
        parking.remove(String.valueOf(exchange.getFromRouteId()));
    }

    /** The error policy's rate-limit step ({@link DeferredDeliveries#defer}), parked when the deferral cannot be written. */
    public void defer(Exchange exchange) throws Exception {
        try {
            deferredDeliveries.defer(exchange);
        } catch (Exception e) {
            unstored(exchange, e);
            return;
        }
        parking.remove(String.valueOf(exchange.getFromRouteId()));
    }

    /** The error policy's Kafka channel retry step ({@link DeferredDeliveries#deferTransient}), likewise. */
    public void deferTransient(Exchange exchange) throws Exception {
        try {
            deferredDeliveries.deferTransient(exchange);
        } catch (Exception e) {
            unstored(exchange, e);
            return;
        }
        parking.remove(String.valueOf(exchange.getFromRouteId()));
    }

    /** The failure could not be kept: park the message when it is a channel's and its time has come, else fail again. */
    private void unstored(Exchange exchange, Exception storeFailure) throws Exception {
        String route = String.valueOf(exchange.getFromRouteId());
        Channel channel = channelOf(exchange);
        int deliveries = deliveries(exchange);
        if (channel != null && (deliveries >= parkAfter || parking.contains(route))) {
            try {
                park(exchange, channel, deliveries, storeFailure);
                return;
            } catch (RuntimeException e) {
                log.error("Route {}: a failure that could not be stored ({}) could not be parked on {} either ({}); "
                        + "the message stays on its channel and comes back", route, describe(storeFailure),
                        channel.parkedUri(), describe(e));
            }
        } else if (channel != null) {
            log.warn("Route {}: the failure of a message could not be stored ({}); delivery {} of {} before it is parked "
                    + "on {}, it comes back", route, describe(storeFailure), deliveries, parkAfter, channel.parkedUri());
        } else {
            log.warn("Route {}: the failure of a message could not be stored ({}); it comes back", route, describe(storeFailure));
        }
        waitBeforeRedelivery(exchange, deliveries);
        throw storeFailure;
    }

    private void park(Exchange exchange, Channel channel, int deliveries, Exception storeFailure) {
        CapturedMessage message = CapturedMessage.raw(exchange);
        FailedMessageStore.Failure failure = failedMessages.failureOf(exchange);
        Map<String, Object> headers = new LinkedHashMap<>(message.headersToResend());
        headers.keySet().removeIf(name -> name.startsWith(HEADER_PREFIX));
        headers.put(PARKED_ID, parkedId(exchange));
        headers.put(ROUTE, message.routeId());
        headers.put(ENTRY_ENDPOINT, message.entryEndpoint());
        headers.put(FAILED_STEP, failure.step());
        headers.put(ERROR_CLASS, failure.errorClass());
        headers.put(REASON, failure.errorMessage());
        if (failure.httpStatus() != null) {
            headers.put(HTTP_STATUS, failure.httpStatus());
        }
        headers.put(CONNECTION, failure.connection());
        headers.put(ATTEMPTS, deliveries);
        headers.put(PARKED_AT, clock.instant().toString());
        String storeError = describe(storeFailure);
        headers.put(STORE_ERROR, CapturedMessage.storable(redactor.redact(
                storeError.length() > MAX_STORE_ERROR ? storeError.substring(0, MAX_STORE_ERROR) + "..." : storeError)));
        Object key = exchange.getIn().getHeader(KafkaConstants.KEY);
        Exchange sent = producer.send(channel.parkedUri(), out -> {
            out.getIn().setBody(message.body());
            out.getIn().setHeaders(headers);
            if (key != null) {
                out.getIn().setHeader(KafkaConstants.KEY, key);
            }
        });
        if (sent.getException() != null) {
            throw new IllegalStateException("could not send to " + channel.parkedUri(), sent.getException());
        }
        exchange.setProperty(PARKED, true);
        exchange.setProperty(FailedMessageStore.RECORDED, true);
        parking.add(message.routeId());
        tries.remove(deliveryOf(exchange));
        parkedCounters.get(channel.name()).increment();
        log.error("Route {}: message parked on {} after {} deliveries whose failure could not be stored ({}); failure: {}. "
                        + "The failed-message store takes it once it can", message.routeId(), channel.parkedUri(), deliveries,
                headers.get(STORE_ERROR), failure.errorMessage());
    }

    /**
     * Moves a message read from a parked destination into the failed-message store (its deferred row, if it had one,
     * goes with it). When the store cannot take it yet, the delivery fails (after the same wait on Kafka) and the
     * message stays parked.
     */
    public void takeBack(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        String parkedId = in.getHeader(PARKED_ID, String.class);
        String route = in.getHeader(ROUTE, "unknown", String.class);
        Map<String, Object> headers = new LinkedHashMap<>();
        CapturedMessage.raw(exchange).headersToResend().forEach((name, value) -> {
            if (!name.startsWith(HEADER_PREFIX)) {
                headers.put(name, value);
            }
        });
        String parkedOn = exchange.getFromEndpoint() == null ? "unknown" : exchange.getFromEndpoint().getEndpointKey();
        CapturedMessage message = new CapturedMessage(route, in.getHeader(ENTRY_ENDPOINT, parkedOn, String.class),
                in.getBody(String.class), headers);
        int attempts = in.getHeader(ATTEMPTS, 1, Integer.class);
        FailedMessageStore.Failure failure = new FailedMessageStore.Failure(in.getHeader(FAILED_STEP, "route " + route, String.class),
                in.getHeader(ERROR_CLASS, IllegalStateException.class.getName(), String.class),
                in.getHeader(REASON, "unknown failure", String.class), in.getHeader(HTTP_STATUS, Integer.class), attempts,
                in.getHeader(CONNECTION, "default", String.class));
        String why = "parked at " + in.getHeader(PARKED_AT, "an unknown time", String.class) + " after " + attempts
                + " deliveries whose failure could not be stored: " + in.getHeader(STORE_ERROR, "unknown", String.class);
        Instant parkedAt = parsedOr(in.getHeader(PARKED_AT, String.class), clock.instant());
        FailedMessageStore.Parked parked = new FailedMessageStore.Parked(parkedId != null ? parkedId : "unnamed " + UUID.randomUUID(),
                message, failure, in.getHeader(CapturedMessage.FAILED_MESSAGE_ID, Long.class),
                parkedAt.atOffset(ZoneOffset.UTC), why);
        Long deferredRow = in.getHeader(DeferredDeliveries.DEFERRED_ID, Long.class);
        long id;
        try {
            id = tx.execute(status -> {
                try {
                    long row = failedMessages.recordParked(parked);
                    deferredDeliveries.forget(deferredRow);
                    return row;
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (RuntimeException e) {
            log.warn("Parked message {} of route {} cannot be stored yet ({}); it stays parked", parkedId, route, describe(e));
            waitBeforeRedelivery(exchange, deliveries(exchange));
            throw e;
        }
        tries.remove(deliveryOf(exchange));
        // the store takes failures again: the route's next ones get their park-after deliveries
        parking.remove(route);
        log.info("Parked message {} of route {} is now failed message #{}", parkedId, route, id);
    }

    /** The channel a message was read from, or null (another endpoint, or a parked destination itself). */
    Channel channelOf(Exchange exchange) {
        Endpoint from = original(exchange.getFromEndpoint());
        if (from instanceof KafkaEndpoint kafka && kafka.getConfiguration().getTopic() != null) {
            return byDestination.get(key(true, kafka.getConfiguration().getTopic()));
        }
        if (from instanceof JmsEndpoint jms && !jms.isPubSubDomain()) {
            return byDestination.get(key(false, jms.getDestinationName()));
        }
        return null;
    }

    /** How many times in a row this message was delivered and failed here, this delivery included. */
    int deliveries(Exchange exchange) {
        if (original(exchange.getFromEndpoint()) instanceof JmsEndpoint) {
            Integer counted = exchange.getIn().getHeader(JMS_DELIVERY_COUNT, Integer.class);
            if (counted != null) {
                return counted;
            }
        }
        Message record = firstRecord(exchange);
        long position = record.getHeader(KafkaConstants.OFFSET, 0L, Long.class);
        Tries now = tries.compute(deliveryOf(exchange), (where, before) -> before != null && before.position() == position
                ? new Tries(position, before.count() + 1) : new Tries(position, 1));
        return now.count();
    }

    /** What is counted: a Kafka partition of the route (the record at its offset), else the JMS message. */
    private static String deliveryOf(Exchange exchange) {
        Message record = firstRecord(exchange);
        String topic = record.getHeader(KafkaConstants.TOPIC, String.class);
        if (topic != null) {
            return exchange.getFromRouteId() + " " + topic + "/" + record.getHeader(KafkaConstants.PARTITION);
        }
        return exchange.getFromRouteId() + " " + record.getHeader("JMSMessageID", exchange.getExchangeId(), String.class);
    }

    /** Names the delivery: route and Kafka record (topic, partition, offset, timestamp), or the JMS message id. */
    private static String parkedId(Exchange exchange) {
        Message record = firstRecord(exchange);
        String topic = record.getHeader(KafkaConstants.TOPIC, String.class);
        if (topic != null) {
            return exchange.getFromRouteId() + " " + topic + "/" + record.getHeader(KafkaConstants.PARTITION) + "@"
                    + record.getHeader(KafkaConstants.OFFSET) + " " + record.getHeader(KafkaConstants.TIMESTAMP);
        }
        String messageId = record.getHeader("JMSMessageID", String.class);
        return exchange.getFromRouteId() + " " + (messageId != null ? messageId : UUID.randomUUID().toString());
    }

    /** A batching consumer's delivery is a list of its records' exchanges: the first one says where it was read. */
    private static Message firstRecord(Exchange exchange) {
        if (exchange.getIn().getBody() instanceof List<?> batch && !batch.isEmpty() && batch.get(0) instanceof Exchange first) {
            return first.getIn();
        }
        return exchange.getIn();
    }

    /**
     * A Kafka delivery that failed is read again at once (its consumer reconnecting to the group): the consumer thread
     * waits first, growing with the deliveries. Artemis waits by itself (bridge.broker.redelivery-delay), other
     * consumers are left as they are. The wait ends early when Camel stops.
     */
    private void waitBeforeRedelivery(Exchange exchange, int deliveries) {
        if (!(original(exchange.getFromEndpoint()) instanceof KafkaEndpoint)) {
            return;
        }
        long waitMs = firstWait.toMillis();
        for (int i = 1; i < deliveries && waitMs < longestWait.toMillis(); i++) {
            waitMs *= 2;
        }
        long until = System.nanoTime() + Duration.ofMillis(Math.min(waitMs, longestWait.toMillis())).toNanos();
        try {
            while (System.nanoTime() < until && (camel.getStatus().isStarting() || camel.getStatus().isStarted())) {
                Thread.sleep(Math.max(1, Math.min(100, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Endpoint original(Endpoint endpoint) {
        return endpoint instanceof InterceptSendToEndpoint intercepted ? intercepted.getOriginalEndpoint() : endpoint;
    }

    private static String key(boolean kafka, String destination) {
        return (kafka ? "kafka:" : "jms:") + destination;
    }

    private static Instant parsedOr(String instant, Instant otherwise) {
        try {
            return instant == null ? otherwise : Instant.parse(instant);
        } catch (RuntimeException e) {
            return otherwise;
        }
    }

    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.getClass().getSimpleName()).append(": ").append(failure.getMessage());
        Throwable cause = failure.getCause();
        for (int depth = 0; cause != null && cause != failure && depth < 5; depth++, cause = cause.getCause()) {
            text.append(" <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }
}
