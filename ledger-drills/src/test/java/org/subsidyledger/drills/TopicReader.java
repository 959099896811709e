package org.subsidyledger.drills;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * An integrator's consumer of {@code subsidy.ledger.events}: every partition from the beginning, no consumer group,
 * polling on its own thread through the outage, each record kept with the moment it arrived.
 */
final class TopicReader implements AutoCloseable {
    static final String TOPIC = "subsidy.ledger.events";

    /** A record as read: where, its key, the CloudEvent, and when it arrived (wall clock, to compare with its time). */
    record Received(int partition, long offset, String key, JsonNode event, Instant arrived) {
        String id() {
            return event.path("id").asText();
        }

        long globalIndex() {
            return event.path("globalindex").asLong(-1);
        }

        long sequence() {
            return event.path("aggregatesequence").asLong(-1);
        }

        /** How long after the event's own time it reached the consumer. */
        Duration lag() {
            return Duration.between(Instant.parse(event.path("time").asText()), arrived);
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    TopicReader(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(config);
        List<PartitionInfo> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(60));
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(TOPIC, p.partition()))
                .toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        thread = new Thread(this::poll, "drill-topic-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    Instant arrived = Instant.now();
                    try {
                        received.add(new Received(
                                record.partition(),
                                record.offset(),
                                record.key(),
                                LedgerClient.JSON.readTree(record.value()),
                                arrived));
                    } catch (IOException e) {
                        throw new AssertionError("a record on " + TOPIC + " is not JSON", e);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure = t;
        }
    }

    List<Received> received() {
        if (failure != null) {
            throw new AssertionError("the consumer failed: " + failure, failure);
        }
        return List.copyOf(received);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
