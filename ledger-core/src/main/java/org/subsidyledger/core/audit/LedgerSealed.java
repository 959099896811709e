package org.subsidyledger.core.audit;

import java.util.List;
import java.util.Objects;
import org.axonframework.serialization.Revision;

/**
 * A seal: a log entry (aggregate {@value #AGGREGATE_ID}, sequence = {@code sealNo}) that commits to every entry in the
 * global index range ({@code fromGlobalIndex}, {@code toGlobalIndex}]. Entries are hash-chained per aggregate, and the
 * chains alone cannot show that a whole entry was removed at the end of a chain, or that two chains' entries were
 * interleaved differently; the seal fixes the global order and the set of indexes (docs/AUDIT.md).
 *
 * @param sealNo          0, 1, 2… (also the seal's sequence in its own chain)
 * @param trigger         why it was written
 * @param fromGlobalIndex exclusive lower bound: the previous seal's {@code toGlobalIndex}, 0 for the first seal
 * @param toGlobalIndex   inclusive upper bound: no entry at or below it could still be committed when it was written
 * @param entries         how many entries the range holds
 * @param missingIndexes  indexes of the range that hold no entry (appends that rolled back), ascending
 * @param digest          hex SHA-256 of the concatenation of {@code "globalIndex:hash\n"} of the range's entries in
 *                        ascending index order
 * @param hashSetDigest   hex SHA-256 of the concatenation of {@code "hash\n"} of the same entries sorted by hash: it
 *                        tells a reordering (same entries, other order) from an alteration
 */
@Revision("1")
public record LedgerSealed(
        long sealNo,
        Trigger trigger,
        long fromGlobalIndex,
        long toGlobalIndex,
        long entries,
        List<Long> missingIndexes,
        String digest,
        String hashSetDigest) {
    /** The aggregate id of the seals' chain. */
    public static final String AGGREGATE_ID = "ledger-seal";

    /** Why a seal was written. */
    public enum Trigger {
        DAY_END,
        EVENT_COUNT,
        ON_DEMAND,
        INTERVAL
    }

    public LedgerSealed {
        Objects.requireNonNull(trigger, "trigger");
        missingIndexes = List.copyOf(missingIndexes);
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(hashSetDigest, "hashSetDigest");
    }
}
