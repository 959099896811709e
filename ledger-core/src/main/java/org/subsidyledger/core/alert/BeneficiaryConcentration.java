package org.subsidyledger.core.alert;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * BENEFICIARY_CONCENTRATION, per province and currency, vouchers only: the {@code beneficiary-top-groups} largest
 * corporate groups (a beneficiary without a group is its own, by USCC) take at least {@code beneficiary-top-share} of
 * the voucher subsidies redeemed, or their HHI is at least {@code beneficiary-hhi} — once the province has at least
 * {@code concentration-min-redemptions} redemptions.
 */
final class BeneficiaryConcentration extends AlertPolicy<ProvinceFacts> {

    BeneficiaryConcentration() {
        super(AlertCode.BENEFICIARY_CONCENTRATION, false);
    }

    @Override
    Optional<Finding> evaluate(ProvinceFacts p, Instant now) {
        BigDecimal total = p.redeemedTotal;
        if (p.redemptionCount < p.limits.count(Threshold.CONCENTRATION_MIN_REDEMPTIONS) || total.signum() <= 0) {
            return Optional.empty();
        }
        int n = p.limits.count(Threshold.BENEFICIARY_TOP_GROUPS);
        BigDecimal top = p.byBeneficiaryGroup.top(n);
        boolean topHeavy = Figures.atLeast(top, total, p.limits.value(Threshold.BENEFICIARY_TOP_SHARE));
        boolean hhiHigh =
                Concentration.hhiAtLeast(p.byBeneficiaryGroup, total, p.limits.value(Threshold.BENEFICIARY_HHI));
        if (!topHeavy && !hhiHigh) {
            return Optional.empty();
        }
        Figures figures =
                Figures.of().amount("disbursed", total).amount("topGroups", top).quotient("topGroupsShare", top, total);
        Concentration.hhi(figures, "hhi", p.byBeneficiaryGroup, total)
                .number("groups", BigDecimal.valueOf(p.byBeneficiaryGroup.groups()))
                .number("redemptions", BigDecimal.valueOf(p.redemptionCount));
        return Optional.of(new Finding(
                AlertLevel.WARNING,
                figures,
                "In " + p.province + ", the " + n
                        + " largest corporate groups took " + Figures.percent(top, total) + " of " + p.currency
                        + " voucher subsidies."));
    }
}
