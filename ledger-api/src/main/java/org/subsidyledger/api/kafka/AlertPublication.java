package org.subsidyledger.api.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.subsidyledger.projections.kafka.AlertKafkaPublisher;

/** The scheduled rounds of the alert publisher: every {@code ledger.kafka.alerts-interval}, the outbox is drained. */
public final class AlertPublication {
    private static final Logger log = LoggerFactory.getLogger(AlertPublication.class);
    private final AlertKafkaPublisher publisher;

    AlertPublication(AlertKafkaPublisher publisher) {
        this.publisher = publisher;
    }

    @Scheduled(
            fixedDelayString = "${ledger.kafka.alerts-interval:1s}",
            initialDelayString = "${ledger.kafka.alerts-interval:1s}")
    public void publish() {
        try {
            publisher.publishPending();
        } catch (RuntimeException e) {
            // Nothing of the failed batch was marked published; the next round sends it again.
            log.warn("Alert publication failed, retrying in the next round: {}", e.getMessage());
        }
    }
}
