package dev.vtexbridge.config;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonParseException;
import dev.vtexbridge.errors.FailureClassifier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualSyncCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which commits a delivery makes: one per partition, past its last record; and which failures are transient. */
class KafkaOffsetsTest {

    private final CamelContext camel = new DefaultCamelContext();

    @Test
    void aBatchCommitsEachOfItsPartitionsPastItsLastRecord() {
        Exchange batch = new DefaultExchange(camel);
        batch.getIn().setBody(List.of(record("t", 0, 5), record("t", 1, 7), record("t", 0, 6), record("t", 1, 3)));
        batch.getIn().setHeader(KafkaConstants.MANUAL_COMMIT, commit("t", 1, 3)); // Camel's: the last record's only

        List<KafkaManualCommit> commits = KafkaOffsets.lastPerPartition(batch.getIn());

        assertThat(commits).extracting(c -> ((DefaultKafkaManualCommit) c).getPartition().partition() + "@"
                + ((DefaultKafkaManualCommit) c).getRecordOffset()).containsExactlyInAnyOrder("0@6", "1@7");
    }

    @Test
    void aSingleRecordCommitsItsOwnOffset() {
        Exchange one = record("t", 2, 42);
        assertThat(KafkaOffsets.lastPerPartition(one.getIn())).singleElement()
                .satisfies(c -> assertThat(((DefaultKafkaManualCommit) c).getRecordOffset()).isEqualTo(42));
        assertThat(KafkaOffsets.lastPerPartition(new DefaultExchange(camel).getIn())).as("no manual commit").isEmpty();
    }

    @Test
    void unreadableJsonIsNotTransientOtherIoIs() {
        assertThat(FailureClassifier.isTransient(new JsonParseException(null, "Unrecognized token 'not'"))).isFalse();
        assertThat(FailureClassifier.isTransient(new IOException("connection reset"))).isTrue();
    }

    private Exchange record(String topic, int partition, long offset) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setHeader(KafkaConstants.MANUAL_COMMIT, commit(topic, partition, offset));
        return exchange;
    }

    private KafkaManualCommit commit(String topic, int partition, long offset) {
        return new DefaultKafkaManualSyncCommit(new KafkaManualCommitFactory.CamelExchangePayload(null, null, "t", null),
                new KafkaManualCommitFactory.KafkaRecordPayload(new TopicPartition(topic, partition), offset, 1000), null);
    }
}
