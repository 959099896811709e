package org.subsidyledger.projections.kafka;

import java.util.Collection;
import java.util.Map;

/**
 * The global index the log stored each event at, looked up by event identifier. The Kafka publisher needs the
 * event's own position, which a tracking token does not give: a gap-aware token's index is the highest position seen
 * so far, and an event whose transaction committed after a later one arrives with a token past its own position
 * (DESIGN.md §2, "A token's position is not the event's position").
 */
@FunctionalInterface
public interface StoredIndexes {

    /** The stored global index of each of {@code eventIdentifiers}; an identifier not in the log is left out. */
    Map<String, Long> of(Collection<String> eventIdentifiers);
}
