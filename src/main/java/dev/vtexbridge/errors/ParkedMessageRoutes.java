package dev.vtexbridge.errors;

import java.util.List;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The consumers of the parked destinations ({@link ParkedMessages}), which move each parked message into the
 * failed-message store once it can take it:
 * <ul>
 *   <li>Kafka: route {@value #KAFKA_ROUTE}, one consumer of every channel's {@code <topic>.parked} in consumer group
 *   {@code <camel.component.kafka.group-id>.parked}, so engine instances share their partitions. Offsets are committed
 *   once the message is stored ({@code kafkaOffsets}); one that cannot be stored yet is read again after a wait.</li>
 *   <li>Artemis: route {@code parked-<channel>} per JMS channel, on {@code <queue>.parked}, transacted: the message
 *   leaves the queue once stored; until then it is rolled back and redelivered with the broker's growing delay,
 *   never to the broker's DLQ ({@code bridge.broker.*}). Every instance consumes: competing consumers.</li>
 * </ul>
 * No error policy here: a message read from a parked destination is never parked again, it waits for the store.
 * The routes are plumbing ({@value #GROUP}), not flows: the flow metrics leave them out.
 */
@Component
public class ParkedMessageRoutes extends RouteBuilder {

    /** Route group of the engine's own routes that are no flow. */
    public static final String GROUP = "bridge-plumbing";
    static final String KAFKA_ROUTE = "parked-kafka-channels";
    static final String JMS_ROUTE_PREFIX = "parked-";

    private final ParkedMessages parkedMessages;

    public ParkedMessageRoutes(ParkedMessages parkedMessages) {
        this.parkedMessages = parkedMessages;
    }

    @Override
    public void configure() {
        errorHandler(noErrorHandler());
        List<String> topics = parkedMessages.channels().stream().filter(ParkedMessages.Channel::kafka)
                .map(channel -> channel.destination() + ParkedMessages.SUFFIX).toList();
        if (!topics.isEmpty()) {
            from("kafka:" + String.join(",", topics) + "?groupId={{camel.component.kafka.group-id}}" + ParkedMessages.SUFFIX
                    + "&allowManualCommit=true&autoCommitEnable=false")
                    .routeId(KAFKA_ROUTE).routeGroup(GROUP)
                    .bean("kafkaOffsets", "register")
                    .bean("parkedMessages", "takeBack");
        }
        for (ParkedMessages.Channel channel : parkedMessages.channels()) {
            if (!channel.kafka()) {
                from(channel.parkedUri()).routeId(JMS_ROUTE_PREFIX + channel.name()).routeGroup(GROUP)
                        .bean("parkedMessages", "takeBack");
            }
        }
    }
}
