package org.subsidyledger.projections.alert;

/**
 * Where the log has settled: the global index at or below which every entry that will ever be stored is stored now.
 * Global indexes are allocated when an entry is inserted but become visible when its transaction commits, so an entry
 * may appear after entries with higher indexes (or never, if its transaction rolled back); above the settled index
 * such an entry may still come, at or below it none can.
 */
@FunctionalInterface
public interface SettledLog {

    /**
     * The settled index, at least every index visible now; {@code after} is an index known to be settled already,
     * so only the entries above it need looking at. May wait (boundedly) for appends in flight to end.
     */
    long settledIndex(long after);
}
