package org.subsidyledger.projections.kafka;

import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Publishes every event of the log to {@code subsidy.ledger.events} (SPEC §7), once at least and in log order per key.
 *
 * <p>It runs in its own tracking event processor ({@value #PROCESSING_GROUP}), whose token in {@code token_entry}
 * records how far publication got. Each event of a batch is handed to the (idempotent, {@code acks=all}) producer as
 * it is handled; before the batch's unit of work commits, and with it the new token, the publisher waits until the
 * broker has acknowledged every record of the batch. If one is refused or not acknowledged in time, the handler
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
    private final Duration acknowledgementTimeout;
    private final Clock clock;
    private final PublicationStatus status = new PublicationStatus();

    /**
     * @param producers              makes a producer (idempotent, {@code acks=all}, CloudEvents structured JSON); a new
     *                               one is made after a failure, so a retry never inherits a broken producer's state
     * @param acknowledgementTimeout how long a batch waits for the broker's acknowledgements before it is given up and
     *                               retried with a new producer. The producer itself must never give up a record
     *                               ({@code delivery.timeout.ms} unbounded): a record it expired could let a later one
     *                               of the same partition be written before the retry writes the first again.
     */
    public KafkaEventPublisher(Supplier<Producer<String, CloudEvent>> producers, String topic,
                               LedgerCloudEvents cloudEvents, Duration acknowledgementTimeout, Clock clock) {
        this.producer = new ProducerSlot(producers);
        this.topic = Objects.requireNonNull(topic, "topic");
        this.cloudEvents = Objects.requireNonNull(cloudEvents, "cloudEvents");
        this.acknowledgementTimeout = Objects.requireNonNull(acknowledgementTimeout, "acknowledgementTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @EventHandler
    public void on(Object payload, EventMessage<?> message, TrackingToken token) {
        long globalIndex = globalIndex(token);
        LedgerCloudEvents.Published published = cloudEvents.toCloudEvent(message, globalIndex);
        Batch batch = currentBatch();
        batch.started();
        try {
            batch.add(producer.get().send(new ProducerRecord<>(topic, published.key(), published.event())), globalIndex);
        } catch (RuntimeException e) {
            // send() itself fails when the producer cannot get metadata within max.block.ms (broker unreachable).
            throw failed(e);
        }
        if (!CurrentUnitOfWork.isStarted()) {
            batch.awaitAcknowledgements();
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
        return new KafkaPublicationException("Publishing to " + topic + " failed; the batch will be retried: "
                + cause.getMessage(), cause);
    }

    /** The batch of the processor's current unit of work, waited for when that unit of work prepares to commit. */
    private Batch currentBatch() {
        if (!CurrentUnitOfWork.isStarted()) {
            return new Batch();
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BATCH_RESOURCE, key -> {
            Batch batch = new Batch();
            unitOfWork.onPrepareCommit(u -> batch.awaitAcknowledgements());
            return batch;
        });
    }

    static long globalIndex(TrackingToken token) {
        if (token == null) {
            throw new IllegalStateException("The Kafka publisher must run in a tracking event processor: an event"
                    + " without a tracking token has no global index.");
        }
        return WrappedToken.unwrap(token, GapAwareTrackingToken.class).map(GapAwareTrackingToken::getIndex)
                .orElseGet(() -> token.position().orElseThrow(() -> new IllegalStateException(
                        "Tracking token " + token + " has no position")));
    }

    /** The sends of one unit of work. */
    private final class Batch {
        private final List<Future<RecordMetadata>> sends = new ArrayList<>();
        private Instant startedAt;
        private long lastIndex = -1;

        void started() {
            if (startedAt == null) {
                startedAt = clock.instant();
                status.waitingSince(startedAt);
            }
        }

        void add(Future<RecordMetadata> send, long globalIndex) {
            sends.add(send);
            lastIndex = Math.max(lastIndex, globalIndex);
        }

        void awaitAcknowledgements() {
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
