package dev.vtexbridge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.model.ErpChange;
import dev.vtexbridge.sync.StockRules;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The raw baseline of the stock benchmark: one thread, a plain KafkaConsumer, Jackson and java.net.http.HttpClient doing
 * the engine's job without the engine: read each stock event, skip it when older than the version applied, apply the
 * same stock rules, and open a coalescing window (the engine's, same length) for the SKU when its exposed quantity
 * differs from the last one notified; when the window closes, POST one inventory notification (sync, HTTP/1.1, the
 * same headers) and remember the value. State lives in memory only: no database, no durable channel.
 */
final class RawStockLoop implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String notificator;
    private final StockRules rules;
    private final long windowNanos;
    private final ObjectMapper json;
    private final Map<String, Map<String, Integer>> erpStock = new ConcurrentHashMap<>();
    private final Map<String, OffsetDateTime> versions = new ConcurrentHashMap<>();
    private final Map<String, Integer> exposed = new ConcurrentHashMap<>();
    private final Map<String, Integer> notified = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, Long> due = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean idle;
    private volatile boolean assigned;
    private volatile Throwable failure;

    RawStockLoop(String brokers, String topic, String vtexApiUrl, StockRules rules, Duration window, ObjectMapper json) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "raw-stock-loop",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        this.consumer.subscribe(List.of(topic), new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
                assigned = !partitions.isEmpty() || assigned;
            }
        });
        this.notificator = vtexApiUrl + "/api/notificator/bridgeseller/changenotification/";
        this.rules = rules;
        this.windowNanos = window.toNanos();
        this.json = json;
        this.thread = new Thread(this::loop, "raw-stock-loop");
    }

    void start() throws InterruptedException {
        thread.start();
        while (!assigned && failure == null) {   // joined the group before anything is published
            Thread.sleep(20);
        }
    }

    boolean idle() {
        if (failure != null) {
            throw new IllegalStateException("raw loop failed", failure);
        }
        return idle;
    }

    Integer exposed(String sku) {
        return exposed.get(sku);
    }

    Integer notified(String sku) {
        return notified.get(sku);
    }

    private void loop() {
        try {
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(50));
                for (ConsumerRecord<String, String> record : records) {
                    apply(json.readValue(record.value(), ErpChange.class));
                }
                sendDue();
                idle = records.isEmpty() && due.isEmpty();
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (Throwable e) {
            failure = e;
        } finally {
            consumer.close();
        }
    }

    private void apply(ErpChange change) {
        OffsetDateTime version = change.updatedAt();
        OffsetDateTime applied = versions.get(change.sku());
        if (version != null && applied != null && version.isBefore(applied)) {
            return;
        }
        Map<String, Integer> stock = change.warehouses();
        if (stock == null) {
            stock = new LinkedHashMap<>(erpStock.getOrDefault(change.sku(), Map.of()));
            stock.put(change.warehouse(), change.quantity());
        }
        erpStock.put(change.sku(), stock);
        if (version != null) {
            versions.put(change.sku(), version);
        }
        int total = rules.expose("1", stock).values().stream().mapToInt(Integer::intValue).sum();
        exposed.put(change.sku(), total);
        if (!Integer.valueOf(total).equals(notified.get(change.sku()))) {
            long now = System.nanoTime();
            if (total == 0) {
                due.remove(change.sku());
                due.put(change.sku(), now);   // zero stock skips the window (at the end of the queue here)
            } else {
                due.putIfAbsent(change.sku(), now + windowNanos);
            }
        }
    }

    private void sendDue() throws Exception {
        long now = System.nanoTime();
        Iterator<Map.Entry<String, Long>> entries = due.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, Long> entry = entries.next();
            if (entry.getValue() - now > 0) {
                break;   // windows are equally long, so the map is in due order
            }
            entries.remove();
            String sku = entry.getKey();
            Integer value = exposed.get(sku);
            if (value == null || value.equals(notified.get(sku))) {
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(notificator + sku + "/inventory"))
                    .header("X-VTEX-API-AppKey", "vtexappkey-benchmarketplace-BENCH")
                    .header("X-VTEX-API-AppToken", "BENCH-TOKEN")
                    .header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("notification of " + sku + " answered HTTP " + response.statusCode());
            }
            notified.put(sku, value);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
