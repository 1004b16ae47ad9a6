package dev.vtexbridge.ledger;

import java.util.HashMap;
import java.util.Map;

import dev.vtexbridge.testkit.FreePorts;
import kafka.server.BrokerServer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * An embedded single-node Kafka (KRaft) whose broker can be stopped and started again on the same port and log
 * directories, as an operator restarts one: the clients keep their bootstrap address and find the broker again, with
 * every record written before the stop. The controller stays up meanwhile.
 */
final class StoppableKafka implements AutoCloseable {

    private final EmbeddedKafkaKraftBroker kafka;

    StoppableKafka(int partitions, Map<String, String> brokerProperties, String... topics) {
        kafka = new EmbeddedKafkaKraftBroker(1, partitions, topics);
        Map<String, String> properties = new HashMap<>(brokerProperties);
        // fixed ports, so that the broker started again listens where its clients look for it
        properties.put("listeners", "EXTERNAL://localhost:" + FreePorts.next() + ",CONTROLLER://localhost:" + FreePorts.next());
        kafka.brokerProperties(properties);
        kafka.afterPropertiesSet();
    }

    String brokers() {
        return kafka.getBrokersAsString();
    }

    /** Stops the broker (its clients see it gone); returns once it is down. */
    void stopBroker() {
        broker().shutdown();
    }

    /** Starts the stopped broker again; returns once it serves. */
    void startBroker() {
        broker().startup();
    }

    private BrokerServer broker() {
        return kafka.getCluster().brokers().values().iterator().next();
    }

    @Override
    public void close() {
        kafka.destroy();
    }
}
