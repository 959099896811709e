package org.subsidyledger.projections.kafka;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the publisher stands on this node: what the broker last acknowledged, and since when it has been trying to
 * publish without an acknowledgement (a broker that is down, or a batch it keeps refusing). Read by health and metrics;
 * written by the publisher's processor thread.
 */
public final class PublicationStatus {
    private Instant lastAcknowledgedAt;
    private long lastAcknowledgedIndex = -1;
    private long published;
    private Instant unacknowledgedSince;
    private Instant lastFailureAt;
    private String lastFailure;
    private long failures;

    synchronized void waitingSince(Instant instant) {
        if (unacknowledgedSince == null) {
            unacknowledgedSince = instant;
        }
    }

    synchronized void acknowledged(Instant instant, long globalIndex, int records) {
        lastAcknowledgedAt = instant;
        lastAcknowledgedIndex = Math.max(lastAcknowledgedIndex, globalIndex);
        published += records;
        unacknowledgedSince = null;
    }

    synchronized void failed(Instant instant, Throwable cause) {
        if (unacknowledgedSince == null) {
            unacknowledgedSince = instant;
        }
        lastFailureAt = instant;
        lastFailure = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        failures++;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(
                Optional.ofNullable(lastAcknowledgedAt),
                lastAcknowledgedIndex,
                published,
                Optional.ofNullable(unacknowledgedSince),
                Optional.ofNullable(lastFailureAt),
                Optional.ofNullable(lastFailure),
                failures);
    }

    /**
     * @param lastAcknowledgedIndex global index of the last event the broker acknowledged on this node, -1 if none
     * @param published             records acknowledged since this node started (retried ones counted again)
     * @param unacknowledgedSince   present while publication is trying without success: since when
     * @param failures              failed batches since this node started
     */
    public record Snapshot(
            Optional<Instant> lastAcknowledgedAt,
            long lastAcknowledgedIndex,
            long published,
            Optional<Instant> unacknowledgedSince,
            Optional<Instant> lastFailureAt,
            Optional<String> lastFailure,
            long failures) {}
}
