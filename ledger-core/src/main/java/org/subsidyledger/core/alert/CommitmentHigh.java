package org.subsidyledger.core.alert;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.subsidyledger.core.shared.Money;

/**
 * COMMITMENT_HIGH: {@code (committed + disbursed) / appropriated} at or above the warning ratio (WARNING) or the
 * critical ratio (CRITICAL), per program ({@link Program}) and per province and currency ({@link Province}).
 */
final class CommitmentHigh {
    private CommitmentHigh() {}

    static Optional<AlertPolicy.Finding> evaluate(
            Money appropriated, Money committed, Money disbursed, AlertThresholds.Limits limits, String subject) {
        BigDecimal used = committed.amount().add(disbursed.amount());
        BigDecimal base = appropriated.amount();
        AlertLevel level;
        if (Figures.atLeast(used, base, limits.value(Threshold.COMMITMENT_CRITICAL))) {
            level = AlertLevel.CRITICAL;
        } else if (Figures.atLeast(used, base, limits.value(Threshold.COMMITMENT_WARNING))) {
            level = AlertLevel.WARNING;
        } else {
            return Optional.empty();
        }
        BigDecimal threshold = limits.value(
                level == AlertLevel.CRITICAL ? Threshold.COMMITMENT_CRITICAL : Threshold.COMMITMENT_WARNING);
        Figures figures = Figures.of()
                .amount("appropriated", base)
                .amount("committed", committed.amount())
                .amount("disbursed", disbursed.amount())
                .quotient("commitmentRatio", used, base)
                .number("threshold", threshold);
        return Optional.of(new AlertPolicy.Finding(
                level,
                figures,
                subject + " has committed and disbursed " + Figures.percent(used, base) + " of its appropriation."));
    }

    static final class Program extends AlertPolicy<ProgramFacts> {
        Program() {
            super(AlertCode.COMMITMENT_HIGH, false);
        }

        @Override
        Optional<Finding> evaluate(ProgramFacts p, Instant now) {
            return CommitmentHigh.evaluate(
                    p.budget.appropriated(), p.committed(), p.budget.disbursed(), p.limits, "Program " + p.programId);
        }
    }

    static final class Province extends AlertPolicy<ProvinceFacts> {
        Province() {
            super(AlertCode.COMMITMENT_HIGH, false);
        }

        @Override
        Optional<Finding> evaluate(ProvinceFacts p, Instant now) {
            return CommitmentHigh.evaluate(
                    p.appropriated(),
                    p.committed(),
                    p.disbursed(),
                    p.limits,
                    "Province " + p.province + " (" + p.currency + ")");
        }
    }
}
