package org.subsidyledger.api.housing;

import java.time.YearMonth;
import java.util.List;
import org.subsidyledger.api.history.EventHistory;
import org.subsidyledger.core.housing.HousingGrant;
import org.subsidyledger.core.housing.Recipient;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Money;

/**
 * A housing grant (SPEC §5, §11): its schedule month by month — committed, paid, released — its status, and its
 * history (the grant, its payments, lapses and termination, in order).
 */
public record GrantView(
        String grantId,
        String programId,
        String province,
        String city,
        String status,
        Recipient recipient,
        YearMonth startMonth,
        YearMonth lastCoveredMonth,
        Money monthlyRent,
        YearMonth effectiveMonth,
        Integer serviceMonths,
        Money clawbackDue,
        List<MonthView> schedule,
        List<EventHistory.Entry> history) {

    public record MonthView(
            YearMonth month, int grantYear, String rate, Money committed, Money paid, Money released, String status) {}

    public static GrantView of(Program program, GrantId grantId, List<EventHistory.Entry> history) {
        HousingGrant g = program.findGrant(grantId).orElseThrow();
        List<MonthView> months = g.months().entrySet().stream()
                .map(e -> new MonthView(
                        e.getKey(),
                        e.getValue().grantYear(),
                        e.getValue().rate().text(),
                        e.getValue().committed(),
                        e.getValue().paid(),
                        e.getValue().released(),
                        e.getValue().status().name()))
                .toList();
        return new GrantView(
                grantId.value(),
                program.programId().value(),
                program.header().jurisdiction().code(),
                program.header().city(),
                g.isTerminated() ? "TERMINATED" : "ACTIVE",
                g.recipient(),
                g.startMonth(),
                g.lastCoveredMonth(),
                g.monthlyRent(),
                g.effectiveMonth(),
                g.serviceMonths(),
                g.clawbackDue(),
                months,
                history);
    }

    /** The same view with another history slice. */
    public GrantView withHistory(List<EventHistory.Entry> entries) {
        return new GrantView(
                grantId,
                programId,
                province,
                city,
                status,
                recipient,
                startMonth,
                lastCoveredMonth,
                monthlyRent,
                effectiveMonth,
                serviceMonths,
                clawbackDue,
                schedule,
                entries);
    }
}
