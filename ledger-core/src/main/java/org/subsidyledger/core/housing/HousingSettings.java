package org.subsidyledger.core.housing;

import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramSettings;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;

/**
 * The settings of a talent housing-subsidy program, its {@code rules} object (SPEC §2, §11): the rate of each grant
 * year, the monthly rent cap, the cap per recipient, the claim window and an optional minimum stay.
 */
public record HousingSettings(
        List<Ratio> schedule,
        Money monthlyRentCap,
        Money capPerRecipient,
        Integer claimWindowMonths,
        Integer serviceMonths,
        Money approvalThreshold)
        implements ProgramSettings {
    public static final int DEFAULT_CLAIM_WINDOW_MONTHS = 3;
    private static final int MAX_YEARS = 10;

    public HousingSettings {
        Rules.require(
                schedule != null
                        && !schedule.isEmpty()
                        && schedule.size() <= MAX_YEARS
                        && schedule.stream().allMatch(Objects::nonNull),
                RejectionCode.VALIDATION_FAILED,
                "rules.schedule must list the rate of 1 to " + MAX_YEARS + " grant years, such as [\"1.0\", \"0.7\"].");
        schedule = List.copyOf(schedule);
        Rules.require(
                monthlyRentCap != null && monthlyRentCap.isPositive(),
                RejectionCode.VALIDATION_FAILED,
                "rules.monthlyRentCap must be a positive amount.");
        Rules.require(
                capPerRecipient != null && capPerRecipient.isPositive(),
                RejectionCode.VALIDATION_FAILED,
                "rules.capPerRecipient must be a positive amount.");
        claimWindowMonths = claimWindowMonths == null ? DEFAULT_CLAIM_WINDOW_MONTHS : claimWindowMonths;
        Rules.require(
                claimWindowMonths >= 0 && claimWindowMonths <= 24,
                RejectionCode.VALIDATION_FAILED,
                "rules.claimWindowMonths must be between 0 and 24.");
        Rules.require(
                serviceMonths == null || (serviceMonths >= 1 && serviceMonths <= 240),
                RejectionCode.VALIDATION_FAILED,
                "rules.serviceMonths must be between 1 and 240.");
        ProgramSettings.requireThreshold(approvalThreshold);
    }

    /** Settings without an approval threshold of their own. */
    public HousingSettings(
            List<Ratio> schedule,
            Money monthlyRentCap,
            Money capPerRecipient,
            Integer claimWindowMonths,
            Integer serviceMonths) {
        this(schedule, monthlyRentCap, capPerRecipient, claimWindowMonths, serviceMonths, null);
    }

    @Override
    public HousingSettings withApprovalThreshold(Money threshold) {
        return new HousingSettings(
                schedule, monthlyRentCap, capPerRecipient, claimWindowMonths, serviceMonths, threshold);
    }

    @Override
    public List<Money> moneyFields() {
        return ProgramSettings.withThreshold(List.of(monthlyRentCap, capPerRecipient), approvalThreshold);
    }

    /** Months the schedule covers from its start month. */
    public int coveredMonths() {
        return schedule.size() * 12;
    }

    /** Grant year (1-based) of a month, counted from the start month. */
    public static int grantYear(YearMonth start, YearMonth month) {
        return (int) (start.until(month, ChronoUnit.MONTHS) / 12) + 1;
    }

    /**
     * The months a grant commits: {@code min(monthlyRent, monthlyRentCap) × rate(year)} each, in date order, until
     * the recipient's remaining headroom under {@code capPerRecipient} is used up (the last month may be partial).
     */
    public List<ScheduledMonth> plan(YearMonth start, Money monthlyRent, Money headroom) {
        List<ScheduledMonth> months = new ArrayList<>();
        Money base = monthlyRent.min(monthlyRentCap);
        Money left = headroom;
        for (int i = 0; i < coveredMonths() && left.isPositive(); i++) {
            Ratio rate = schedule.get(i / 12);
            Money committed = base.times(rate).min(left);
            if (!committed.isPositive()) {
                break;
            }
            months.add(new ScheduledMonth(start.plusMonths(i), i / 12 + 1, rate, committed));
            left = left.minus(committed);
        }
        return months;
    }
}
