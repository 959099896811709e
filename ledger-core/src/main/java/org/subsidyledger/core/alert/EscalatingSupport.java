package org.subsidyledger.core.alert;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * ESCALATING_SUPPORT, per province and currency: this fiscal year's appropriations (net of this year's rescissions)
 * exceed last fiscal year's by at least {@code escalation-ratio}. Each appropriation and rescission counts in the
 * fiscal year it was made in (the event's {@code fiscalYear}). Nothing appropriated last year: does not fire.
 */
final class EscalatingSupport extends AlertPolicy<ProvinceFacts> {

    EscalatingSupport() {
        super(AlertCode.ESCALATING_SUPPORT, true);
    }

    @Override
    Optional<Finding> evaluate(ProvinceFacts p, Instant now) {
        int year = p.jurisdiction.fiscalYearOf(now);
        BigDecimal current = p.appropriatedIn(year);
        BigDecimal last = p.appropriatedIn(year - 1);
        BigDecimal growth = current.subtract(last);
        if (!Figures.atLeast(growth, last, p.limits.value(Threshold.ESCALATION_RATIO))) {
            return Optional.empty();
        }
        Figures figures = Figures.of()
                .number("fiscalYear", BigDecimal.valueOf(year))
                .amount("appropriatedThisYear", current)
                .amount("appropriatedLastYear", last)
                .quotient("growthRatio", growth, last)
                .number("threshold", p.limits.value(Threshold.ESCALATION_RATIO));
        return Optional.of(new Finding(
                AlertLevel.WARNING,
                figures,
                "Province " + p.province + " appropriated "
                        + Figures.percent(growth, last) + " more " + p.currency + " in fiscal year " + year
                        + " than in "
                        + (year - 1) + "."));
    }
}
