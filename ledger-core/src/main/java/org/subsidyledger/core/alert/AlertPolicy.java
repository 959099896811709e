package org.subsidyledger.core.alert;

import java.time.Instant;
import java.util.Optional;

/**
 * One rule of SPEC §6 over one kind of scope ({@link ProgramFacts} or {@link ProvinceFacts}): the condition as a named
 * policy, answering whether it holds now and, if it does, at which level and with which figures.
 */
abstract class AlertPolicy<F> {
    private final AlertCode code;
    private final boolean timeBased;

    /**
     * @param timeBased whether the passing of time alone can change the outcome (ages, windows, the fiscal year).
     *                  Those rules are evaluated for every scope at every log entry; the others only for the scopes
     *                  the entry touched.
     */
    AlertPolicy(AlertCode code, boolean timeBased) {
        this.code = code;
        this.timeBased = timeBased;
    }

    final AlertCode code() {
        return code;
    }

    final boolean timeBased() {
        return timeBased;
    }

    /** The finding if the condition holds at {@code now}, else empty. A zero denominator never holds. */
    abstract Optional<Finding> evaluate(F facts, Instant now);

    /** A condition that holds: its level, the figures it was decided on (decimal strings) and a sentence. */
    record Finding(AlertLevel level, Figures figures, String message) {}
}
