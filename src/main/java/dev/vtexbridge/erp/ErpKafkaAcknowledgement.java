package dev.vtexbridge.erp;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

/** What the Kafka sink stores on the order link: the record's topic, partition and offset, as the broker acked them. */
@Component("erpKafkaAcknowledgement")
public class ErpKafkaAcknowledgement {

    public void read(Exchange exchange) {
        Object metadata = exchange.getMessage().getHeader(KafkaConstants.KAFKA_RECORD_META);
        String where = metadata instanceof List<?> records && !records.isEmpty() ? records.get(0).toString()
                : "(no record metadata)";
        exchange.getMessage().setHeader(ErpSinkHeaders.ERP_REFERENCE, "kafka " + where);
    }
}
