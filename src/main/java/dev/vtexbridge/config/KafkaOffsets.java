package dev.vtexbridge.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.vtexbridge.errors.DeferredDeliveries;
import dev.vtexbridge.errors.ParkedMessages;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Commits a Kafka consumer's offsets once the effect of what it read is durable, for every route whose Kafka
 * endpoint has {@code allowManualCommit=true} (and {@code autoCommitEnable=false}): when the exchange completed (the
 * flow worked it, or the error policy stored, deferred or parked its failure), before the consumer polls again. An
 * exchange that failed after the error policy (the failed-message store itself down, the message not parked yet)
 * commits nothing; with breakOnFirstError its records are read again.
 * <p>
 * A batching consumer's delivery ({@code batching=true}) is a list of its records' exchanges, possibly from several
 * partitions: each partition is committed past its last record of the batch. (Camel 4.18.0 commits nothing for a
 * batching consumer without auto-commit, and with {@code allowManualCommit} hands the batch only its last record's
 * commit, i.e. one partition's.)
 * <p>
 * A message the error policy parked ({@link ParkedMessages}: its failure could not be stored, so it went to its
 * channel's {@code .parked} topic) completes too, so its offset is committed and the partition goes on.
 * <p>
 * The same completion lets {@link DeferredDeliveries#worked} release a channel message's deferred row once its message
 * sent back has been worked. Every exchange a Kafka consumer starts registers here first, through the interceptFrom of
 * the shared error policy ({@code routes/_shared/error-handling.camel.yaml}), which every route names.
 */
@Component("kafkaOffsets")
public class KafkaOffsets {

    private static final Logger log = LoggerFactory.getLogger(KafkaOffsets.class);
    private static final String REGISTERED = "BridgeKafkaCompletionRegistered";

    private final DeferredDeliveries deferredDeliveries;

    public KafkaOffsets(DeferredDeliveries deferredDeliveries) {
        this.deferredDeliveries = deferredDeliveries;
    }

    /** Commits the delivery's offsets (and releases its deferred row) once its exchange completed, not if it failed. */
    public void register(Exchange exchange) {
        if (exchange.getProperty(REGISTERED) != null || !(exchange.getFromEndpoint() instanceof org.apache.camel.component.kafka.KafkaEndpoint)) {
            return;
        }
        exchange.setProperty(REGISTERED, Boolean.TRUE);
        List<KafkaManualCommit> commits = lastPerPartition(exchange.getIn());
        Long deferredRow = exchange.getIn().getHeader(DeferredDeliveries.DEFERRED_ID, Long.class);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                try {
                    // a parked message keeps its deferred row (and its key's hold) until the failed store took it
                    if (done.getProperty(ParkedMessages.PARKED) == null) {
                        deferredDeliveries.worked(done, deferredRow);
                    }
                } catch (RuntimeException e) {
                    // the row stays released and is sent again later; the offset must not move past the message
                    log.warn("Route {}: could not release the deferred row of a message worked ({}); offsets not committed",
                            done.getFromRouteId(), e.getMessage());
                    return;
                }
                for (KafkaManualCommit commit : commits) {
                    commit.commit();
                }
            }
        });
    }

    /** The manual commit of the last record of each partition in a delivery (one record, or a batch of them). */
    static List<KafkaManualCommit> lastPerPartition(Message in) {
        List<KafkaManualCommit> all = new ArrayList<>();
        if (in.getBody() instanceof List<?> batch) {
            for (Object record : batch) {
                if (record instanceof Exchange child && child.getIn().getHeader(KafkaConstants.MANUAL_COMMIT) instanceof KafkaManualCommit commit) {
                    all.add(commit);
                }
            }
        }
        if (all.isEmpty() && in.getHeader(KafkaConstants.MANUAL_COMMIT) instanceof KafkaManualCommit commit) {
            all.add(commit);
        }
        Map<Object, KafkaManualCommit> last = new LinkedHashMap<>();
        for (KafkaManualCommit commit : all) {
            if (commit instanceof DefaultKafkaManualCommit known) {
                TopicPartition partition = known.getPartition();
                KafkaManualCommit before = last.get(partition);
                if (before == null || ((DefaultKafkaManualCommit) before).getRecordOffset() < known.getRecordOffset()) {
                    last.put(partition, commit);
                }
            } else {
                last.put(commit, commit);
            }
        }
        return new ArrayList<>(last.values());
    }
}
