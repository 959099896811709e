package org.subsidyledger.core.program;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingMonthsLapsed;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.FundsRescinded;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.voucher.VoucherEvent.Redeemed;
import org.subsidyledger.core.voucher.VoucherEvent.RedemptionSettled;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;

/**
 * A program's running SPEC §4 totals, moved by its events: what was appropriated, what is committed, disbursed, paid
 * and released. The program decides against {@link #available()}; every event that moves money moves it here, in the
 * same stream, so the figure is exact at every point of the log.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
final class BudgetTotals {
    private Money appropriated;
    private Money committed;
    private Money disbursed;
    private Money paid;
    private Money released;

    /** For the snapshot serializer. */
    private BudgetTotals() {}

    static BudgetTotals zero(CurrencyCode currency) {
        BudgetTotals totals = new BudgetTotals();
        totals.appropriated = Money.zero(currency);
        totals.committed = Money.zero(currency);
        totals.disbursed = Money.zero(currency);
        totals.paid = Money.zero(currency);
        totals.released = Money.zero(currency);
        return totals;
    }

    /** Moves the totals by one event of the program's stream; events that move no money leave them as they are. */
    void evolve(ProgramStreamEvent event) {
        if (event instanceof FundsAppropriated a) {
            appropriated = appropriated.plus(a.amount());
        } else if (event instanceof FundsRescinded r) {
            appropriated = appropriated.minus(r.amount());
        } else if (event instanceof VoucherIssued i) {
            committed = committed.plus(i.faceValue());
        } else if (event instanceof Redeemed r) {
            committed = committed.minus(r.subsidy());
            disbursed = disbursed.plus(r.subsidy());
        } else if (event instanceof RedemptionSettled s) {
            paid = paid.plus(s.amount());
        } else if (event instanceof VoucherRevoked r) {
            release(r.released());
        } else if (event instanceof VoucherExpired e) {
            release(e.released());
        } else if (event instanceof HousingSubsidyGranted g) {
            committed = committed.plus(g.committed());
        } else if (event instanceof HousingSubsidyPaid p) {
            committed = committed.minus(p.committed());
            disbursed = disbursed.plus(p.amount());
            paid = paid.plus(p.amount());
            released = released.plus(p.released());
        } else if (event instanceof HousingMonthsLapsed l) {
            release(l.released());
        } else if (event instanceof HousingGrantTerminated t) {
            release(t.released());
        }
    }

    private void release(Money amount) {
        committed = committed.minus(amount);
        released = released.plus(amount);
    }

    /** {@code available = appropriated − committed − disbursed} (SPEC §4). */
    Money available() {
        return appropriated.minus(committed).minus(disbursed);
    }

    Program.Figures figures() {
        return new Program.Figures(appropriated, committed, disbursed, paid, released, available());
    }
}
