package org.subsidyledger.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.subsidyledger.api.store.LedgerJson;
import org.subsidyledger.core.audit.LedgerSealed;
import org.subsidyledger.projections.kafka.KafkaEventPublisher;
import org.subsidyledger.projections.kafka.LedgerCloudEvents;

/**
 * A publication batch with the broker unreachable stops at its first refused record. The producer's {@code send()}
 * waits {@code max.block.ms} for metadata and then returns a failed future instead of throwing; a batch that went on
 * waited as long again for each of its records, outlived Axon's unit-of-work timeout in a long outage, and the
 * timeout's interrupt stopped the publishing processor for good. A real producer, pointed at a port where nothing
 * listens, counts the records handed to it.
 */
class UnreachableBrokerBatchTest {
    static final AtomicInteger HANDED = new AtomicInteger();

    /** Counts the records handed to the producer. */
    public static final class Counting implements ProducerInterceptor<String, CloudEvent> {
        @Override
        public ProducerRecord<String, CloudEvent> onSend(ProducerRecord<String, CloudEvent> record) {
            HANDED.incrementAndGet();
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

        @Override
        public void close() {}

        @Override
        public void configure(Map<String, ?> configs) {}
    }

    @Test
    void aBatchStopsAtItsFirstRefusedRecordAndFailsWithinOneWait() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, Object> config = new HashMap<>(KafkaConfiguration.producerConfig(
                "127.0.0.1:" + port,
                new LedgerKafkaProperties.Producer(
                        Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ZERO)));
        config.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, Counting.class.getName());
        List<GenericDomainEventMessage<LedgerSealed>> seals = new ArrayList<>();
        Map<String, Long> indexes = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            GenericDomainEventMessage<LedgerSealed> seal = new GenericDomainEventMessage<>(
                    "LedgerSealed",
                    LedgerSealed.AGGREGATE_ID,
                    i,
                    new LedgerSealed(
                            i, LedgerSealed.Trigger.ON_DEMAND, 0, i + 1, i + 1, List.of(), "digest", "hashes"));
            seals.add(seal);
            indexes.put(seal.getIdentifier(), (long) i + 1);
        }
        HANDED.set(0);
        try (KafkaEventPublisher publisher = new KafkaEventPublisher(
                () -> new KafkaProducer<>(config),
                "subsidy.ledger.events",
                new LedgerCloudEvents(JacksonSerializer.builder()
                        .objectMapper(LedgerJson.newMapper())
                        .build()),
                ids -> indexes,
                Duration.ofSeconds(2),
                Clock.systemUTC())) {
            DefaultUnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
            seals.forEach(seal -> publisher.on(seal.getPayload(), seal));

            assertThatThrownBy(batch::commit)
                    .isInstanceOf(KafkaEventPublisher.KafkaPublicationException.class)
                    .hasMessageContaining("refused");
            assertThat(HANDED.get())
                    .as("records handed to the producer before the batch gave up")
                    .isEqualTo(1);
            assertThat(publisher.status().snapshot().failures()).isEqualTo(1);
            assertThat(publisher.status().snapshot().published()).isZero();
        }
    }
}
