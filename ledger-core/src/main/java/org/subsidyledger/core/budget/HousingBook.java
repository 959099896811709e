package org.subsidyledger.core.budget;

import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.subsidyledger.core.housing.HousingEvent;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingMonthsLapsed;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.housing.HousingGrant;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.housing.MonthRelease;
import org.subsidyledger.core.housing.ScheduledMonth;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.Ratio;

/**
 * The housing part of {@link StatedBook}: each grant's months as its {@code HousingSubsidyGranted} stated them, and the
 * arithmetic of SPEC §11 checked on every housing event — a schedule of consecutive months from {@code startMonth},
 * each committing {@code min(monthlyRent, monthlyRentCap) × rate(grant year)} (the last one less where the recipient's
 * cap ran out), summing to {@code committed}; a claim paying {@code min(rentPaid, monthlyRent, monthlyRentCap) × rate},
 * at most the month's commitment, and releasing the rest; a lapse or a termination releasing exactly what each open
 * month committed; a termination's {@code clawbackDue} per SPEC §11.
 */
final class HousingBook {
    /** What one housing event moved: into {@code disbursed}, into {@code released}, and out of the stated committed. */
    record Flows(Money disbursed, Money released, Money committedChange) {}

    private static final class StatedMonth {
        final ScheduledMonth scheduled;
        boolean open = true;
        Money paid;

        StatedMonth(ScheduledMonth scheduled) {
            this.scheduled = scheduled;
            this.paid = Money.zero(scheduled.committed().currency());
        }
    }

    private static final class StatedGrant {
        final HousingSubsidyGranted grant;
        final Map<YearMonth, StatedMonth> months = new TreeMap<>();
        YearMonth effectiveMonth;

        StatedGrant(HousingSubsidyGranted grant) {
            this.grant = grant;
            grant.schedule().forEach(m -> months.put(m.month(), new StatedMonth(m)));
        }

        Money paid(boolean before) {
            Money sum = Money.zero(grant.currency());
            for (Map.Entry<YearMonth, StatedMonth> e : months.entrySet()) {
                if (e.getKey().isBefore(effectiveMonth) == before) {
                    sum = sum.plus(e.getValue().paid);
                }
            }
            return sum;
        }

        /** Months from {@code startMonth} to {@code effectiveMonth} (SPEC §11). */
        int monthsServed() {
            return (int) Math.max(0, grant.startMonth().until(effectiveMonth, ChronoUnit.MONTHS));
        }

        Money clawbackDue() {
            return HousingGrant.clawback(paid(true), paid(false), monthsServed(), grant.serviceMonths());
        }
    }

    private final CurrencyCode currency;
    private final Map<GrantId, StatedGrant> grants = new HashMap<>();
    private HousingSettings settings;
    private Money granted;

    HousingBook(CurrencyCode currency) {
        this.currency = currency;
        this.granted = Money.zero(currency);
    }

    void settings(HousingSettings settings) {
        this.settings = settings;
    }

    Money granted() {
        return granted;
    }

    Flows apply(HousingEvent event, List<String> problems) {
        Money zero = Money.zero(currency);
        if (event instanceof HousingSubsidyGranted g) {
            return grant(g, problems);
        }
        StatedGrant grant = grants.get(event.grantId());
        if (grant == null) {
            problems.add(event.getClass().getSimpleName() + " names " + event.grantId() + ", which the log never"
                    + " granted");
            return new Flows(zero, zero, zero);
        }
        if (event instanceof HousingSubsidyPaid p) {
            return pay(grant, p, problems);
        }
        if (event instanceof HousingMonthsLapsed l) {
            return release(grant, l.months(), l.released(), "HousingMonthsLapsed", problems);
        }
        HousingGrantTerminated t = (HousingGrantTerminated) event;
        if (grant.effectiveMonth != null) {
            problems.add("HousingGrantTerminated terminates " + t.grantId() + " a second time");
        }
        grant.effectiveMonth = t.effectiveMonth();
        List<YearMonth> openFrom = grant.months.entrySet().stream()
                .filter(e -> e.getValue().open && !e.getKey().isBefore(t.effectiveMonth()))
                .map(Map.Entry::getKey)
                .toList();
        if (!openFrom.equals(
                t.releasedMonths().stream().map(MonthRelease::month).sorted().toList())) {
            problems.add("HousingGrantTerminated releases "
                    + t.releasedMonths().stream().map(MonthRelease::month).toList()
                    + " where the months still committed from " + t.effectiveMonth() + " are " + openFrom);
        }
        Flows flows = release(grant, t.releasedMonths(), t.released(), "HousingGrantTerminated", problems);
        Money paid = grant.paid(true).plus(grant.paid(false));
        int served = grant.monthsServed();
        if (!paid.equals(t.paid())
                || served != t.monthsServed()
                || !Objects.equals(grant.grant.serviceMonths(), t.serviceMonths())) {
            problems.add(
                    "HousingGrantTerminated states paid " + t.paid() + ", " + t.monthsServed() + " months served of "
                            + t.serviceMonths() + " where the grant paid " + paid + " and served " + served + " of "
                            + grant.grant.serviceMonths());
        }
        if (!grant.clawbackDue().equals(t.clawbackDue())) {
            problems.add("HousingGrantTerminated states a clawback due of " + t.clawbackDue() + " where SPEC §11 gives "
                    + grant.clawbackDue());
        }
        return flows;
    }

    private Flows grant(HousingSubsidyGranted g, List<String> problems) {
        Money zero = Money.zero(currency);
        if (grants.containsKey(g.grantId())) {
            problems.add("HousingSubsidyGranted grants " + g.grantId() + " a second time");
            return new Flows(zero, zero, zero);
        }
        granted = granted.plus(g.committed());
        grants.put(g.grantId(), new StatedGrant(g));
        Money sum = zero;
        List<ScheduledMonth> schedule = g.schedule();
        for (int i = 0; i < schedule.size(); i++) {
            ScheduledMonth m = schedule.get(i);
            sum = sum.plus(m.committed());
            Ratio rate = settings == null || i / 12 >= settings.schedule().size()
                    ? m.rate()
                    : settings.schedule().get(i / 12);
            Money base = settings == null ? g.monthlyRent() : g.monthlyRent().min(settings.monthlyRentCap());
            Money full = base.times(rate);
            boolean last = i == schedule.size() - 1;
            if (!m.month().equals(g.startMonth().plusMonths(i))
                    || m.grantYear() != i / 12 + 1
                    || (settings != null && i >= settings.coveredMonths())) {
                problems.add("HousingSubsidyGranted schedules " + m.month() + " (grant year " + m.grantYear()
                        + ") as month " + (i + 1) + " from " + g.startMonth());
            } else if (!StatedBook.same(m.rate(), rate)
                    || !m.committed().isPositive()
                    || m.committed().greaterThan(full)
                    || (!last && !m.committed().equals(full))) {
                problems.add("HousingSubsidyGranted commits " + m.committed() + " at rate " + m.rate() + " for "
                        + m.month() + " where min(monthlyRent, monthlyRentCap) × " + rate + " = " + full);
            }
        }
        if (!sum.equals(g.committed())) {
            problems.add("HousingSubsidyGranted commits " + g.committed() + " where its schedule sums to " + sum);
        }
        return new Flows(zero, zero, sum);
    }

    private Flows pay(StatedGrant grant, HousingSubsidyPaid p, List<String> problems) {
        Money zero = Money.zero(currency);
        StatedMonth m = grant.months.get(p.month());
        if (m == null || !m.open) {
            problems.add("HousingSubsidyPaid pays " + p.month() + " of " + p.grantId() + ", which is not a month"
                    + " still committed");
            return new Flows(p.amount(), p.released(), zero);
        }
        ScheduledMonth s = m.scheduled;
        Money eligible = p.rentPaid().min(grant.grant.monthlyRent());
        if (settings != null) {
            eligible = eligible.min(settings.monthlyRentCap());
        }
        Money due = eligible.times(s.rate()).min(s.committed());
        if (!p.committed().equals(s.committed())
                || !StatedBook.same(p.rate(), s.rate())
                || p.grantYear() != s.grantYear()) {
            problems.add("HousingSubsidyPaid states " + p.committed() + " committed at rate " + p.rate() + " in grant"
                    + " year " + p.grantYear() + " for " + p.month() + ", the schedule " + s.committed() + " at "
                    + s.rate() + " in year " + s.grantYear());
        }
        if (!due.equals(p.amount()) || !p.amount().plus(p.released()).equals(s.committed())) {
            problems.add("HousingSubsidyPaid pays " + p.amount() + " and releases " + p.released() + " for "
                    + p.month() + " where min(round(" + eligible.amount() + " × " + s.rate() + "), "
                    + s.committed().amount() + ") = " + due + " and the month committed " + s.committed());
        }
        m.open = false;
        m.paid = p.amount();
        if (grant.effectiveMonth == null
                ? p.clawbackDue() != null
                : p.clawbackDue() != null && !p.clawbackDue().equals(grant.clawbackDue())) {
            problems.add("HousingSubsidyPaid states a clawback due of " + p.clawbackDue() + " where SPEC §11 gives "
                    + (grant.effectiveMonth == null ? "none (the grant runs)" : grant.clawbackDue()));
        }
        return new Flows(p.amount(), p.released(), zero.minus(s.committed()));
    }

    private Flows release(
            StatedGrant grant, List<MonthRelease> months, Money total, String type, List<String> problems) {
        Money zero = Money.zero(currency);
        Money released = zero;
        Money committedChange = zero;
        for (MonthRelease r : months) {
            released = released.plus(r.released());
            StatedMonth m = grant.months.get(r.month());
            if (m == null || !m.open) {
                problems.add(type + " releases " + r.month() + " of " + grant.grant.grantId() + ", which is not a month"
                        + " still committed");
                continue;
            }
            if (!r.released().equals(m.scheduled.committed())) {
                problems.add(type + " releases " + r.released() + " for " + r.month() + ", which committed "
                        + m.scheduled.committed());
            }
            committedChange = committedChange.minus(m.scheduled.committed());
            m.open = false;
        }
        if (!released.equals(total)) {
            problems.add(type + " states " + total + " released where its months sum to " + released);
        }
        return new Flows(zero, released, committedChange);
    }
}
