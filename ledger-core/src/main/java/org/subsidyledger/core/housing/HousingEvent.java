package org.subsidyledger.core.housing;

import java.time.YearMonth;
import java.util.List;
import org.axonframework.serialization.Revision;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.shared.Ratio;

/** The public events of a housing grant's life (SPEC §3, §11). */
public sealed interface HousingEvent extends ProgramStreamEvent {
    GrantId grantId();

    /** A grant commits its whole schedule, month by month, capped; {@code committed} is the schedule's sum. */
    @Revision("1")
    record HousingSubsidyGranted(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            GrantId grantId,
            Recipient recipient,
            YearMonth startMonth,
            Money monthlyRent,
            int claimWindowMonths,
            Integer serviceMonths,
            List<ScheduledMonth> schedule,
            Money committed)
            implements HousingEvent {
        public HousingSubsidyGranted {
            schedule = List.copyOf(schedule);
        }

        /** Built from its program's header. */
        public HousingSubsidyGranted(
                ProgramHeader program,
                GrantId grantId,
                Recipient recipient,
                YearMonth startMonth,
                Money monthlyRent,
                int claimWindowMonths,
                Integer serviceMonths,
                List<ScheduledMonth> schedule,
                Money committed) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    grantId,
                    recipient,
                    startMonth,
                    monthlyRent,
                    claimWindowMonths,
                    serviceMonths,
                    schedule,
                    committed);
        }
    }

    /**
     * A month was paid: {@code amount = min(rentPaid, monthlyRent, monthlyRentCap) × rate}, at most the month's
     * commitment; the shortfall against the commitment is {@code released} in the same event.
     *
     * <p>{@code clawbackDue} is null while the grant runs. A month before {@code effectiveMonth} paid after the grant
     * was terminated carries the grant's clawback due recomputed over everything paid (SPEC §11); it replaces the
     * figure of the termination. Events stored before the field existed read it as null.
     */
    @Revision("1")
    record HousingSubsidyPaid(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            GrantId grantId,
            String personRef,
            YearMonth month,
            int grantYear,
            Ratio rate,
            Money rentPaid,
            String leaseRef,
            Money committed,
            Money amount,
            Money released,
            Money clawbackDue)
            implements HousingEvent {
        /** A payment while the grant runs: no clawback figure. */
        public HousingSubsidyPaid(
                ProgramId programId,
                String province,
                String city,
                ProgramKind programKind,
                CurrencyCode currency,
                GrantId grantId,
                String personRef,
                YearMonth month,
                int grantYear,
                Ratio rate,
                Money rentPaid,
                String leaseRef,
                Money committed,
                Money amount,
                Money released) {
            this(
                    programId,
                    province,
                    city,
                    programKind,
                    currency,
                    grantId,
                    personRef,
                    month,
                    grantYear,
                    rate,
                    rentPaid,
                    leaseRef,
                    committed,
                    amount,
                    released,
                    null);
        }

        /** A payment while the grant runs, built from its program's header. */
        public HousingSubsidyPaid(
                ProgramHeader program,
                GrantId grantId,
                String personRef,
                YearMonth month,
                int grantYear,
                Ratio rate,
                Money rentPaid,
                String leaseRef,
                Money committed,
                Money amount,
                Money released) {
            this(
                    program, grantId, personRef, month, grantYear, rate, rentPaid, leaseRef, committed, amount,
                    released, null);
        }

        /** Built from its program's header. */
        public HousingSubsidyPaid(
                ProgramHeader program,
                GrantId grantId,
                String personRef,
                YearMonth month,
                int grantYear,
                Ratio rate,
                Money rentPaid,
                String leaseRef,
                Money committed,
                Money amount,
                Money released,
                Money clawbackDue) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    grantId,
                    personRef,
                    month,
                    grantYear,
                    rate,
                    rentPaid,
                    leaseRef,
                    committed,
                    amount,
                    released,
                    clawbackDue);
        }
    }

    /** Months left unclaimed past the claim window; their commitment is released. */
    @Revision("1")
    record HousingMonthsLapsed(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            GrantId grantId,
            String personRef,
            List<MonthRelease> months,
            Money released)
            implements HousingEvent {
        public HousingMonthsLapsed {
            months = List.copyOf(months);
        }

        /** Built from its program's header. */
        public HousingMonthsLapsed(
                ProgramHeader program, GrantId grantId, String personRef, List<MonthRelease> months, Money released) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    grantId,
                    personRef,
                    months,
                    released);
        }
    }

    /**
     * A grant ended early. Months from {@code effectiveMonth} on are released; {@code clawbackDue} is owed back by the
     * recipient (pro-rata for a minimum stay not served, plus anything paid for months no longer subsidised) and is
     * reported outside the budget identity.
     */
    @Revision("1")
    record HousingGrantTerminated(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            GrantId grantId,
            String personRef,
            String reason,
            YearMonth effectiveMonth,
            int monthsServed,
            Integer serviceMonths,
            List<MonthRelease> releasedMonths,
            Money released,
            Money paid,
            Money clawbackDue)
            implements HousingEvent {
        public HousingGrantTerminated {
            releasedMonths = List.copyOf(releasedMonths);
        }

        /** Built from its program's header. */
        public HousingGrantTerminated(
                ProgramHeader program,
                GrantId grantId,
                String personRef,
                String reason,
                YearMonth effectiveMonth,
                int monthsServed,
                Integer serviceMonths,
                List<MonthRelease> releasedMonths,
                Money released,
                Money paid,
                Money clawbackDue) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    grantId,
                    personRef,
                    reason,
                    effectiveMonth,
                    monthsServed,
                    serviceMonths,
                    releasedMonths,
                    released,
                    paid,
                    clawbackDue);
        }
    }
}
