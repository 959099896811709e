package org.subsidyledger.api.store;

/**
 * Appends a seal to the log: an entry that commits to everything appended before it (SPEC §8, docs/AUDIT.md). Seals
 * are written at the end of each day, every so many events and on demand; the demo loader asks for one at each
 * simulated midnight, so its history has the same daily entries a live ledger has.
 */
public interface SealWriter {

    /** Why a seal was written; recorded in the seal. */
    enum Trigger {
        DAY_END,
        EVENT_COUNT,
        ON_DEMAND,
        INTERVAL
    }

    /**
     * Appends a seal stamped with the ledger's event clock, covering every entry appended so far, unless nothing was
     * appended since the previous seal.
     *
     * @return true if a seal was appended
     */
    boolean seal(Trigger trigger);
}
