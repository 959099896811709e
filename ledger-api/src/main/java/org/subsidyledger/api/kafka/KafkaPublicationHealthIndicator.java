package org.subsidyledger.api.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.subsidyledger.api.store.ProcessorPosition;
import org.subsidyledger.projections.kafka.AlertKafkaPublisher;
import org.subsidyledger.projections.kafka.KafkaEventPublisher;
import org.subsidyledger.projections.kafka.PublicationStatus;

/**
 * Health component {@code kafka}: DOWN when publication has gone without an acknowledgement from the broker for longer
 * than {@code ledger.kafka.unreachable-after} (the broker is unreachable, or keeps refusing a batch), UP otherwise;
 * the details carry the lag (events not yet published) and what the publisher last saw. A broker that is down while
 * nothing waits to be published delays nothing and is not reported. The alert publisher is judged the same way, its
 * figures under the detail {@code alerts}.
 */
public class KafkaPublicationHealthIndicator implements HealthIndicator {
    private final KafkaEventPublisher publisher;
    private final ProcessorPosition lag;
    private final AlertKafkaPublisher alertPublisher;
    private final LedgerKafkaProperties properties;
    private final Optional<InProcessKafkaBroker> inProcessBroker;
    private final Clock clock;

    public KafkaPublicationHealthIndicator(
            KafkaEventPublisher publisher,
            ProcessorPosition lag,
            AlertKafkaPublisher alertPublisher,
            LedgerKafkaProperties properties,
            Optional<InProcessKafkaBroker> inProcessBroker,
            Clock clock) {
        this.publisher = publisher;
        this.lag = lag;
        this.alertPublisher = alertPublisher;
        this.properties = properties;
        this.inProcessBroker = inProcessBroker;
        this.clock = clock;
    }

    @Override
    public Health health() {
        PublicationStatus.Snapshot status = publisher.status().snapshot();
        PublicationStatus.Snapshot alerts = alertPublisher.status().snapshot();
        Instant now = clock.instant();
        Optional<Duration> stalled = status.unacknowledgedSince().map(since -> Duration.between(since, now));
        Optional<Duration> alertsStalled = alerts.unacknowledgedSince().map(since -> Duration.between(since, now));
        boolean unreachable = stalled.filter(d -> d.compareTo(properties.unreachableAfter()) > 0)
                        .isPresent()
                || alertsStalled
                        .filter(d -> d.compareTo(properties.unreachableAfter()) > 0)
                        .isPresent();
        Health.Builder health = unreachable ? Health.down() : Health.up();
        Map<String, Object> alertDetails = new LinkedHashMap<>();
        alertDetails.put("topic", properties.alertsTopic());
        alertDetails.put("pending", alertPublisher.pending());
        alerts.lastAcknowledgedAt().ifPresent(at -> alertDetails.put("lastAcknowledgedAt", at.toString()));
        alertsStalled.ifPresent(d -> alertDetails.put("unacknowledgedForSeconds", d.toSeconds()));
        alerts.lastFailure().ifPresent(f -> alertDetails.put("lastFailure", f));
        health.withDetail("alerts", alertDetails);
        health.withDetail("topic", properties.eventsTopic())
                .withDetail("lag", lag.lag())
                .withDetail(
                        "inProcessBroker",
                        inProcessBroker
                                .map(InProcessKafkaBroker::isRunning)
                                .map(running -> running ? "running" : "stopped")
                                .orElse("none"));
        status.lastAcknowledgedAt().ifPresent(at -> health.withDetail("lastAcknowledgedAt", at.toString()));
        if (status.lastAcknowledgedIndex() >= 0) {
            health.withDetail("lastAcknowledgedGlobalIndex", status.lastAcknowledgedIndex());
        }
        stalled.ifPresent(d -> health.withDetail("unacknowledgedForSeconds", d.toSeconds()));
        status.lastFailure().ifPresent(f -> health.withDetail("lastFailure", f));
        status.lastFailureAt().ifPresent(at -> health.withDetail("lastFailureAt", at.toString()));
        return health.build();
    }
}
