package org.subsidyledger.api.store;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tuning of the event store ({@code ledger.store.*}).
 *
 * @param programSnapshotThreshold events applied to a program aggregate (counted from its last load) after which a
 *                                 snapshot is taken. A program's stream grows with its vouchers and grants; loading
 *                                 it from a snapshot keeps command latency flat.
 * @param programSnapshotPercent   once a program's stream is long, the share of it (in percent of its sequence number)
 *                                 between two snapshots, when that is more than the threshold
 *                                 ({@link GrowingSnapshotTrigger}): 10, so that the snapshot work per command does not
 *                                 grow with the program.
 * @param gapTimeout               how long a tracking processor waits for a missing global index (a transaction that
 *                                 took a number and has not committed yet) before it treats the number as a rolled-back
 *                                 insert. At least three append windows: an entry can commit up to two windows after
 *                                 the entry above it was stamped (its own transaction and that entry's).
 * @param maxGapOffset             how far behind the highest index a gap is still waited for, in events: 1,000,000, so
 *                                 that at any rate this ledger reaches the wait is bounded by time (the append window)
 *                                 and not by a count of events that a burst passes in a few seconds.
 * @param appendWindow             the longest an appending transaction may stay open: PostgreSQL refuses its COMMIT
 *                                 after that (the {@code append_window} trigger reads it as the connection's
 *                                 {@code ledger.append_window} setting), so no entry commits after the processors
 *                                 stopped waiting for its index.
 * @param gapCleaningThreshold     number of gaps in a token above which expired gaps are cleaned from it.
 * @param batchSize                events read per query by tracking processors and aggregate loads.
 * @param aggregateCacheSize       aggregates of each type kept in memory between commands
 *                                 ({@link CheckedAggregateCache}); 0 loads every aggregate from the store each time.
 */
@ConfigurationProperties(prefix = "ledger.store")
public record StoreProperties(
        Integer programSnapshotThreshold,
        Integer programSnapshotPercent,
        Duration gapTimeout,
        Integer maxGapOffset,
        Duration appendWindow,
        Integer gapCleaningThreshold,
        Integer batchSize,
        Integer aggregateCacheSize) {

    public StoreProperties {
        programSnapshotThreshold = programSnapshotThreshold == null ? 100 : programSnapshotThreshold;
        programSnapshotPercent = programSnapshotPercent == null ? 10 : programSnapshotPercent;
        gapTimeout = gapTimeout == null ? Duration.ofSeconds(60) : gapTimeout;
        maxGapOffset = maxGapOffset == null ? 1_000_000 : maxGapOffset;
        appendWindow = appendWindow == null ? Duration.ofSeconds(20) : appendWindow;
        gapCleaningThreshold = gapCleaningThreshold == null ? 250 : gapCleaningThreshold;
        batchSize = batchSize == null ? 100 : batchSize;
        aggregateCacheSize = aggregateCacheSize == null ? 10_000 : aggregateCacheSize;
        if (aggregateCacheSize < 0) {
            throw new IllegalArgumentException("ledger.store.aggregate-cache-size must not be negative");
        }
        if (appendWindow.toMillis() < 1) {
            throw new IllegalArgumentException("ledger.store.append-window must be positive");
        }
        if (gapTimeout.compareTo(appendWindow.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("ledger.store.gap-timeout (" + gapTimeout
                    + ") must be at least three times ledger.store.append-window (" + appendWindow
                    + "): an entry may commit up to two windows after the entry above it was stamped");
        }
        if (programSnapshotThreshold < 1) {
            throw new IllegalArgumentException("ledger.store.program-snapshot-threshold must be at least 1");
        }
        if (programSnapshotPercent < 0 || programSnapshotPercent >= 100) {
            throw new IllegalArgumentException(
                    "ledger.store.program-snapshot-percent must be at least 0 and below 100");
        }
    }
}
