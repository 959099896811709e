package org.subsidyledger.core.housing;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.subsidyledger.core.housing.HousingCommands.ClaimHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.LapseHousingMonths;
import org.subsidyledger.core.housing.HousingCommands.TerminateHousingGrant;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingMonthsLapsed;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.housing.HousingGrant.MonthState;
import org.subsidyledger.core.housing.HousingGrant.MonthStatus;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.LedgerClock;
import org.subsidyledger.core.shared.LedgerIndex;
import org.subsidyledger.core.shared.LedgerIndex.LeaseMonthKey;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.References;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;

/**
 * A housing program's grants and what its rules need to remember: each person's grants (their support counts against
 * {@code capPerRecipient}, their months may not overlap) and the lease months paid.
 *
 * <p>One {@code decide} method per command, as in the voucher book: it checks the command against this book and the
 * program's figures it is given, in SPEC §11's precedence, and returns the one event to apply or throws the
 * rejection; {@link #evolve} only assigns what an event says.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class GrantBook {
    private Map<GrantId, HousingGrant> grants = new HashMap<>();
    /** The grants made to each personRef: their support counts against {@code capPerRecipient}, their months overlap. */
    private Map<String, List<GrantId>> grantsOfPerson = new HashMap<>();
    /** (leaseRef key, month) paid in this program; the national rule is answered by the ledger index. */
    private Set<String> paidLeaseMonths = new HashSet<>();

    // ---------------------------------------------------------------- decide

    /**
     * Grants a subsidy: the program open and a housing program, no overlapping grant of the same person, headroom
     * under the recipient's cap, and the schedule's commitment within the available budget.
     *
     * @param settings the program's housing settings; null for a program of another kind (refused here)
     */
    public HousingSubsidyGranted decide(
            GrantHousingSubsidy command,
            ProgramHeader program,
            HousingSettings settings,
            boolean closed,
            Money available,
            LedgerIndex index) {
        Rules.require(
                !grants.containsKey(command.grantId()) && !index.grantIdTaken(command.grantId()),
                RejectionCode.ALREADY_EXISTS,
                "Housing grant " + command.grantId() + " already exists.");
        Rules.check()
                .reject(
                        closed,
                        RejectionCode.PROGRAM_CLOSED,
                        "Program " + program.programId() + " is closed and makes no new grants.")
                .reject(
                        program.kind() != ProgramKind.HOUSING_SUBSIDY,
                        RejectionCode.WRONG_PROGRAM_KIND,
                        "Program " + program.programId() + " is a " + program.kind()
                                + " program; it makes no housing grants.")
                .reject(
                        program.foreign(command.monthlyRent()),
                        RejectionCode.CURRENCY_MISMATCH,
                        program.mismatch(command.monthlyRent()))
                .enforce();
        String personRef = command.recipient().personRef();
        HousingGrant overlapping = grantsOf(personRef).stream()
                .filter(g -> g.holdsAnyOf(command.startMonth(), settings.coveredMonths()))
                .findFirst()
                .orElse(null);
        Money headroom = settings.capPerRecipient().minus(supportCounted(program, personRef));
        List<ScheduledMonth> schedule = headroom.isPositive()
                ? settings.plan(command.startMonth(), command.monthlyRent(), headroom)
                : List.of();
        Money total = schedule.stream().map(ScheduledMonth::committed).reduce(program.zero(), Money::plus);
        Rules.check()
                .reject(
                        overlapping != null,
                        RejectionCode.DUPLICATE_GRANT,
                        "Recipient " + personRef + " already holds grant "
                                + (overlapping == null ? "" : overlapping.grantId()) + " covering months from "
                                + command.startMonth() + " in program " + program.programId() + ".")
                .reject(
                        schedule.isEmpty(),
                        RejectionCode.RECIPIENT_CAP_EXCEEDED,
                        "Recipient " + personRef + " has no headroom left under the cap of "
                                + settings.capPerRecipient() + " in program " + program.programId() + ".")
                .reject(
                        total.greaterThan(available),
                        RejectionCode.BUDGET_EXCEEDED,
                        "The grant would commit " + total + " but only " + available + " is available in program "
                                + program.programId() + ".")
                .enforce();
        return new HousingSubsidyGranted(
                program,
                command.grantId(),
                command.recipient(),
                command.startMonth(),
                command.monthlyRent(),
                settings.claimWindowMonths(),
                settings.serviceMonths(),
                schedule,
                total);
    }

    public HousingSubsidyPaid decide(
            ClaimHousingSubsidy command, ProgramHeader program, HousingSettings settings, LedgerIndex index) {
        HousingGrant grant = grant(command.grantId());
        YearMonth month = command.month();
        Instant now = LedgerClock.now();
        MonthState state = grant.month(month);
        LeaseMonthKey leaseMonth = new LeaseMonthKey(command.leaseRef(), month);
        boolean leaseMonthPaid =
                paidLeaseMonths.contains(leaseMonthKey(leaseMonth)) || index.leaseMonthPaid(leaseMonth);
        Instant windowEnd = grant.covers(month) ? grant.claimWindowEnd(month, program.jurisdiction()) : null;
        Rules.check()
                .reject(
                        grant.terminatedFor(month),
                        RejectionCode.GRANT_TERMINATED,
                        "Housing grant " + grant.grantId() + " was terminated from " + grant.effectiveMonth() + ".")
                .reject(
                        program.foreign(command.rentPaid()),
                        RejectionCode.CURRENCY_MISMATCH,
                        program.mismatch(command.rentPaid()))
                .reject(
                        !grant.covers(month),
                        RejectionCode.MONTH_NOT_COVERED,
                        "Month " + month + " is outside the schedule of grant " + grant.grantId() + " ("
                                + grant.startMonth() + " to " + grant.lastCoveredMonth() + ").")
                .reject(
                        windowEnd != null
                                && (!now.isBefore(windowEnd)
                                        || (state != null && state.status() == MonthStatus.LAPSED)),
                        RejectionCode.MONTH_NOT_COVERED,
                        "The claim window for " + month + " closed at " + windowEnd + ".")
                .reject(
                        month.isAfter(program.jurisdiction().monthOf(now)),
                        RejectionCode.CLAIM_IN_FUTURE,
                        "Month " + month + " has not begun yet in " + program.province() + ".")
                .reject(
                        state != null && state.status() == MonthStatus.PAID,
                        RejectionCode.DUPLICATE_CLAIM,
                        "Month " + month + " of grant " + grant.grantId() + " has already been paid.")
                .reject(
                        leaseMonthPaid,
                        RejectionCode.DUPLICATE_CLAIM,
                        "Month " + month + " of lease " + command.leaseRef() + " has already been paid.")
                .reject(
                        grant.covers(month) && state == null,
                        RejectionCode.RECIPIENT_CAP_EXCEEDED,
                        "Month " + month + " is beyond what the recipient's cap lets grant " + grant.grantId()
                                + " pay.")
                .enforce();
        Money eligibleRent = command.rentPaid().min(grant.monthlyRent()).min(settings.monthlyRentCap());
        Money amount = eligibleRent.times(state.rate()).min(state.committed());
        // A month before effectiveMonth paid after the termination raises what the recipient owes back (SPEC §11).
        Money clawbackDue = grant.isTerminated() ? grant.clawbackAfterPaying(month, amount) : null;
        return new HousingSubsidyPaid(
                program,
                grant.grantId(),
                grant.recipient().personRef(),
                month,
                state.grantYear(),
                state.rate(),
                command.rentPaid(),
                command.leaseRef(),
                state.committed(),
                amount,
                state.committed().minus(amount),
                clawbackDue);
    }

    /** Releases months whose claim window has closed unclaimed; nothing when none is due. */
    public Optional<HousingMonthsLapsed> decide(LapseHousingMonths command, ProgramHeader program) {
        HousingGrant grant = grant(command.grantId());
        List<MonthRelease> due = grant.monthsToLapse(LedgerClock.now(), program.jurisdiction());
        if (due.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HousingMonthsLapsed(
                program, grant.grantId(), grant.recipient().personRef(), due, sum(program, due)));
    }

    public HousingGrantTerminated decide(TerminateHousingGrant command, ProgramHeader program) {
        HousingGrant grant = grant(command.grantId());
        YearMonth effective = command.effectiveMonth();
        Rules.check()
                .reject(
                        grant.isTerminated(),
                        RejectionCode.GRANT_TERMINATED,
                        "Housing grant " + grant.grantId() + " was already terminated.")
                .reject(
                        effective.isBefore(grant.startMonth())
                                || effective.isAfter(grant.lastCoveredMonth().plusMonths(1)),
                        RejectionCode.MONTH_NOT_COVERED,
                        "effectiveMonth " + effective + " must lie between " + grant.startMonth() + " and "
                                + grant.lastCoveredMonth().plusMonths(1) + ".")
                .enforce();
        List<MonthRelease> rest = grant.monthsFrom(effective);
        Money paidBefore = grant.paidBefore(effective);
        Money paidFrom = grant.paidFrom(effective);
        int served = grant.monthsServed(effective);
        Integer service = grant.serviceMonths();
        return new HousingGrantTerminated(
                program,
                grant.grantId(),
                grant.recipient().personRef(),
                command.reason(),
                effective,
                served,
                service,
                rest,
                sum(program, rest),
                paidBefore.plus(paidFrom),
                HousingGrant.clawback(paidBefore, paidFrom, served, service));
    }

    // ---------------------------------------------------------------- evolve: assign what an event says

    public void evolve(HousingEvent event, HousingSettings settings) {
        if (event instanceof HousingSubsidyGranted granted) {
            grants.put(granted.grantId(), HousingGrant.granted(granted, settings.coveredMonths()));
            grantsOfPerson
                    .computeIfAbsent(granted.recipient().personRef(), p -> new ArrayList<>())
                    .add(granted.grantId());
            return;
        }
        grants.get(event.grantId()).evolve(event);
        if (event instanceof HousingSubsidyPaid p) {
            paidLeaseMonths.add(leaseMonthKey(new LeaseMonthKey(p.leaseRef(), p.month())));
        }
    }

    // ---------------------------------------------------------------- reading

    public Optional<HousingGrant> find(GrantId grantId) {
        return Optional.ofNullable(grants.get(grantId));
    }

    public Collection<HousingGrant> all() {
        return Collections.unmodifiableCollection(grants.values());
    }

    private HousingGrant grant(GrantId grantId) {
        HousingGrant grant = grants.get(grantId);
        if (grant == null) {
            throw Rules.rejection(RejectionCode.NOT_FOUND, "Housing grant " + grantId + " was not found.");
        }
        return grant;
    }

    private List<HousingGrant> grantsOf(String personRef) {
        return grantsOfPerson.getOrDefault(personRef, List.of()).stream()
                .map(grants::get)
                .toList();
    }

    /**
     * What counts against {@code capPerRecipient} (SPEC §11): support received and still committed across the person's
     * grants in this program; released, lapsed and clawed-back amounts give headroom back.
     */
    private Money supportCounted(ProgramHeader program, String personRef) {
        return grantsOf(personRef).stream().map(HousingGrant::supportCounted).reduce(program.zero(), Money::plus);
    }

    private static Money sum(ProgramHeader program, List<MonthRelease> months) {
        return months.stream().map(MonthRelease::released).reduce(program.zero(), Money::plus);
    }

    private static String leaseMonthKey(LeaseMonthKey key) {
        return References.composite(key.leaseRef(), key.month());
    }
}
