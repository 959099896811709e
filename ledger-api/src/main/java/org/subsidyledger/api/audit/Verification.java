package org.subsidyledger.api.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer of {@code GET /audit/verify} and of the offline verifier: either the log is intact, or the first global
 * index whose stored content no longer matches, with what kind of change explains it.
 *
 * @param events                 entries walked
 * @param seals                  seals among them
 * @param lastSeal               the last seal walked, or null
 * @param unsealedEvents         entries after the last seal's range, other than that seal itself: their chains are
 *                               checked, but no seal vouches for them yet (docs/AUDIT.md, limits)
 * @param anchors                how many seals held outside the ledger the log was checked against (each present
 *                               and unchanged when verified); null when none was given
 * @param programs               programs whose budget identity and event arithmetic were checked after each of
 *                               their entries
 * @param firstBrokenGlobalIndex null when verified
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Verification(
        boolean verified,
        long events,
        long seals,
        SealInfo lastSeal,
        long unsealedEvents,
        Integer anchors,
        int programs,
        Long firstBrokenGlobalIndex,
        Kind kind,
        String detail) {

    public enum Kind {
        /** An entry's content no longer hashes to its stored hash, or its hash no longer matches what its chain's next
         * entry or a seal committed to. */
        ALTERED,
        /** An index a seal covers (and does not list as missing) is gone, or a chain skips a sequence number. */
        REMOVED,
        /** An entry at an index a seal lists as missing, repeating a sequence, or not linking to its chain. */
        INSERTED,
        /** The entries are intact but stored in another order than a seal, or their chain, committed to. */
        REORDERED,
        /** The entry's own figures contradict the log before it: SPEC §4's budget identity or {@code available ≥ 0}
         * breaks at it, its arithmetic is wrong (SPEC §3, §11), or its payload is not a valid event of its type. */
        INCONSISTENT
    }

    /** The last seal: its number, its position, what it covers and its hash (to compare with an external copy). */
    public record SealInfo(long sealNo, long globalIndex, long toGlobalIndex, String timestamp, String hash) {}
}
