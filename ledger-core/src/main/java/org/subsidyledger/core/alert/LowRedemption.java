package org.subsidyledger.core.alert;

import java.time.Instant;
import java.util.Optional;

/**
 * LOW_REDEMPTION: the program's vouchers issued at least {@code low-redemption-age-days} ago (whatever their status
 * now) have redeemed less than {@code low-redemption-ratio} of their face value. Programs without such vouchers
 * (housing, or young voucher programs) have a zero denominator and never fire.
 */
final class LowRedemption extends AlertPolicy<ProgramFacts> {

    LowRedemption() {
        super(AlertCode.LOW_REDEMPTION, true);
    }

    @Override
    Optional<Finding> evaluate(ProgramFacts p, Instant now) {
        if (!Figures.below(p.agedRedeemed, p.agedFace, p.limits.value(Threshold.LOW_REDEMPTION_RATIO))) {
            return Optional.empty();
        }
        int days = p.limits.count(Threshold.LOW_REDEMPTION_AGE_DAYS);
        Figures figures = Figures.of()
                .amount("faceValue", p.agedFace)
                .amount("redeemed", p.agedRedeemed)
                .quotient("redemptionRatio", p.agedRedeemed, p.agedFace)
                .number("threshold", p.limits.value(Threshold.LOW_REDEMPTION_RATIO));
        return Optional.of(new Finding(
                AlertLevel.WARNING,
                figures,
                "Vouchers of program " + p.programId
                        + " issued at least " + days + " days ago have redeemed "
                        + Figures.percent(p.agedRedeemed, p.agedFace) + " of their face value."));
    }
}
