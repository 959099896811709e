package org.subsidyledger.projections.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes fiscal-alert transitions to {@code subsidy.ledger.alerts} (SPEC §7) from the outbox the alert projection
 * writes ({@code alert_transition}), once at least and, per alert, in order: a raise before its clear.
 *
 * <p>Alerts are not events of the log, so they have no tracking token; the outbox is their log. Each round takes the
 * oldest unpublished transitions (by the global index of the log entry that caused them) with a row lock, sends them,
 * waits for the broker's acknowledgements and only then marks them published, in the same transaction. A node that
 * runs a round at the same time waits on those locks and then finds the rows published, so two nodes never interleave
 * one alert's transitions. A failed round rolls back and leaves the rows for the next one: a transition the broker
 * took before the failure may come again, with the same CloudEvents {@code id} (alertId plus the transition).
 *
 * <p>A replay of the alert projection rewrites the same alerts with the same ids; the outbox keeps the first copy of
 * each transition, published or not, so a replay publishes nothing twice.
 */
public final class AlertKafkaPublisher implements AutoCloseable {
    public static final String RAISED_TYPE = "FiscalAlertRaised";
    public static final String CLEARED_TYPE = "FiscalAlertCleared";

    private static final Logger log = LoggerFactory.getLogger(AlertKafkaPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ProducerSlot producer;
    private final String topic;
    private final Duration acknowledgementTimeout;
    private final int batchSize;
    private final Clock clock;
    private final PublicationStatus status = new PublicationStatus();

    public AlertKafkaPublisher(
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            Supplier<Producer<String, CloudEvent>> producers,
            String topic,
            Duration acknowledgementTimeout,
            int batchSize,
            Clock clock) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.producer = new ProducerSlot(producers);
        this.topic = Objects.requireNonNull(topic, "topic");
        this.acknowledgementTimeout = Objects.requireNonNull(acknowledgementTimeout, "acknowledgementTimeout");
        this.batchSize = batchSize;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One transition of the outbox. */
    record Transition(
            String alertId, String transition, String province, Instant occurredAt, long globalIndex, String payload) {}

    /**
     * Publishes what is waiting, a batch per transaction, until the outbox is drained.
     *
     * @return how many transitions were published
     * @throws KafkaEventPublisher.KafkaPublicationException when the broker did not take a batch; nothing of that
     *                                                       batch is marked published
     */
    public int publishPending() {
        int total = 0;
        int published;
        do {
            published = Objects.requireNonNull(transactions.execute(tx -> publishBatch()));
            total += published;
        } while (published == batchSize);
        return total;
    }

    private int publishBatch() {
        // Log order, and within one log entry the order the engine produced (a level change clears before it raises).
        // FOR UPDATE without SKIP LOCKED: a second node waits for this batch and then sees it published, so it can
        // never send a later transition of an alert before this node has sent the earlier one.
        List<Transition> batch = jdbc.query(
                """
                SELECT alert_id, transition, occurred_at, global_index, payload FROM alert_transition
                WHERE published_at IS NULL
                ORDER BY global_index, entry_position
                LIMIT ? FOR UPDATE""",
                (rs, row) -> new Transition(
                        rs.getString("alert_id"),
                        rs.getString("transition"),
                        province(rs.getString("payload")),
                        rs.getTimestamp("occurred_at").toInstant(),
                        rs.getLong("global_index"),
                        rs.getString("payload")),
                batchSize);
        if (batch.isEmpty()) {
            return 0;
        }
        Instant started = clock.instant();
        status.waitingSince(started);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try {
            for (Transition transition : batch) {
                sends.add(producer.send(
                        new ProducerRecord<>(topic, transition.alertId(), toCloudEvent(transition)),
                        "alert transitions"));
            }
            ProducerSlot.awaitAll(sends, acknowledgementTimeout, "alert transitions");
        } catch (RuntimeException e) {
            throw failed(e);
        }
        Timestamp now = Timestamp.from(clock.instant());
        for (Transition transition : batch) {
            jdbc.update(
                    "UPDATE alert_transition SET published_at = ? WHERE alert_id = ? AND transition = ?",
                    now,
                    transition.alertId(),
                    transition.transition());
        }
        status.acknowledged(clock.instant(), batch.get(batch.size() - 1).globalIndex(), batch.size());
        log.debug("Published {} alert transitions", batch.size());
        return batch.size();
    }

    /** The CloudEvent of a transition: id alertId + transition, subject and key the alertId, no hash (SPEC §11). */
    static CloudEvent toCloudEvent(Transition transition) {
        boolean raised = "RAISED".equals(transition.transition());
        return CloudEventBuilder.v1()
                .withId(transition.alertId() + "-" + transition.transition().toLowerCase(Locale.ROOT))
                .withSource(URI.create(LedgerCloudEvents.SOURCE_PREFIX + transition.province()))
                .withType(LedgerCloudEvents.TYPE_PREFIX + (raised ? RAISED_TYPE : CLEARED_TYPE) + ".v1")
                .withSubject(transition.alertId())
                .withTime(transition.occurredAt().atOffset(ZoneOffset.UTC))
                .withDataContentType(LedgerCloudEvents.DATA_CONTENT_TYPE)
                .withData(transition.payload().getBytes(StandardCharsets.UTF_8))
                .withExtension(LedgerCloudEvents.PROVINCE, transition.province())
                .build();
    }

    /** The alert's province, from its JSON: the CloudEvent's source and extension. */
    private static String province(String payload) {
        try {
            String province = JSON.readTree(payload).path("province").asText("");
            if (province.isEmpty()) {
                throw new IllegalStateException("An alert transition without a province: " + payload);
            }
            return province;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An alert transition that is not JSON: " + payload, e);
        }
    }

    /** Where publication stands, for health and metrics. */
    public PublicationStatus status() {
        return status;
    }

    /** Transitions not yet acknowledged by the broker. */
    public long pending() {
        Long pending =
                jdbc.queryForObject("SELECT COUNT(*) FROM alert_transition WHERE published_at IS NULL", Long.class);
        return pending == null ? 0 : pending;
    }

    /** Records the failure and drops the producer, so the next round starts with a fresh one. */
    private RuntimeException failed(RuntimeException cause) {
        status.failed(clock.instant(), cause);
        producer.drop();
        return cause;
    }

    @Override
    public void close() {
        producer.close();
    }
}
