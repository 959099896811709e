package org.subsidyledger.projections.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.housing.MonthRelease;
import org.subsidyledger.core.housing.Recipient;
import org.subsidyledger.core.housing.RecipientCategory;
import org.subsidyledger.core.housing.ScheduledMonth;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProgramSettings;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;
import org.subsidyledger.core.voucher.VoucherSettings;

/** The fold behind "as of" answers, fed events directly: figures from ProgramBudget, liabilities by fiscal year. */
class BudgetFoldTest {
    private static final ProgramId ZHUHAI = ProgramId.of("gd-zhuhai-housing");
    private static final ProgramHeader ZHUHAI_PROGRAM = new ProgramHeader(
            ZHUHAI, Jurisdiction.parse("CN-GD"), "Zhuhai", ProgramKind.HOUSING_SUBSIDY, CurrencyCode.CNY);
    private static final ProgramId SAN_DIEGO = ProgramId.of("ca-sd-compute");
    private static final HousingSettings ZHUHAI_RULES = new HousingSettings(
            List.of(Ratio.of("1.0"), Ratio.of("0.7"), Ratio.of("0.5")), cny("5000.00"), cny("120000.00"), 3, null);

    /** [1.0, 0.7, 0.5] × 4,000 from July 2026: three grant years over four Chinese (calendar) fiscal years. */
    @Test
    void housingMonthsFallDueInTheFiscalYearOfTheMonth() {
        BudgetFold fold = new BudgetFold("CN-GD");
        fold.apply(launch(ZHUHAI, ProgramKind.HOUSING_SUBSIDY, "CN-GD", "Zhuhai", CurrencyCode.CNY, ZHUHAI_RULES));
        fold.apply(new FundsAppropriated(ZHUHAI_PROGRAM, cny("1000000.00"), "ZH", 2026));
        List<ScheduledMonth> schedule = ZHUHAI_RULES.plan(YearMonth.of(2026, 7), cny("4000.00"), cny("120000.00"));
        GrantId grant = GrantId.of("g-1");
        fold.apply(granted(grant, schedule));

        assertThat(years(fold)).containsExactly("2026=24000.00", "2027=40800.00", "2028=28800.00", "2029=12000.00");
        BudgetFigures figures = fold.programs().get(0).figures();
        assertThat(figures.committed()).isEqualTo(cny("105600.00"));
        assertThat(figures.available()).isEqualTo(cny("894400.00"));

        // July paid at 3,500 (500 released); the grant ends from 2028-01: 16,800 + 24,000 released.
        fold.apply(new HousingSubsidyPaid(
                ZHUHAI_PROGRAM,
                grant,
                "p-1",
                YearMonth.of(2026, 7),
                1,
                Ratio.of("1.0"),
                cny("3500.00"),
                "lease",
                cny("4000.00"),
                cny("3500.00"),
                cny("500.00")));
        List<MonthRelease> released = schedule.stream()
                .filter(m -> !m.month().isBefore(YearMonth.of(2028, 1)))
                .map(m -> new MonthRelease(m.month(), m.committed()))
                .toList();
        fold.apply(new HousingGrantTerminated(
                ZHUHAI_PROGRAM,
                grant,
                "p-1",
                "left",
                YearMonth.of(2028, 1),
                18,
                null,
                released,
                cny("40800.00"),
                cny("3500.00"),
                cny("0.00")));
        assertThat(years(fold)).containsExactly("2026=20000.00", "2027=40800.00");
        figures = fold.programs().get(0).figures();
        assertThat(figures.committed()).isEqualTo(cny("60800.00"));
        assertThat(figures.disbursed()).isEqualTo(cny("3500.00"));
        assertThat(figures.paid()).isEqualTo(cny("3500.00"));
        assertThat(figures.released()).isEqualTo(cny("41300.00"));
    }

    /**
     * California's fiscal year starts in July, in Los Angeles time: a voucher expiring at 23:59 on 30 June falls due
     * in FY2026, one expiring at midnight in FY2027; a revoked voucher owes nothing.
     */
    @Test
    void voucherValueFallsDueInTheFiscalYearItExpiresInTheJurisdictionsZone() {
        BudgetFold fold = new BudgetFold("US-CA");
        fold.apply(launch(
                SAN_DIEGO,
                ProgramKind.COMPUTE_VOUCHER,
                "US-CA",
                "San Diego",
                CurrencyCode.USD,
                new VoucherSettings(
                        Ratio.of("0.2"),
                        usd("100000.00"),
                        usd("100000.00"),
                        365,
                        List.of("software"),
                        Payee.BENEFICIARY)));
        fold.apply(issued("v-june", "1000.00", Instant.parse("2026-07-01T06:59:00Z")));
        fold.apply(issued("v-july", "2000.00", Instant.parse("2026-07-01T07:00:00Z")));
        fold.apply(issued("v-gone", "4000.00", Instant.parse("2026-07-01T07:00:00Z")));
        fold.apply(new VoucherRevoked(
                SAN_DIEGO,
                "US-CA",
                "San Diego",
                ProgramKind.COMPUTE_VOUCHER,
                CurrencyCode.USD,
                VoucherId.of("v-gone"),
                usd("4000.00"),
                usd("0.00"),
                usd("4000.00"),
                "fraud"));
        assertThat(years(fold)).containsExactly("2026=1000.00", "2027=2000.00");
        assertThat(fold.programs().get(0).figures().released()).isEqualTo(usd("4000.00"));

        // Another province's events are not folded.
        fold.apply(launch(ZHUHAI, ProgramKind.HOUSING_SUBSIDY, "CN-GD", "Zhuhai", CurrencyCode.CNY, ZHUHAI_RULES));
        assertThat(fold.programs()).extracting(p -> p.program().programId()).containsExactly(SAN_DIEGO);
    }

    private static List<String> years(BudgetFold fold) {
        return fold.liabilities().stream()
                .map(l -> l.fiscalYear() + "=" + l.amount().amount().toPlainString())
                .toList();
    }

    private static ProgramLaunched launch(
            ProgramId id,
            ProgramKind kind,
            String province,
            String city,
            CurrencyCode currency,
            ProgramSettings rules) {
        return new ProgramLaunched(id, "program " + id, kind, province, city, currency, rules);
    }

    private static HousingSubsidyGranted granted(GrantId grant, List<ScheduledMonth> schedule) {
        Money total = schedule.stream().map(ScheduledMonth::committed).reduce(cny("0.00"), Money::plus);
        return new HousingSubsidyGranted(
                ZHUHAI_PROGRAM,
                grant,
                new Recipient("p-1", RecipientCategory.GRADUATE),
                YearMonth.of(2026, 7),
                cny("4000.00"),
                3,
                null,
                schedule,
                total);
    }

    private static VoucherIssued issued(String voucher, String face, Instant expiresAt) {
        return new VoucherIssued(
                SAN_DIEGO,
                "US-CA",
                "San Diego",
                ProgramKind.COMPUTE_VOUCHER,
                CurrencyCode.USD,
                VoucherId.of(voucher),
                new Beneficiary("US-FIRM-1", "Firm", "software", null),
                null,
                usd(face),
                Ratio.of("0.2"),
                Payee.BENEFICIARY,
                2026,
                expiresAt);
    }

    private static Money cny(String amount) {
        return Money.of(amount, CurrencyCode.CNY);
    }

    private static Money usd(String amount) {
        return Money.of(amount, CurrencyCode.USD);
    }
}
