package dev.vtexbridge.errors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which channel endpoints can be parked, and where their messages go. */
class ParkedChannelsTest {

    @Test
    void aKafkaChannelParksOnItsTopicsParkedTopic() {
        ParkedMessages.Channel channel = ParkedMessages.Channel.of("stock-changes", "kafka:bridge.erp.stock?batching=true");

        assertThat(channel.kafka()).isTrue();
        assertThat(channel.destination()).isEqualTo("bridge.erp.stock");
        assertThat(channel.parkedUri()).isEqualTo("kafka:bridge.erp.stock.parked");
    }

    @Test
    void aJmsChannelParksOnItsQueuesParkedQueue() {
        assertThat(ParkedMessages.Channel.of("orders-release", "jms:queue:bridge.orders.release").parkedUri())
                .isEqualTo("jms:queue:bridge.orders.release.parked");
        assertThat(ParkedMessages.Channel.of("short", "jms:bridge.short?concurrentConsumers=4").parkedUri())
                .isEqualTo("jms:queue:bridge.short.parked");
    }

    @Test
    void otherEndpointsAreNotParked() {
        assertThat(ParkedMessages.Channel.of("t", "jms:topic:bridge.events")).isNull();
        assertThat(ParkedMessages.Channel.of("d", "direct:somewhere")).isNull();
        assertThat(ParkedMessages.Channel.of("s", "seda:somewhere")).isNull();
        assertThat(ParkedMessages.Channel.of("many", "kafka:a,b")).isNull();
        assertThat(ParkedMessages.Channel.of("none", null)).isNull();
    }
}
