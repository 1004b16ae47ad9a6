package dev.vtexbridge.config;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The JMS side of the durable channels: Camel's "jms" component on the (embedded or external) Artemis broker. */
@Configuration(proxyBeanMethods = false)
public class BrokerConfiguration {

    /**
     * Consumers are transacted: a message leaves the queue only once its exchange completed, or once the error
     * policy stored it as failed. A crash in between puts it back on the queue. A channel is one-way: without
     * disableReplyTo, a send from a request-reply exchange (an HTTP route such as the ERP webhook) would wait for the
     * consuming flow to finish and answer, and time out when it takes longer than the request timeout.
     */
    @Bean("jms")
    JmsComponent jmsComponent(ConnectionFactory connectionFactory) {
        JmsComponent jms = JmsComponent.jmsComponentTransacted(connectionFactory);
        jms.getConfiguration().setCacheLevelName("CACHE_CONSUMER");
        jms.getConfiguration().setDisableReplyTo(true);
        return jms;
    }

    /**
     * The NIO journal flushes its write buffer every 3.33 ms by default, which caps synced persistent sends near
     * 300 per second; a shorter timeout keeps every send durable and lifts that ceiling.
     */
    @Bean
    ArtemisConfigurationCustomizer journalTuning(@Value("${bridge.broker.journal-buffer-timeout-ns}") int timeoutNs) {
        return configuration -> {
            configuration.setJournalType(JournalType.NIO);
            configuration.setJournalBufferTimeout_NIO(timeoutNs);
            configuration.setJournalBufferTimeout_AIO(timeoutNs);
        };
    }

    /**
     * Message groups ({@code JMSXGroupID}, set from a channel message's key by {@link ChannelConfiguration}) hashed
     * into a fixed number of buckets: a queue read by several consumers keeps each key's messages in order, and the
     * broker's group table stays that size however many SKUs pass. Groups are rebalanced when a consumer joins
     * (dispatch paused until what is in flight is acknowledged, so order holds): consumers start one after the other,
     * and without that the first one would keep every group of a backlog to itself.
     */
    @Bean
    ArtemisConfigurationCustomizer messageGroupBuckets(@Value("${bridge.broker.group-buckets}") int buckets) {
        return configuration -> configuration.getAddressSettings()
                .computeIfAbsent("#", match -> new AddressSettings())
                .setDefaultGroupBuckets(buckets)
                .setDefaultGroupRebalance(true)
                .setDefaultGroupRebalancePauseDispatch(true);
    }

    /**
     * A delivery is rolled back only when even the error policy failed (the failed-message store unreachable): it is
     * redelivered with a growing delay for as long as that lasts, never moved to the DLQ after Artemis' default of 10
     * attempts, where neither the flows nor ops would see it. A channel message is parked by the engine instead
     * (dev.vtexbridge.errors.ParkedMessages: {@code <queue>.parked}, with its failure) after
     * {@code bridge.errors.park-after} such deliveries; a parked one waits here until the store takes it. Applies to
     * every address, on top of Spring Boot's DLQ and expiry settings.
     */
    @Bean
    ArtemisConfigurationCustomizer redeliveryUntilStored(@Value("${bridge.broker.redelivery-delay}") long delayMs,
                                                         @Value("${bridge.broker.redelivery-multiplier}") double multiplier,
                                                         @Value("${bridge.broker.max-redelivery-delay}") long maxDelayMs) {
        return configuration -> {
            AddressSettings all = configuration.getAddressSettings().computeIfAbsent("#", match -> new AddressSettings());
            all.setMaxDeliveryAttempts(-1)
                    .setRedeliveryDelay(delayMs)
                    .setRedeliveryMultiplier(multiplier)
                    .setMaxRedeliveryDelay(maxDelayMs);
        };
    }
}
