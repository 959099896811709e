package org.subsidyledger.api.store;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tuning of the event store ({@code ledger.store.*}).
 *
 * @param programSnapshotThreshold events applied to a program aggregate (counted from its last load) after which a
 *                                 snapshot is taken. A program's stream grows with its vouchers and grants; loading
 *                                 it from a snapshot keeps command latency flat.
 * @param gapTimeout               how long a tracking processor waits for a missing global index (a transaction that
 *                                 took a number and has not committed yet) before it treats the number as a rolled-back
 *                                 insert. It must be longer than the longest appending transaction, or a slow commit
 *                                 is skipped by tracking processors.
 * @param maxGapOffset             how far behind the highest index a gap is still waited for.
 * @param gapCleaningThreshold     number of gaps in a token above which expired gaps are cleaned from it.
 * @param batchSize                events read per query by tracking processors and aggregate loads.
 * @param aggregateCacheSize       aggregates of each type kept in memory between commands
 *                                 ({@link CheckedAggregateCache}); 0 loads every aggregate from the store each time.
 */
@ConfigurationProperties(prefix = "ledger.store")
public record StoreProperties(
        Integer programSnapshotThreshold,
        Duration gapTimeout,
        Integer maxGapOffset,
        Integer gapCleaningThreshold,
        Integer batchSize,
        Integer aggregateCacheSize) {

    public StoreProperties {
        programSnapshotThreshold = programSnapshotThreshold == null ? 100 : programSnapshotThreshold;
        gapTimeout = gapTimeout == null ? Duration.ofSeconds(60) : gapTimeout;
        maxGapOffset = maxGapOffset == null ? 10_000 : maxGapOffset;
        gapCleaningThreshold = gapCleaningThreshold == null ? 250 : gapCleaningThreshold;
        batchSize = batchSize == null ? 100 : batchSize;
        aggregateCacheSize = aggregateCacheSize == null ? 10_000 : aggregateCacheSize;
        if (aggregateCacheSize < 0) {
            throw new IllegalArgumentException("ledger.store.aggregate-cache-size must not be negative");
        }
        if (programSnapshotThreshold < 1) {
            throw new IllegalArgumentException("ledger.store.program-snapshot-threshold must be at least 1");
        }
    }
}
