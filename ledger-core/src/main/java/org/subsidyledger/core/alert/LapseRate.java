package org.subsidyledger.core.alert;

import java.time.Instant;
import java.util.Optional;

/**
 * LAPSE_RATE, per program: the value released by expiry is at least {@code lapse-ratio} of the face value of the
 * program's vouchers that have ended (EXPIRED, REVOKED or EXHAUSTED, SPEC §11).
 */
final class LapseRate extends AlertPolicy<ProgramFacts> {

    LapseRate() {
        super(AlertCode.LAPSE_RATE, false);
    }

    @Override
    Optional<Finding> evaluate(ProgramFacts p, Instant now) {
        if (!Figures.atLeast(p.releasedByExpiry, p.endedFace, p.limits.value(Threshold.LAPSE_RATIO))) {
            return Optional.empty();
        }
        Figures figures = Figures.of()
                .amount("releasedByExpiry", p.releasedByExpiry)
                .amount("endedFaceValue", p.endedFace)
                .quotient("lapseRatio", p.releasedByExpiry, p.endedFace)
                .number("threshold", p.limits.value(Threshold.LAPSE_RATIO));
        return Optional.of(new Finding(
                AlertLevel.WARNING,
                figures,
                "Program " + p.programId + " let " + Figures.percent(p.releasedByExpiry, p.endedFace)
                        + " of the face value of its ended vouchers lapse."));
    }
}
