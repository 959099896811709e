package org.subsidyledger.core.alert;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One alert of SPEC §6: raised at the event time of the first log entry at which its condition held, cleared at the
 * event time of the first entry at which it no longer held. {@code figures} are the inputs of the condition as
 * decimal strings, as they stood when the alert was raised (they justify the raise; a clear keeps them). The
 * global indexes of the raising and clearing entries are kept so that a reader can find them in the log.
 */
public record Alert(
        String alertId,
        AlertCode code,
        AlertLevel level,
        AlertScope scope,
        Instant raisedAt,
        long raisedIndex,
        Instant clearedAt,
        Long clearedIndex,
        Map<String, String> figures,
        String message) {

    public Alert {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(raisedAt, "raisedAt");
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    public boolean open() {
        return clearedAt == null;
    }

    Alert clearedAt(Instant instant, long globalIndex) {
        return new Alert(alertId, code, level, scope, raisedAt, raisedIndex, instant, globalIndex, figures, message);
    }
}
