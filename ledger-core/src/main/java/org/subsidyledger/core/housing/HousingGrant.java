package org.subsidyledger.core.housing;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingMonthsLapsed;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.Ratio;

/**
 * The state of one housing grant inside its program: its schedule month by month and what became of each month.
 * Evolves only from events and answers the program's questions; the program decides.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class HousingGrant {
    private GrantId grantId;
    private Recipient recipient;
    private YearMonth startMonth;
    private Money monthlyRent;
    private int coveredMonths;
    private int claimWindowMonths;
    private Integer serviceMonths;
    private CurrencyCode currency;
    private YearMonth effectiveMonth;
    private Money clawbackDue;
    private Map<YearMonth, MonthState> months = new TreeMap<>();

    private HousingGrant() {}

    public static HousingGrant granted(HousingSubsidyGranted event, int coveredMonths) {
        HousingGrant grant = new HousingGrant();
        grant.grantId = event.grantId();
        grant.recipient = event.recipient();
        grant.startMonth = event.startMonth();
        grant.monthlyRent = event.monthlyRent();
        grant.coveredMonths = coveredMonths;
        grant.claimWindowMonths = event.claimWindowMonths();
        grant.serviceMonths = event.serviceMonths();
        grant.currency = event.currency();
        for (ScheduledMonth m : event.schedule()) {
            grant.months.put(
                    m.month(),
                    new MonthState(
                            m.grantYear(),
                            m.rate(),
                            m.committed(),
                            Money.zero(event.currency()),
                            Money.zero(event.currency()),
                            MonthStatus.COMMITTED));
        }
        return grant;
    }

    /** Assigns the effect of one of this grant's events; never throws. */
    public void evolve(HousingEvent event) {
        if (event instanceof HousingSubsidyPaid p) {
            months.computeIfPresent(p.month(), (m, s) -> s.with(p.amount(), p.released(), MonthStatus.PAID));
            if (p.clawbackDue() != null) {
                clawbackDue = p.clawbackDue();
            }
        } else if (event instanceof HousingMonthsLapsed l) {
            l.months()
                    .forEach(r -> months.computeIfPresent(
                            r.month(), (m, s) -> s.with(s.paid(), r.released(), MonthStatus.LAPSED)));
        } else if (event instanceof HousingGrantTerminated t) {
            effectiveMonth = t.effectiveMonth();
            clawbackDue = t.clawbackDue();
            t.releasedMonths()
                    .forEach(r -> months.computeIfPresent(
                            r.month(), (m, s) -> s.with(s.paid(), r.released(), MonthStatus.RELEASED)));
        }
    }

    /**
     * {@code clawbackDue} of SPEC §11: {@code max(0, paid − paid × monthsServed / serviceMonths)} over what was paid
     * for months before {@code effectiveMonth}, rounded once, plus everything paid for months from it on. The one
     * formula the program uses at termination and again whenever a later payment lands.
     */
    public static Money clawback(Money paidBefore, Money paidFrom, int monthsServed, Integer serviceMonths) {
        Money proRata = serviceMonths == null || monthsServed >= serviceMonths
                ? Money.zero(paidBefore.currency())
                : paidBefore.timesFraction(serviceMonths - monthsServed, serviceMonths);
        return proRata.plus(paidFrom);
    }

    /** The clawback due once {@code amount} is paid for {@code month} of this terminated grant. */
    public Money clawbackAfterPaying(YearMonth month, Money amount) {
        boolean before = month.isBefore(effectiveMonth);
        return clawback(
                before ? paidBefore(effectiveMonth).plus(amount) : paidBefore(effectiveMonth),
                before ? paidFrom(effectiveMonth) : paidFrom(effectiveMonth).plus(amount),
                monthsServed(effectiveMonth),
                serviceMonths);
    }

    /**
     * Whether this grant holds any month of the span of {@code count} months from {@code start}. A grant holds its
     * whole schedule span (startMonth and the months of its grant years, whether or not the cap let each commit) up
     * to, not including, its {@code effectiveMonth} once terminated: a termination frees the months from it on,
     * except a month this grant already paid (a termination dated back before paid months), which stays held so
     * that no month is paid twice to one person.
     */
    public boolean holdsAnyOf(YearMonth start, int count) {
        YearMonth spanEnd = start.plusMonths(count);
        YearMonth end = startMonth.plusMonths(coveredMonths);
        if (effectiveMonth != null && effectiveMonth.isBefore(end)) {
            end = effectiveMonth;
        }
        if (start.isBefore(end) && startMonth.isBefore(spanEnd)) {
            return true;
        }
        return months.entrySet().stream()
                .anyMatch(e -> e.getValue().status() == MonthStatus.PAID
                        && !e.getKey().isBefore(start)
                        && e.getKey().isBefore(spanEnd));
    }

    /**
     * What this grant counts against {@code capPerRecipient}: paid plus still committed, less the clawback due.
     * Released and lapsed months, and support owed back, give headroom back (SPEC §11).
     */
    public Money supportCounted() {
        Money sum = Money.zero(currency);
        for (MonthState state : months.values()) {
            sum = sum.plus(state.paid());
            if (state.status() == MonthStatus.COMMITTED) {
                sum = sum.plus(state.committed());
            }
        }
        return clawbackDue == null ? sum : sum.minus(clawbackDue);
    }

    /** Whether a month lies within the grant's schedule of grant years (committed or not). */
    public boolean covers(YearMonth month) {
        return !month.isBefore(startMonth) && month.isBefore(startMonth.plusMonths(coveredMonths));
    }

    /** The first instant at which a month can no longer be claimed: its claim window has closed. */
    public Instant claimWindowEnd(YearMonth month, Jurisdiction jurisdiction) {
        return jurisdiction.startOf(month.plusMonths(1L + claimWindowMonths));
    }

    /** Committed months whose claim window has closed by {@code now}: due to lapse. */
    public List<MonthRelease> monthsToLapse(Instant now, Jurisdiction jurisdiction) {
        List<MonthRelease> due = new ArrayList<>();
        months.forEach((month, state) -> {
            if (state.status() == MonthStatus.COMMITTED && !now.isBefore(claimWindowEnd(month, jurisdiction))) {
                due.add(new MonthRelease(month, state.committed()));
            }
        });
        return due;
    }

    /** Still-committed months from {@code effectiveMonth} on: released by a termination. */
    public List<MonthRelease> monthsFrom(YearMonth effective) {
        List<MonthRelease> rest = new ArrayList<>();
        months.forEach((month, state) -> {
            if (!month.isBefore(effective) && state.status() == MonthStatus.COMMITTED) {
                rest.add(new MonthRelease(month, state.committed()));
            }
        });
        return rest;
    }

    /** Paid before {@code effective} (the part a minimum stay protects) or from it on (owed back in full). */
    public Money paidBefore(YearMonth effective) {
        return months.entrySet().stream()
                .filter(e -> e.getKey().isBefore(effective))
                .map(e -> e.getValue().paid())
                .reduce(Money.zero(currency), Money::plus);
    }

    public Money paidFrom(YearMonth effective) {
        return months.entrySet().stream()
                .filter(e -> !e.getKey().isBefore(effective))
                .map(e -> e.getValue().paid())
                .reduce(Money.zero(currency), Money::plus);
    }

    public int monthsServed(YearMonth effective) {
        return (int) Math.max(0, startMonth.until(effective, ChronoUnit.MONTHS));
    }

    public MonthState month(YearMonth month) {
        return months.get(month);
    }

    public Map<YearMonth, MonthState> months() {
        return Collections.unmodifiableMap(months);
    }

    public boolean isTerminated() {
        return effectiveMonth != null;
    }

    /** Whether a month is no longer subsidised because the grant was terminated before it. */
    public boolean terminatedFor(YearMonth month) {
        return effectiveMonth != null && !month.isBefore(effectiveMonth);
    }

    public GrantId grantId() {
        return grantId;
    }

    public Recipient recipient() {
        return recipient;
    }

    public YearMonth startMonth() {
        return startMonth;
    }

    public YearMonth lastCoveredMonth() {
        return startMonth.plusMonths(coveredMonths - 1L);
    }

    public Money monthlyRent() {
        return monthlyRent;
    }

    public Integer serviceMonths() {
        return serviceMonths;
    }

    public YearMonth effectiveMonth() {
        return effectiveMonth;
    }

    /** What the recipient owes back after a termination (SPEC §11), outside the budget identity; null before. */
    public Money clawbackDue() {
        return clawbackDue;
    }

    /** Equal when every field is: the state rebuilt from events must equal the state a command left behind. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HousingGrant that
                && Objects.equals(grantId, that.grantId)
                && Objects.equals(recipient, that.recipient)
                && Objects.equals(startMonth, that.startMonth)
                && Objects.equals(monthlyRent, that.monthlyRent)
                && Objects.equals(coveredMonths, that.coveredMonths)
                && Objects.equals(claimWindowMonths, that.claimWindowMonths)
                && Objects.equals(serviceMonths, that.serviceMonths)
                && Objects.equals(currency, that.currency)
                && Objects.equals(effectiveMonth, that.effectiveMonth)
                && Objects.equals(clawbackDue, that.clawbackDue)
                && Objects.equals(months, that.months);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                grantId,
                recipient,
                startMonth,
                monthlyRent,
                coveredMonths,
                claimWindowMonths,
                serviceMonths,
                currency,
                effectiveMonth,
                clawbackDue,
                months);
    }

    public enum MonthStatus {
        COMMITTED,
        PAID,
        LAPSED,
        RELEASED
    }

    /** One scheduled month: what it committed, what was paid and released, and where it stands. */
    public record MonthState(
            int grantYear, Ratio rate, Money committed, Money paid, Money released, MonthStatus status) {
        MonthState with(Money paid, Money released, MonthStatus status) {
            return new MonthState(grantYear, rate, committed, paid, released, status);
        }
    }
}
