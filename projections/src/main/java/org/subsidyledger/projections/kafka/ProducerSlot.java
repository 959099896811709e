package org.subsidyledger.projections.kafka;

import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The producer a publisher sends with, made on first use and dropped at once after a failure, so that a retry never
 * inherits a broken producer's state (its buffered records, its epoch). Shared by the event and the alert publisher.
 */
final class ProducerSlot implements AutoCloseable {
    private final Supplier<Producer<String, CloudEvent>> producers;
    private Producer<String, CloudEvent> producer;

    ProducerSlot(Supplier<Producer<String, CloudEvent>> producers) {
        this.producers = Objects.requireNonNull(producers, "producers");
    }

    synchronized Producer<String, CloudEvent> get() {
        if (producer == null) {
            producer = producers.get();
        }
        return producer;
    }

    /** Closes the producer without waiting for what it still holds; the next {@link #get()} makes a new one. */
    synchronized void drop() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    /**
     * Hands a record to the producer, and fails at once if the producer refused it at once. {@code send()} blocks up
     * to {@code max.block.ms} for metadata of an unreachable cluster and then does not throw: it returns an already
     * failed future. Going on would block as long again for every further record of the batch — a batch of 100 with
     * the broker away then outlives Axon's unit-of-work timeout, whose interrupt stops the processor for good. So a
     * batch meets at most one such wait before it is given up and retried.
     *
     * @throws KafkaEventPublisher.KafkaPublicationException when the producer refused the record
     */
    Future<RecordMetadata> send(ProducerRecord<String, CloudEvent> record, String what) {
        Future<RecordMetadata> sent = get().send(record);
        if (sent.isDone()) {
            awaitAll(List.of(sent), Duration.ZERO, what);
        }
        return sent;
    }

    /**
     * Waits until the broker has acknowledged every send, all within one {@code timeout}.
     *
     * @param what the records, for the message ("alert transitions", "events")
     * @throws KafkaEventPublisher.KafkaPublicationException when one was refused, or not acknowledged in time
     */
    static void awaitAll(List<Future<RecordMetadata>> sends, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaEventPublisher.KafkaPublicationException("Interrupted while publishing " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new KafkaEventPublisher.KafkaPublicationException(
                    "The broker refused " + what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new KafkaEventPublisher.KafkaPublicationException(
                    "The broker did not acknowledge " + sends.size() + " " + what + " within " + timeout, e);
        }
    }
}
