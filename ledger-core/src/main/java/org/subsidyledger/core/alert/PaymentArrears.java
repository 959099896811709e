package org.subsidyledger.core.alert;

import java.time.Instant;
import java.util.Optional;

/**
 * PAYMENT_ARREARS, per program: the subsidies of redemptions still unsettled more than {@code arrears-days} after they
 * were redeemed exceed {@code arrears-ratio} of the program's disbursed.
 */
final class PaymentArrears extends AlertPolicy<ProgramFacts> {

    PaymentArrears() {
        super(AlertCode.PAYMENT_ARREARS, true);
    }

    @Override
    Optional<Finding> evaluate(ProgramFacts p, Instant now) {
        var disbursed = p.budget.disbursed().amount();
        if (!Figures.above(p.overdue, disbursed, p.limits.value(Threshold.ARREARS_RATIO))) {
            return Optional.empty();
        }
        int days = p.limits.count(Threshold.ARREARS_DAYS);
        Figures figures = Figures.of()
                .amount("overduePayable", p.overdue)
                .amount("disbursed", disbursed)
                .quotient("arrearsRatio", p.overdue, disbursed)
                .number("threshold", p.limits.value(Threshold.ARREARS_RATIO));
        return Optional.of(new Finding(
                AlertLevel.WARNING,
                figures,
                "Program " + p.programId + " has "
                        + p.overdue.toPlainString() + " " + p.scope.currency() + " of redemptions unpaid for more than "
                        + days
                        + " days (" + Figures.percent(p.overdue, disbursed) + " of disbursed)."));
    }
}
