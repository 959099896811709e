package org.subsidyledger.core.alert;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * PROVIDER_CONCENTRATION, per voucher program: one provider group (the group recorded on the redemption, else the one
 * the provider was accredited with, else the provider itself) receives at least {@code provider-group-share} of the
 * program's redeemed subsidies, or the provider HHI is at least {@code provider-hhi} — once the program has at least
 * {@code concentration-min-redemptions} redemptions.
 */
final class ProviderConcentration extends AlertPolicy<ProgramFacts> {

    ProviderConcentration() {
        super(AlertCode.PROVIDER_CONCENTRATION, false);
    }

    @Override
    Optional<Finding> evaluate(ProgramFacts p, Instant now) {
        BigDecimal total = p.redeemedTotal;
        if (p.redemptionCount < p.limits.count(Threshold.CONCENTRATION_MIN_REDEMPTIONS) || total.signum() <= 0) {
            return Optional.empty();
        }
        BigDecimal largest = p.byProviderGroup.top(1);
        boolean dominant = Figures.atLeast(largest, total, p.limits.value(Threshold.PROVIDER_GROUP_SHARE));
        boolean hhiHigh = Concentration.hhiAtLeast(p.byProviderGroup, total, p.limits.value(Threshold.PROVIDER_HHI));
        if (!dominant && !hhiHigh) {
            return Optional.empty();
        }
        String group = p.byProviderGroup.byGroup().entrySet().stream()
                .filter(e -> e.getValue().compareTo(largest) == 0)
                .map(Map.Entry::getKey)
                .sorted()
                .findFirst()
                .orElseThrow();
        Figures figures = Figures.of()
                .amount("redeemed", total)
                .amount("largestGroupAmount", largest)
                .quotient("largestGroupShare", largest, total);
        Concentration.hhi(figures, "hhi", p.byProviderGroup, total)
                .number("groups", BigDecimal.valueOf(p.byProviderGroup.groups()))
                .number("redemptions", BigDecimal.valueOf(p.redemptionCount));
        return Optional.of(new Finding(
                AlertLevel.WARNING,
                figures,
                "Provider group " + group + " received " + Figures.percent(largest, total)
                        + " of the subsidies redeemed under program " + p.programId + "."));
    }
}
