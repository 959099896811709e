package org.subsidyledger.core.alert;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.subsidyledger.core.budget.ProgramBudget;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingMonthsLapsed;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.housing.MonthRelease;
import org.subsidyledger.core.housing.ScheduledMonth;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.VoucherEvent.Redeemed;
import org.subsidyledger.core.voucher.VoucherEvent.RedemptionSettled;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;
import org.subsidyledger.core.voucher.VoucherStatus;

/**
 * What the program rules read about one program, kept up to date entry by entry. The SPEC §4 figures come from
 * {@link ProgramBudget} (its bottom-up {@code committed} is summed once per event of the program, not once per rule);
 * beside them this keeps the running sums the time-based rules need, each moved forward in O(1) per voucher or
 * redemption as "now" passes its age limit, so that evaluating every program at every entry stays cheap.
 */
final class ProgramFacts {
    final ProgramId programId;
    final String province;
    final String city;
    final ProgramKind kind;
    final Jurisdiction jurisdiction;
    final AlertScope scope;
    final AlertThresholds.Limits limits;
    final ProgramBudget budget;
    private Money committed;

    private final Map<VoucherId, VoucherFacts> vouchers = new HashMap<>();
    private final Map<String, RedemptionFacts> redemptions = new HashMap<>();
    /** Vouchers not yet old enough for LOW_REDEMPTION, in issue order. */
    private final Deque<VoucherFacts> young = new ArrayDeque<>();
    /** Unsettled redemptions not yet overdue, in redemption order. */
    private final Deque<RedemptionFacts> recent = new ArrayDeque<>();
    /** New commitments (issued face values, granted schedules) inside the trailing window, in time order. */
    private final Deque<Commitment> window = new ArrayDeque<>();
    /** Housing months still committed: grant/month → fiscal year and amount. */
    private final Map<String, MonthDue> openMonths = new HashMap<>();
    /** Outstanding obligations by the fiscal year they fall due in (SPEC §5 forwardLiabilities). */
    final TreeMap<Integer, BigDecimal> liabilities = new TreeMap<>();
    /** Subsidies redeemed, by provider group (vouchers only). */
    final Shares byProviderGroup = new Shares();

    BigDecimal agedFace = BigDecimal.ZERO;
    BigDecimal agedRedeemed = BigDecimal.ZERO;
    BigDecimal overdue = BigDecimal.ZERO;
    BigDecimal windowSum = BigDecimal.ZERO;
    BigDecimal endedFace = BigDecimal.ZERO;
    BigDecimal releasedByExpiry = BigDecimal.ZERO;
    BigDecimal redeemedTotal = BigDecimal.ZERO;
    int redemptionCount;

    ProgramFacts(ProgramLaunched launched, AlertThresholds.Limits limits) {
        programId = launched.programId();
        province = launched.province();
        city = launched.city();
        kind = launched.programKind();
        jurisdiction = Jurisdiction.parse(launched.province());
        scope = AlertScope.program(province, city, programId, launched.currency());
        this.limits = limits;
        budget = new ProgramBudget(programId, launched.currency());
        committed = Money.zero(launched.currency());
    }

    /** Folds one event of this program at {@code now}; {@code providerGroups} names a provider's group. */
    void apply(ProgramStreamEvent event, Instant now, Function<Redeemed, String> providerGroups) {
        budget.apply(event);
        committed = budget.committed();
        if (event instanceof VoucherIssued issued) {
            VoucherFacts v =
                    new VoucherFacts(issued.faceValue().amount(), now, jurisdiction.fiscalYearOf(issued.expiresAt()));
            vouchers.put(issued.voucherId(), v);
            young.addLast(v);
            liabilities.merge(v.expiryYear, v.face, BigDecimal::add);
            commit(now, v.face);
        } else if (event instanceof Redeemed r) {
            BigDecimal subsidy = r.subsidy().amount();
            VoucherFacts v = vouchers.get(r.voucherId());
            if (v != null) {
                v.redeemed = v.redeemed.add(subsidy);
                if (v.aged) {
                    agedRedeemed = agedRedeemed.add(subsidy);
                }
                liabilities.merge(v.expiryYear, subsidy.negate(), BigDecimal::add);
                if (r.remaining().isZero()) {
                    end(v, VoucherStatus.EXHAUSTED);
                }
            }
            RedemptionFacts redemption = new RedemptionFacts(subsidy, now);
            redemptions.put(r.voucherId() + "/" + r.redemptionId(), redemption);
            recent.addLast(redemption);
            byProviderGroup.add(providerGroups.apply(r), subsidy);
            redeemedTotal = redeemedTotal.add(subsidy);
            redemptionCount++;
        } else if (event instanceof RedemptionSettled s) {
            RedemptionFacts redemption = redemptions.get(s.voucherId() + "/" + s.redemptionId());
            if (redemption != null && !redemption.settled) {
                redemption.settled = true;
                if (redemption.overdue) {
                    overdue = overdue.subtract(redemption.subsidy);
                }
            }
        } else if (event instanceof VoucherRevoked r) {
            release(r.voucherId(), r.released(), VoucherStatus.REVOKED);
        } else if (event instanceof VoucherExpired e) {
            release(e.voucherId(), e.released(), VoucherStatus.EXPIRED);
            releasedByExpiry = releasedByExpiry.add(e.released().amount());
        } else if (event instanceof HousingSubsidyGranted g) {
            for (ScheduledMonth m : g.schedule()) {
                MonthDue due = new MonthDue(
                        jurisdiction.fiscalYearOf(m.month()), m.committed().amount());
                openMonths.put(g.grantId() + "/" + m.month(), due);
                liabilities.merge(due.fiscalYear, due.amount, BigDecimal::add);
            }
            commit(now, g.committed().amount());
        } else if (event instanceof HousingSubsidyPaid p) {
            closeMonth(p.grantId() + "/" + p.month());
        } else if (event instanceof HousingMonthsLapsed l) {
            closeMonths(l.grantId().toString(), l.months());
        } else if (event instanceof HousingGrantTerminated t) {
            closeMonths(t.grantId().toString(), t.releasedMonths());
        }
        liabilities.values().removeIf(amount -> amount.signum() == 0);
    }

    /** Moves the age-based sums forward to {@code now} (never backwards: the engine's now only grows). */
    void advanceTo(Instant now) {
        Duration age = Duration.ofDays(limits.count(Threshold.LOW_REDEMPTION_AGE_DAYS));
        while (!young.isEmpty() && !young.peekFirst().issuedAt.plus(age).isAfter(now)) {
            VoucherFacts v = young.removeFirst();
            v.aged = true;
            agedFace = agedFace.add(v.face);
            agedRedeemed = agedRedeemed.add(v.redeemed);
        }
        Duration arrears = Duration.ofDays(limits.count(Threshold.ARREARS_DAYS));
        while (!recent.isEmpty() && recent.peekFirst().redeemedAt.plus(arrears).isBefore(now)) {
            RedemptionFacts r = recent.removeFirst();
            if (!r.settled) {
                r.overdue = true;
                overdue = overdue.add(r.subsidy);
            }
        }
        Instant windowStart = now.minus(Duration.ofDays(limits.count(Threshold.EXHAUSTION_WINDOW_DAYS)));
        while (!window.isEmpty() && !window.peekFirst().at.isAfter(windowStart)) {
            windowSum = windowSum.subtract(window.removeFirst().amount);
        }
    }

    Money committed() {
        return committed;
    }

    /** {@code available = appropriated − committed − disbursed} (SPEC §4). */
    Money available() {
        return budget.appropriated().minus(committed).minus(budget.disbursed());
    }

    private void commit(Instant now, BigDecimal amount) {
        window.addLast(new Commitment(now, amount));
        windowSum = windowSum.add(amount);
    }

    private void release(VoucherId voucherId, Money released, VoucherStatus status) {
        VoucherFacts v = vouchers.get(voucherId);
        if (v != null) {
            liabilities.merge(v.expiryYear, released.amount().negate(), BigDecimal::add);
            end(v, status);
        }
    }

    private void end(VoucherFacts v, VoucherStatus status) {
        if (v.status == VoucherStatus.ACTIVE) {
            v.status = status;
            endedFace = endedFace.add(v.face);
        }
    }

    private void closeMonths(String grantId, List<MonthRelease> months) {
        for (MonthRelease m : months) {
            closeMonth(grantId + "/" + m.month());
        }
    }

    private void closeMonth(String key) {
        MonthDue due = openMonths.remove(key);
        if (due != null) {
            liabilities.merge(due.fiscalYear, due.amount.negate(), BigDecimal::add);
        }
    }

    private static final class VoucherFacts {
        final BigDecimal face;
        final Instant issuedAt;
        final int expiryYear;
        BigDecimal redeemed = BigDecimal.ZERO;
        VoucherStatus status = VoucherStatus.ACTIVE;
        boolean aged;

        VoucherFacts(BigDecimal face, Instant issuedAt, int expiryYear) {
            this.face = face;
            this.issuedAt = issuedAt;
            this.expiryYear = expiryYear;
        }
    }

    private static final class RedemptionFacts {
        final BigDecimal subsidy;
        final Instant redeemedAt;
        boolean settled;
        boolean overdue;

        RedemptionFacts(BigDecimal subsidy, Instant redeemedAt) {
            this.subsidy = subsidy;
            this.redeemedAt = redeemedAt;
        }
    }

    private record Commitment(Instant at, BigDecimal amount) {}

    private record MonthDue(int fiscalYear, BigDecimal amount) {}
}
