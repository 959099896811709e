package org.subsidyledger.projections.alert;

import java.time.Instant;

/** Read access to the stored log, in global order, for warming the alert engine up after a start. */
@FunctionalInterface
public interface StoredEntries {

    /** Calls {@code entry} for every stored entry whose global index is below {@code before}, in global order. */
    void forEachBefore(long before, Entry entry);

    @FunctionalInterface
    interface Entry {
        void accept(long globalIndex, Instant eventTime, Object payload);
    }
}
