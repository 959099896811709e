package org.subsidyledger.core.alert;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * FORWARD_LIABILITY, per program: obligations falling due in fiscal years after the current one (SPEC §5
 * forwardLiabilities: voucher value by the fiscal year the voucher expires in, housing months by their own fiscal
 * year) are at least {@code forward-liability-ratio} of the program's appropriation.
 */
final class ForwardLiability extends AlertPolicy<ProgramFacts> {

    ForwardLiability() {
        super(AlertCode.FORWARD_LIABILITY, true);
    }

    @Override
    Optional<Finding> evaluate(ProgramFacts p, Instant now) {
        int year = p.jurisdiction.fiscalYearOf(now);
        BigDecimal later =
                p.liabilities.tailMap(year, false).values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal appropriated = p.budget.appropriated().amount();
        if (!Figures.atLeast(later, appropriated, p.limits.value(Threshold.FORWARD_LIABILITY_RATIO))) {
            return Optional.empty();
        }
        Figures figures = Figures.of()
                .number("fiscalYear", BigDecimal.valueOf(year))
                .amount("laterLiabilities", later)
                .amount("appropriated", appropriated)
                .quotient("liabilityRatio", later, appropriated)
                .number("threshold", p.limits.value(Threshold.FORWARD_LIABILITY_RATIO));
        return Optional.of(new Finding(
                AlertLevel.WARNING,
                figures,
                "Program " + p.programId + " owes " + Figures.percent(later, appropriated)
                        + " of its appropriation in fiscal years after " + year + "."));
    }
}
