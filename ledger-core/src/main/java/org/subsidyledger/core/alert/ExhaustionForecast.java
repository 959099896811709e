package org.subsidyledger.core.alert;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * EXHAUSTION_FORECAST: at the program's rate of new commitments over the trailing window (face values issued and
 * housing schedules granted in {@code (now − window, now]}, divided by the window's days), {@code available} would
 * reach zero before the end of the current fiscal year: {@code rate × daysLeft ≥ available}. Compared exactly as
 * {@code newCommitments × secondsLeft ≥ available × windowDays × 86,400}; no new commitments (rate 0) never fires.
 */
final class ExhaustionForecast extends AlertPolicy<ProgramFacts> {
    private static final BigDecimal SECONDS_PER_DAY = BigDecimal.valueOf(86_400);

    ExhaustionForecast() {
        super(AlertCode.EXHAUSTION_FORECAST, true);
    }

    @Override
    Optional<Finding> evaluate(ProgramFacts p, Instant now) {
        BigDecimal recent = p.windowSum;
        if (recent.signum() <= 0 || p.budget.appropriated().amount().signum() <= 0) {
            return Optional.empty();
        }
        int fiscalYear = p.jurisdiction.fiscalYearOf(now);
        Instant end = p.jurisdiction.fiscalYearEnd(fiscalYear);
        Duration left = Duration.between(now, end);
        BigDecimal secondsLeft = BigDecimal.valueOf(left.getSeconds()).add(BigDecimal.valueOf(left.getNano(), 9));
        BigDecimal windowDays = BigDecimal.valueOf(p.limits.count(Threshold.EXHAUSTION_WINDOW_DAYS));
        BigDecimal available = p.available().amount();
        if (recent.multiply(secondsLeft)
                        .compareTo(available.multiply(windowDays).multiply(SECONDS_PER_DAY))
                < 0) {
            return Optional.empty();
        }
        BigDecimal ratePerDay = recent.divide(windowDays, 4, RoundingMode.HALF_UP);
        BigDecimal daysLeft = secondsLeft.divide(SECONDS_PER_DAY, 4, RoundingMode.HALF_UP);
        BigDecimal projected =
                recent.multiply(secondsLeft).divide(windowDays.multiply(SECONDS_PER_DAY), 2, RoundingMode.HALF_UP);
        Figures figures = Figures.of()
                .amount("available", available)
                .amount("newCommitments", recent)
                .number("windowDays", windowDays)
                .number("commitmentRatePerDay", ratePerDay)
                .number("daysLeftInFiscalYear", daysLeft)
                .amount("projectedCommitments", projected)
                .number("fiscalYear", BigDecimal.valueOf(fiscalYear));
        return Optional.of(new Finding(
                AlertLevel.WARNING,
                figures,
                "At its rate of new commitments over the last "
                        + windowDays + " days, program " + p.programId
                        + " runs out of available funds before the end of"
                        + " fiscal year " + fiscalYear + "."));
    }
}
