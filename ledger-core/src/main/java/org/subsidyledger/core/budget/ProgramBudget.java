package org.subsidyledger.core.budget;

import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingMonthsLapsed;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.housing.MonthRelease;
import org.subsidyledger.core.housing.ScheduledMonth;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.FundsRescinded;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.VoucherEvent.Redeemed;
import org.subsidyledger.core.voucher.VoucherEvent.RedemptionSettled;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;

/**
 * SPEC §4's figures of one program, computed from its public events alone and <em>bottom-up</em>: {@code committed}
 * is the sum of what each voucher still holds and each housing month still commits, not a running total. It shares
 * no code with the program aggregate, so {@link #available()} can be checked against the aggregate's own figure. Its
 * {@link #identityHolds()} derives a voucher's remaining from the same flows it sums; the verifier's identity, between
 * the flows and the figures the events state, at every entry, is {@link IdentityCheck}'s.
 */
public final class ProgramBudget {
    private final ProgramId programId;
    private final CurrencyCode currency;
    private Money appropriated;
    private Money issued;
    private Money granted;
    private Money disbursed;
    private Money paid;
    private Money released;
    private final Map<VoucherId, Money> voucherRemaining = new HashMap<>();
    private final Map<String, Money> monthsCommitted = new HashMap<>();
    /** The sum of {@link #voucherRemaining} and {@link #monthsCommitted}, kept as they change. */
    private Money committed;
    /** The clawback due of each terminated grant, as its latest termination or payment event states it. */
    private final Map<GrantId, Money> clawbackDue = new HashMap<>();

    public ProgramBudget(ProgramId programId, CurrencyCode currency) {
        this.programId = programId;
        this.currency = currency;
        Money zero = Money.zero(currency);
        appropriated = zero;
        issued = zero;
        granted = zero;
        disbursed = zero;
        paid = zero;
        released = zero;
        committed = zero;
    }

    /** An independent copy: folding into either leaves the other as it was (its values are immutable). */
    public ProgramBudget copy() {
        ProgramBudget copy = new ProgramBudget(programId, currency);
        copy.appropriated = appropriated;
        copy.issued = issued;
        copy.granted = granted;
        copy.disbursed = disbursed;
        copy.paid = paid;
        copy.released = released;
        copy.committed = committed;
        copy.voucherRemaining.putAll(voucherRemaining);
        copy.monthsCommitted.putAll(monthsCommitted);
        copy.clawbackDue.putAll(clawbackDue);
        return copy;
    }

    /** Folds one event of this program's stream into the figures. */
    public void apply(ProgramStreamEvent event) {
        if (event instanceof FundsAppropriated a) {
            appropriated = appropriated.plus(a.amount());
        } else if (event instanceof FundsRescinded r) {
            appropriated = appropriated.minus(r.amount());
        } else if (event instanceof VoucherIssued i) {
            issued = issued.plus(i.faceValue());
            setVoucher(i.voucherId(), i.faceValue());
        } else if (event instanceof Redeemed r) {
            reduceVoucher(r.voucherId(), r.subsidy());
            disbursed = disbursed.plus(r.subsidy());
        } else if (event instanceof RedemptionSettled s) {
            paid = paid.plus(s.amount());
        } else if (event instanceof VoucherRevoked r) {
            releaseVoucher(r.voucherId(), r.released());
        } else if (event instanceof VoucherExpired e) {
            releaseVoucher(e.voucherId(), e.released());
        } else if (event instanceof HousingSubsidyGranted g) {
            granted = granted.plus(g.committed());
            for (ScheduledMonth m : g.schedule()) {
                setMonth(monthKey(g.grantId(), m.month()), m.committed());
            }
        } else if (event instanceof HousingSubsidyPaid p) {
            removeMonth(monthKey(p.grantId(), p.month()));
            disbursed = disbursed.plus(p.amount());
            paid = paid.plus(p.amount());
            released = released.plus(p.released());
            if (p.clawbackDue() != null) {
                clawbackDue.put(p.grantId(), p.clawbackDue());
            }
        } else if (event instanceof HousingMonthsLapsed l) {
            releaseMonths(l.grantId(), l.months());
        } else if (event instanceof HousingGrantTerminated t) {
            releaseMonths(t.grantId(), t.releasedMonths());
            clawbackDue.put(t.grantId(), t.clawbackDue());
        }
    }

    /**
     * An expired or revoked voucher holds nothing from then on (SPEC §4 counts ACTIVE vouchers only), whatever its
     * release says it gave back: a release short of the voucher's remaining breaks the identity instead of leaving the
     * difference committed.
     */
    private void releaseVoucher(VoucherId voucherId, Money amount) {
        setVoucher(voucherId, Money.zero(currency));
        released = released.plus(amount);
    }

    private void releaseMonths(GrantId grantId, List<MonthRelease> months) {
        for (MonthRelease m : months) {
            removeMonth(monthKey(grantId, m.month()));
            released = released.plus(m.released());
        }
    }

    private void setVoucher(VoucherId voucherId, Money remaining) {
        Money before = voucherRemaining.put(voucherId, remaining);
        committed = committed.plus(remaining);
        if (before != null) {
            committed = committed.minus(before);
        }
    }

    /** As {@code Map.merge(voucherId, amount, Money::minus)} did: an unknown voucher starts at {@code amount}. */
    private void reduceVoucher(VoucherId voucherId, Money amount) {
        Money before = voucherRemaining.get(voucherId);
        setVoucher(voucherId, before == null ? amount : before.minus(amount));
    }

    private void setMonth(String key, Money monthCommitted) {
        Money before = monthsCommitted.put(key, monthCommitted);
        committed = committed.plus(monthCommitted);
        if (before != null) {
            committed = committed.minus(before);
        }
    }

    private void removeMonth(String key) {
        Money before = monthsCommitted.remove(key);
        if (before != null) {
            committed = committed.minus(before);
        }
    }

    private static String monthKey(GrantId grantId, YearMonth month) {
        return grantId + "/" + month;
    }

    public ProgramId programId() {
        return programId;
    }

    public CurrencyCode currency() {
        return currency;
    }

    public Money appropriated() {
        return appropriated;
    }

    /** Gross face value of every voucher issued. */
    public Money issued() {
        return issued;
    }

    /** Gross commitment of every housing grant made. */
    public Money granted() {
        return granted;
    }

    /** Σ remaining of vouchers + Σ housing months neither paid nor released. */
    public Money committed() {
        return committed;
    }

    public Money disbursed() {
        return disbursed;
    }

    public Money paid() {
        return paid;
    }

    public Money payable() {
        return disbursed.minus(paid);
    }

    public Money released() {
        return released;
    }

    public Money available() {
        return appropriated.minus(committed()).minus(disbursed);
    }

    /** {@code Σ issued + Σ granted = committed + disbursed + released}. */
    public boolean identityHolds() {
        return issued.plus(granted).equals(committed().plus(disbursed).plus(released));
    }

    /**
     * What recipients of terminated grants owe back (SPEC §11), outside the budget identity: each grant's figure as
     * recomputed by the latest of its termination and the payments that landed after it.
     */
    public Money clawbackDue() {
        return clawbackDue.values().stream().reduce(Money.zero(currency), Money::plus);
    }

    /** The clawback due of one grant, or null while it was never terminated. */
    public Money clawbackDueOf(GrantId grantId) {
        return clawbackDue.get(grantId);
    }

    /** The remaining value of one voucher as the events imply it. */
    public Money remainingOf(VoucherId voucherId) {
        return voucherRemaining.get(voucherId);
    }
}
