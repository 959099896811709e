package org.subsidyledger.core.budget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.subsidyledger.core.housing.HousingEvent;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.FundsRescinded;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.VoucherEvent.Redeemed;
import org.subsidyledger.core.voucher.VoucherEvent.RedemptionSettled;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;
import org.subsidyledger.core.voucher.VoucherSettings;

/**
 * One program's two sides for {@link IdentityCheck}, and each event's arithmetic against what the events before it
 * stated (SPEC §3, §11): a redemption's {@code subsidy = min(round_half_up(invoiceAmount × coverageRatio, 2), remaining
 * before)} and {@code remaining = remaining before − subsidy}; a release gives back exactly what the voucher held; a
 * settlement pays exactly one unpaid subsidy. The housing arithmetic is {@link HousingBook}'s.
 */
final class StatedBook {
    private final CurrencyCode currency;
    private final HousingBook housing;
    private VoucherSettings voucherSettings;
    private Money appropriated;
    private Money issued;
    private Money disbursed;
    private Money released;
    /** The stated side: Σ each voucher's stated remaining + Σ open housing months' stated commitments. */
    private Money committed;

    private final Map<VoucherId, StatedVoucher> vouchers = new HashMap<>();
    /** Every redemption's subsidy, and which of them were settled; a redemption id is unique within its voucher. */
    private final Map<String, Money> subsidies = new HashMap<>();

    private final Set<String> settled = new HashSet<>();

    private static final class StatedVoucher {
        final VoucherIssued issue;
        Money remaining;
        Money redeemed;
        boolean ended;

        StatedVoucher(VoucherIssued issue) {
            this.issue = issue;
            this.remaining = issue.faceValue();
            this.redeemed = Money.zero(issue.faceValue().currency());
        }
    }

    StatedBook(CurrencyCode currency) {
        this.currency = currency;
        Money zero = Money.zero(currency);
        appropriated = zero;
        issued = zero;
        disbursed = zero;
        released = zero;
        committed = zero;
        housing = new HousingBook(currency);
    }

    /** Folds one event into both sides; answers what its arithmetic got wrong (empty when nothing). */
    List<String> apply(ProgramStreamEvent event) {
        List<String> problems = new ArrayList<>();
        if (event.currency() != currency) {
            problems.add(name(event) + " is in " + event.currency() + ", the program in " + currency);
            return problems;
        }
        if (event instanceof ProgramLaunched l) {
            voucherSettings = l.rules() instanceof VoucherSettings v ? v : null;
            housing.settings(l.rules() instanceof HousingSettings h ? h : null);
        } else if (event instanceof FundsAppropriated a) {
            appropriated = appropriated.plus(a.amount());
        } else if (event instanceof FundsRescinded r) {
            appropriated = appropriated.minus(r.amount());
        } else if (event instanceof VoucherIssued i) {
            issue(i, problems);
        } else if (event instanceof Redeemed r) {
            redeem(r, problems);
        } else if (event instanceof RedemptionSettled s) {
            String key = redemption(s.voucherId(), s.redemptionId());
            Money subsidy = subsidies.get(key);
            if (subsidy == null || !settled.add(key)) {
                problems.add("RedemptionSettled settles " + s.redemptionId() + ", which is not an unpaid redemption");
            } else if (!subsidy.equals(s.amount())) {
                problems.add("RedemptionSettled pays " + s.amount() + " for a subsidy of " + subsidy);
            }
        } else if (event instanceof VoucherRevoked r) {
            release(r.voucherId(), r.faceValue(), r.redeemed(), r.released(), "VoucherRevoked", problems);
        } else if (event instanceof VoucherExpired e) {
            release(e.voucherId(), e.faceValue(), e.redeemed(), e.released(), "VoucherExpired", problems);
        } else if (event instanceof HousingEvent h) {
            HousingBook.Flows flows = housing.apply(h, problems);
            disbursed = disbursed.plus(flows.disbursed());
            released = released.plus(flows.released());
            committed = committed.plus(flows.committedChange());
        }
        return problems;
    }

    private void issue(VoucherIssued i, List<String> problems) {
        if (vouchers.containsKey(i.voucherId())) {
            problems.add("VoucherIssued issues " + i.voucherId() + " a second time");
            return;
        }
        if (!i.faceValue().isPositive()) {
            problems.add("VoucherIssued has a face value of " + i.faceValue());
        }
        if (voucherSettings != null && !same(voucherSettings.coverageRatio(), i.coverageRatio())) {
            problems.add("VoucherIssued covers " + i.coverageRatio() + " of each invoice, the program's rules "
                    + voucherSettings.coverageRatio());
        }
        vouchers.put(i.voucherId(), new StatedVoucher(i));
        issued = issued.plus(i.faceValue());
        committed = committed.plus(i.faceValue());
    }

    private void redeem(Redeemed r, List<String> problems) {
        String what = name(r) + " " + r.redemptionId();
        StatedVoucher v = vouchers.get(r.voucherId());
        disbursed = disbursed.plus(r.subsidy());
        if (subsidies.putIfAbsent(redemption(r.voucherId(), r.redemptionId()), r.subsidy()) != null) {
            problems.add(what + " repeats a redemption's id");
        }
        if (v == null) {
            problems.add(what + " redeems " + r.voucherId() + ", which the log never issued");
            return;
        }
        committed = committed.minus(v.remaining).plus(r.remaining());
        Money before = v.remaining;
        v.remaining = r.remaining();
        v.redeemed = v.redeemed.plus(r.subsidy());
        if (v.ended) {
            problems.add(what + " redeems " + r.voucherId() + " after it expired or was revoked");
        }
        if (!same(v.issue.coverageRatio(), r.coverageRatio())) {
            problems.add(what + " applies a coverage ratio of " + r.coverageRatio() + ", the voucher's is "
                    + v.issue.coverageRatio());
        }
        Money due = r.invoiceAmount().times(v.issue.coverageRatio()).min(before);
        if (!due.equals(r.subsidy()) || !r.subsidy().isPositive()) {
            problems.add(what + " pays a subsidy of " + r.subsidy() + " where min(round("
                    + r.invoiceAmount().amount() + " × " + v.issue.coverageRatio() + "), remaining " + before.amount()
                    + ") = " + due);
        }
        if (!before.minus(r.subsidy()).equals(r.remaining())) {
            problems.add(what + " leaves " + r.remaining() + " where " + before.amount() + " − "
                    + r.subsidy().amount() + " = " + before.minus(r.subsidy()));
        }
    }

    private void release(
            VoucherId voucherId, Money faceValue, Money redeemed, Money amount, String type, List<String> problems) {
        released = released.plus(amount);
        StatedVoucher v = vouchers.get(voucherId);
        if (v == null) {
            problems.add(type + " releases " + voucherId + ", which the log never issued");
            return;
        }
        if (v.ended) {
            problems.add(type + " releases " + voucherId + " a second time");
        }
        if (!amount.equals(v.remaining)) {
            problems.add(type + " releases " + amount + " where " + voucherId + " held " + v.remaining);
        }
        if (!faceValue.equals(v.issue.faceValue()) || !redeemed.equals(v.redeemed)) {
            problems.add(type + " states a face value of " + faceValue + " and " + redeemed + " redeemed where "
                    + voucherId + " was issued for " + v.issue.faceValue() + " and redeemed " + v.redeemed);
        }
        committed = committed.minus(v.remaining);
        v.remaining = Money.zero(currency);
        v.ended = true;
    }

    private static String redemption(VoucherId voucherId, RedemptionId redemptionId) {
        return voucherId.value() + "/" + redemptionId.value();
    }

    /** Two ratios of the same value, whatever their written scale ("0.5" and "0.50"). */
    static boolean same(Ratio a, Ratio b) {
        return a.value().compareTo(b.value()) == 0;
    }

    private static String name(ProgramStreamEvent event) {
        return event.getClass().getSimpleName();
    }

    Money issuedAndGranted() {
        return issued.plus(housing.granted());
    }

    Money committedDisbursedReleased() {
        return committed.plus(disbursed).plus(released);
    }

    Money committed() {
        return committed;
    }

    Money disbursed() {
        return disbursed;
    }

    Money released() {
        return released;
    }

    Money available() {
        return appropriated.minus(committed).minus(disbursed);
    }
}
