package org.subsidyledger.projections.kafka;

import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every event of the log to {@code subsidy.ledger.events} (SPEC §7), once at least and in log order per key.
 *
 * <p>It runs in its own tracking event processor ({@value #PROCESSING_GROUP}), whose token in {@code token_entry}
 * records how far publication got. The events of a batch are collected as they are handled; when the batch's unit of
 * work prepares to commit, their stored global indexes are read in one query ({@link StoredIndexes}: the record's
 * {@code globalindex} is the event's own position in the log, never the tracking token's, which is the highest
 * position seen so far and is past the event's own when the event committed after a later one), each is handed to the
 * (idempotent, {@code acks=all}) producer in log order, and before the unit of work commits, and with it the new
 * token, the publisher waits until the broker has acknowledged every record of the batch. If one is refused or not acknowledged in time, the handler
 * fails, the unit of work rolls back, the token stays where it was, and the processor retries the same events after
 * its back-off: delivery is at least once (a retried batch may repeat records the broker had already taken, with the
 * same CloudEvents {@code id}), and never skips an event. The processor's listener errors must propagate for this
 * (the application registers a propagating error handler for the group and checks the processor is tracking).
 *
 * <p>{@link DisallowReplay}: a reset of this processor replays nothing to Kafka, and replays of the projections run
 * in their own processors, so no replay ever republishes.
 */
@ProcessingGroup(KafkaEventPublisher.PROCESSING_GROUP)
@DisallowReplay
public class KafkaEventPublisher implements AutoCloseable {
    public static final String PROCESSING_GROUP = "kafka-publisher";

    private static final Logger log = LoggerFactory.getLogger(KafkaEventPublisher.class);
    private static final String BATCH_RESOURCE = KafkaEventPublisher.class.getName() + ".batch";

    private final ProducerSlot producer;
    private final String topic;
    private final LedgerCloudEvents cloudEvents;
    private final StoredIndexes storedIndexes;
    private final Duration acknowledgementTimeout;
    private final Clock clock;
    private final PublicationStatus status = new PublicationStatus();

    /**
     * @param producers              makes a producer (idempotent, {@code acks=all}, CloudEvents structured JSON); a new
     *                               one is made after a failure, so a retry never inherits a broken producer's state
     * @param storedIndexes          looks up the global index each event was stored at, for the {@code globalindex}
     *                               extension (one query per batch)
     * @param acknowledgementTimeout how long a batch waits for the broker's acknowledgements before it is given up and
     *                               retried with a new producer. The producer itself must never give up a record
     *                               ({@code delivery.timeout.ms} unbounded): a record it expired could let a later one
     *                               of the same partition be written before the retry writes the first again.
     */
    public KafkaEventPublisher(
            Supplier<Producer<String, CloudEvent>> producers,
            String topic,
            LedgerCloudEvents cloudEvents,
            StoredIndexes storedIndexes,
            Duration acknowledgementTimeout,
            Clock clock) {
        this.producer = new ProducerSlot(producers);
        this.storedIndexes = Objects.requireNonNull(storedIndexes, "storedIndexes");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.cloudEvents = Objects.requireNonNull(cloudEvents, "cloudEvents");
        this.acknowledgementTimeout = Objects.requireNonNull(acknowledgementTimeout, "acknowledgementTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @EventHandler
    public void on(Object payload, EventMessage<?> message) {
        Batch batch = currentBatch();
        batch.started();
        batch.add(message);
        if (!CurrentUnitOfWork.isStarted()) {
            batch.publish();
        }
    }

    /** Where publication stands, for health and metrics. */
    public PublicationStatus status() {
        return status;
    }

    @Override
    public void close() {
        producer.close();
    }

    /**
     * Records the failure and drops the producer at once. Whatever the dropped producer had written of the batch is a
     * prefix of it in each partition (idempotence: the broker takes a producer's records of a partition only in
     * sequence), and the retry writes the whole batch again, so the first copy of each event still follows log order.
     */
    private KafkaPublicationException failed(Exception cause) {
        status.failed(clock.instant(), cause);
        producer.drop();
        if (cause instanceof KafkaPublicationException e) {
            return e;
        }
        return new KafkaPublicationException(
                "Publishing to " + topic + " failed; the batch will be retried: " + cause.getMessage(), cause);
    }

    /** The batch of the processor's current unit of work, waited for when that unit of work prepares to commit. */
    private Batch currentBatch() {
        if (!CurrentUnitOfWork.isStarted()) {
            return new Batch();
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BATCH_RESOURCE, key -> {
            Batch batch = new Batch();
            unitOfWork.onPrepareCommit(u -> batch.publish());
            return batch;
        });
    }

    /**
     * The events of one unit of work, published when it prepares to commit: their stored global indexes are read in
     * one query, each is handed to the producer in the order the processor handled them (log order), and the batch
     * waits for every acknowledgement.
     */
    private final class Batch {
        private final List<EventMessage<?>> events = new ArrayList<>();
        private Instant startedAt;

        void started() {
            if (startedAt == null) {
                startedAt = clock.instant();
                status.waitingSince(startedAt);
            }
        }

        void add(EventMessage<?> event) {
            events.add(event);
        }

        void publish() {
            if (events.isEmpty()) {
                return;
            }
            Map<String, Long> indexes;
            try {
                indexes = storedIndexes.of(
                        events.stream().map(EventMessage::getIdentifier).toList());
            } catch (RuntimeException e) {
                throw failed(e);
            }
            List<Future<RecordMetadata>> sends = new ArrayList<>(events.size());
            long lastIndex = -1;
            for (EventMessage<?> event : events) {
                Long globalIndex = indexes.get(event.getIdentifier());
                if (globalIndex == null) {
                    throw failed(new IllegalStateException(
                            "Event " + event.getIdentifier() + " is not in the log; its global index is unknown"));
                }
                LedgerCloudEvents.Published published = cloudEvents.toCloudEvent(event, globalIndex);
                try {
                    sends.add(producer.send(
                            new ProducerRecord<>(topic, published.key(), published.event()), "events of " + topic));
                } catch (RuntimeException e) {
                    // No metadata within max.block.ms (broker away): the batch stops at its first refused record.
                    throw failed(e);
                }
                lastIndex = Math.max(lastIndex, globalIndex);
            }
            try {
                ProducerSlot.awaitAll(sends, acknowledgementTimeout, "events of " + topic);
            } catch (KafkaPublicationException e) {
                throw failed(e);
            }
            status.acknowledged(clock.instant(), lastIndex, sends.size());
            if (log.isDebugEnabled()) {
                log.debug("Published {} events up to global index {}", sends.size(), lastIndex);
            }
        }
    }

    /** Publication failed; the processor retries the batch. */
    public static final class KafkaPublicationException extends RuntimeException {
        public KafkaPublicationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
