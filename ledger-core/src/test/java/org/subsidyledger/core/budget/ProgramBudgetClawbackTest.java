package org.subsidyledger.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.core.support.TestData.ZHUHAI;
import static org.subsidyledger.core.support.TestData.ZHUHAI_HEADER;
import static org.subsidyledger.core.support.TestData.cny;
import static org.subsidyledger.core.support.TestData.talent;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.housing.MonthRelease;
import org.subsidyledger.core.housing.ScheduledMonth;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Ratio;

/**
 * The fold behind {@code asOf} and the offline verifier follows the clawback due as the log states it: the
 * termination's figure, replaced by each later payment's recomputed one (issue 12's example: 6,000 → 18,000), and
 * left as the termination stated it by a payment recorded before the field existed.
 */
class ProgramBudgetClawbackTest {
    private static final GrantId G1 = GrantId.of("g-1");

    @Test
    void theFoldTakesTheClawbackOfEachLatePayment() {
        ProgramBudget budget = granted();
        budget.apply(paid("2026-07", null));
        budget.apply(paid("2026-08", null));
        budget.apply(terminated("6000.00"));
        assertThat(budget.clawbackDue()).isEqualTo(cny("6000.00"));
        budget.apply(paid("2026-09", "9000.00"));
        budget.apply(paid("2026-10", "12000.00"));
        budget.apply(paid("2026-11", "15000.00"));
        budget.apply(paid("2026-12", "18000.00"));
        assertThat(budget.clawbackDue()).isEqualTo(cny("18000.00"));
        assertThat(budget.clawbackDueOf(G1)).isEqualTo(cny("18000.00"));
        assertThat(budget.identityHolds()).isTrue();
    }

    @Test
    void aPaymentStoredBeforeTheFieldExistedLeavesTheTerminationsFigure() {
        ProgramBudget budget = granted();
        budget.apply(paid("2026-07", null));
        budget.apply(terminated("3000.00"));
        budget.apply(paid("2026-08", null));
        assertThat(budget.clawbackDue()).isEqualTo(cny("3000.00"));
    }

    private static ProgramBudget granted() {
        ProgramBudget budget = new ProgramBudget(ZHUHAI, CurrencyCode.CNY);
        List<ScheduledMonth> schedule = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            schedule.add(new ScheduledMonth(YearMonth.of(2026, 7).plusMonths(i), 1, Ratio.of("1.0"), cny("4000.00")));
        }
        budget.apply(new HousingSubsidyGranted(
                ZHUHAI_HEADER,
                G1,
                talent("p-1"),
                YearMonth.of(2026, 7),
                cny("4000.00"),
                3,
                24,
                schedule,
                cny("48000.00")));
        return budget;
    }

    private static HousingSubsidyPaid paid(String month, String clawbackDue) {
        return new HousingSubsidyPaid(
                ZHUHAI_HEADER,
                G1,
                "p-1",
                YearMonth.parse(month),
                1,
                Ratio.of("1.0"),
                cny("4000.00"),
                "lease-1",
                cny("4000.00"),
                cny("4000.00"),
                cny("0.00"),
                clawbackDue == null ? null : cny(clawbackDue));
    }

    private static HousingGrantTerminated terminated(String clawbackDue) {
        // Effective 2027-01: the months from it on are released.
        List<MonthRelease> rest = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rest.add(new MonthRelease(YearMonth.of(2027, 1).plusMonths(i), cny("4000.00")));
        }
        return new HousingGrantTerminated(
                ZHUHAI_HEADER,
                G1,
                "p-1",
                "moved",
                YearMonth.of(2027, 1),
                6,
                24,
                rest,
                cny("24000.00"),
                cny("8000.00"),
                cny(clawbackDue));
    }
}
