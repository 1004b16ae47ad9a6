package dev.vtexbridge.config;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.serde.KafkaHeaderDeserializer;
import org.apache.camel.component.kafka.serde.KafkaHeaderSerializer;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spi.EndpointStrategy;
import org.apache.camel.spi.InterceptSendToEndpoint;
import org.apache.camel.support.PluginHelper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The message key of the durable channels ({@code {{bridge.channels.*}}}), whatever they run on.
 * <p>
 * A flow says which messages belong together (same SKU, same order) by setting the header {@value #MESSAGE_KEY}
 * before it sends to a channel. When the channels are Kafka topics ({@code bridge.kafka.brokers} set), that header
 * becomes the Kafka record key, so one key always lands on one partition: its messages stay in order and several
 * engine instances split the work by key. On Artemis it becomes the message group ({@value #JMS_GROUP}): the broker
 * hands one group to one consumer at a time, so a flow read by several concurrent consumers still takes one key's
 * messages in order. Routes never name either header themselves, so moving a channel between Artemis and Kafka stays
 * a configuration change.
 * <p>
 * How: an {@link EndpointStrategy} (Camel registers every such bean on the context) wraps each {@code kafka:} and
 * {@code jms:} endpoint the same way a route's {@code interceptSendToEndpoint} would, with a step that copies
 * {@value #MESSAGE_KEY} into {@code kafka.KEY} or {@value #JMS_GROUP} just before the send. A {@code kafka.KEY} set
 * explicitly wins; a {@value #JMS_GROUP} never does, since a message read from one queue carries its old group.
 * <p>
 * Headers cross Kafka as text ({@link TextHeaders}), as they cross Artemis as properties: a message read from a Kafka
 * channel has the same headers it was sent with, so the failed-message store keeps them and a replay (whose row id
 * travels as a header) finds its row again.
 */
@Configuration(proxyBeanMethods = false)
public class ChannelConfiguration {

    /** Header a flow sets to key the message it sends to a channel (becomes the Kafka record key). */
    public static final String MESSAGE_KEY = "BridgeMessageKey";
    /** The JMS message group property: Artemis delivers a group's messages to one consumer, in order. */
    static final String JMS_GROUP = "JMSXGroupID";

    @Bean
    EndpointStrategy channelMessageKey() {
        return ChannelConfiguration::withMessageKey;
    }

    @Bean
    ComponentCustomizer kafkaTextHeaders() {
        TextHeaders text = new TextHeaders();
        return ComponentCustomizer.builder(KafkaComponent.class).build(kafka -> {
            kafka.getConfiguration().setHeaderSerializer(text);
            kafka.getConfiguration().setHeaderDeserializer(text);
        });
    }

    static Endpoint withMessageKey(String uri, Endpoint endpoint) {
        Endpoint target = endpoint instanceof InterceptSendToEndpoint intercepted ? intercepted.getOriginalEndpoint() : endpoint;
        if (target instanceof KafkaEndpoint kafka && !uri.contains("groupId=")) {
            ownConsumerGroup(kafka);
        }
        MessageKeyAs step = target instanceof KafkaEndpoint ? new MessageKeyAs(KafkaConstants.KEY, false)
                : target instanceof JmsEndpoint ? new MessageKeyAs(JMS_GROUP, true) : null;
        if (step == null || isWrapped(endpoint)) {
            return endpoint;
        }
        return PluginHelper.getInterceptEndpointFactory(endpoint.getCamelContext())
                .createInterceptSendToEndpoint(endpoint.getCamelContext(), endpoint, false, null, step, null);
    }

    /**
     * Each topic is read by its own consumer group, {@code <camel.component.kafka.group-id>.<topic>}: a channel whose
     * consumer is slow or retrying, or whose group rebalances, never holds up another channel's partitions. A
     * {@code groupId} in the endpoint URI wins.
     */
    private static void ownConsumerGroup(KafkaEndpoint kafka) {
        String base = kafka.getComponent().getConfiguration().getGroupId();
        String topic = kafka.getConfiguration().getTopic();
        if (base != null && topic != null && base.equals(kafka.getConfiguration().getGroupId())) {
            kafka.getConfiguration().setGroupId(base + "." + topic);
        }
    }

    private static boolean isWrapped(Endpoint endpoint) {
        return endpoint instanceof InterceptSendToEndpoint intercepted && intercepted.getBefore() instanceof MessageKeyAs;
    }

    /** Copies {@value #MESSAGE_KEY} to the broker's key header (Kafka record key, JMS group), over one already set or not. */
    record MessageKeyAs(String header, boolean overwrite) implements Processor {

        @Override
        public void process(Exchange exchange) {
            Message message = exchange.getMessage();
            String key = message.getHeader(MESSAGE_KEY, String.class);
            if (key != null && (overwrite || message.getHeader(header) == null)) {
                message.setHeader(header, key);
            }
        }
    }

    /**
     * Header values as UTF-8 text both ways. Camel's default writes a Long as 8 binary bytes and hands every header
     * back as bytes, which our flows and the failed-message store cannot read. Values that are not text, numbers or
     * booleans are not sent (as with the default).
     */
    static final class TextHeaders implements KafkaHeaderSerializer, KafkaHeaderDeserializer {

        @Override
        public byte[] serialize(String key, Object value) {
            if (value instanceof byte[] bytes) {
                return bytes;
            }
            if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
                return value.toString().getBytes(StandardCharsets.UTF_8);
            }
            return null;
        }

        @Override
        public Object deserialize(String key, byte[] value) {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }
    }
}
