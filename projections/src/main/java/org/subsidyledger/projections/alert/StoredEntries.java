package org.subsidyledger.projections.alert;

import java.time.Instant;

/** Read access to the stored log, in global order, for the alert engine's fold (see {@link AlertProjector}). */
@FunctionalInterface
public interface StoredEntries {

    /**
     * Calls {@code entry} for every stored entry whose global index is above {@code after} and at most {@code upTo},
     * in global order.
     */
    void forEachBetween(long after, long upTo, Entry entry);

    @FunctionalInterface
    interface Entry {
        void accept(long globalIndex, Instant eventTime, Object payload);
    }
}
