package org.subsidyledger.projections.kafka;

import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

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
            throw new KafkaEventPublisher.KafkaPublicationException("The broker refused " + what + ": "
                    + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new KafkaEventPublisher.KafkaPublicationException("The broker did not acknowledge " + sends.size()
                    + " " + what + " within " + timeout, e);
        }
    }
}
