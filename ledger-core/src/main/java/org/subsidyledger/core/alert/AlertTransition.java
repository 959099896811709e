package org.subsidyledger.core.alert;

import java.time.Instant;

/**
 * A raise or a clear, at the log entry {@code globalIndex} whose event time is {@code occurredAt}; {@code alert} is
 * the whole alert as it stands after the transition. {@code position} orders the transitions of one entry (a level
 * change clears before it raises), so (globalIndex, position) orders every transition of the log.
 */
public record AlertTransition(Kind kind, Alert alert, long globalIndex, int position, Instant occurredAt) {

    public enum Kind {
        RAISED,
        CLEARED
    }
}
