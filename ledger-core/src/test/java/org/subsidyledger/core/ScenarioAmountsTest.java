package org.subsidyledger.core;

import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.axonframework.test.matchers.Matchers.predicate;
import static org.subsidyledger.core.support.RejectionMatchers.rejectedWith;
import static org.subsidyledger.core.support.TestData.ALIYUN;
import static org.subsidyledger.core.support.TestData.FIRM_A;
import static org.subsidyledger.core.support.TestData.HANGZHOU_HEADER;
import static org.subsidyledger.core.support.TestData.R1;
import static org.subsidyledger.core.support.TestData.V1;
import static org.subsidyledger.core.support.TestData.V2;
import static org.subsidyledger.core.support.TestData.beijingComputeRules;
import static org.subsidyledger.core.support.TestData.cny;
import static org.subsidyledger.core.support.TestData.firm;
import static org.subsidyledger.core.support.TestData.hangzhouRules;
import static org.subsidyledger.core.support.TestData.talent;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.assertj.core.api.Assertions;
import org.axonframework.messaging.Message;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.TestExecutor;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.housing.HousingCommands.ClaimHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.housing.ScheduledMonth;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.program.approval.ApprovalPolicy;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.support.TestData;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.core.voucher.VoucherEvent.ComputeRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;

/**
 * The real programs of shared/scenarios/programs.json, launched by command, with expected amounts computed by hand
 * (the arithmetic is in each test's comment). All three are CN programs: months, days and fiscal years are local to
 * Asia/Shanghai.
 */
class ScenarioAmountsTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ProgramId ZHUHAI = ProgramId.of("gd-zhuhai-housing-2025");
    private static final ProgramHeader ZHUHAI_PROGRAM = new ProgramHeader(
            ZHUHAI, Jurisdiction.parse("CN-GD"), "Zhuhai", ProgramKind.HOUSING_SUBSIDY, CurrencyCode.CNY);
    private static final ProgramId HANGZHOU = ProgramId.of("zj-hangzhou-compute-2026");
    private static final ProgramId BEIJING = ProgramId.of("bj-compute-2025");
    private static final GrantId GRANT = GrantId.of("zh-grant-1");
    private static final Ratio Y1 = Ratio.of("1.0");
    private static final Ratio Y2 = Ratio.of("0.7");
    private static final Ratio Y3 = Ratio.of("0.5");

    private AggregateTestFixture<Program> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Program.class);
        fixture.registerInjectableResource(ApprovalPolicy.standard());
        fixture.registerInjectableResource(TestData.registries());
    }

    private static Instant shanghai(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }

    private static Matcher<List<Message<?>>> onlyEvent(Predicate<Object> condition) {
        return payloadsMatching(exactSequenceOf(predicate(condition), andNoMore()));
    }

    private static List<ScheduledMonth> run(String first, int count, int grantYear, Ratio rate, String amount) {
        List<ScheduledMonth> months = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            months.add(new ScheduledMonth(YearMonth.parse(first).plusMonths(i), grantYear, rate, cny(amount)));
        }
        return months;
    }

    @SafeVarargs
    private static List<ScheduledMonth> concat(List<ScheduledMonth>... parts) {
        List<ScheduledMonth> all = new ArrayList<>();
        for (List<ScheduledMonth> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    private static Money sum(List<ScheduledMonth> months) {
        return months.stream().map(ScheduledMonth::committed).reduce(cny("0.00"), Money::plus);
    }

    @Nested
    @DisplayName("Zhuhai talent housing")
    class ZhuhaiHousing {

        /** programs.json "gd-zhuhai-housing-2025": schedule [1.0, 0.7, 0.5], rent cap 5,000, 120,000 per recipient. */
        private TestExecutor<Program> zhuhaiLaunchedAndFunded() {
            HousingSettings rules =
                    new HousingSettings(List.of(Y1, Y2, Y3), cny("5000.00"), cny("120000.00"), null, null);
            return fixture.givenCurrentTime(shanghai("2026-06-01T09:00:00"))
                    .andGivenCommands(
                            new LaunchProgram(
                                    ZHUHAI,
                                    "Zhuhai graduate housing",
                                    ProgramKind.HOUSING_SUBSIDY,
                                    "CN-GD",
                                    "Zhuhai",
                                    CurrencyCode.CNY,
                                    rules),
                            new AppropriateFunds(
                                    ZHUHAI,
                                    cny("1200000000.00"),
                                    "ZH-2025-housing (inferred: 10,000 grants x RMB 120k)"));
        }

        private static HousingSubsidyGranted zhuhaiGrant(String rent, List<ScheduledMonth> schedule, String total) {
            return new HousingSubsidyGranted(
                    ZHUHAI_PROGRAM,
                    GRANT,
                    talent("zh-talent-1"),
                    YearMonth.of(2026, 7),
                    cny(rent),
                    3,
                    null,
                    schedule,
                    cny(total));
        }

        @Test
        void zhuhaiRentOf4000CommitsThreeYearsOf48000And33600And24000Totalling105600UnderTheCap() {
            // Rent 4,000 < cap 5,000.
            // Year 1 (2026-07 … 2027-06): 12 × 4,000 × 1.0 = 12 × 4,000 = 48,000
            // Year 2 (2027-07 … 2028-06): 12 × 4,000 × 0.7 = 12 × 2,800 = 33,600
            // Year 3 (2028-07 … 2029-06): 12 × 4,000 × 0.5 = 12 × 2,000 = 24,000
            // Total 48,000 + 33,600 + 24,000 = 105,600 ≤ 120,000: no month is cut.
            List<ScheduledMonth> year1 = run("2026-07", 12, 1, Y1, "4000.00");
            List<ScheduledMonth> year2 = run("2027-07", 12, 2, Y2, "2800.00");
            List<ScheduledMonth> year3 = run("2028-07", 12, 3, Y3, "2000.00");
            Assertions.assertThat(List.of(sum(year1), sum(year2), sum(year3)))
                    .containsExactly(cny("48000.00"), cny("33600.00"), cny("24000.00"));
            zhuhaiLaunchedAndFunded()
                    .when(new GrantHousingSubsidy(
                            ZHUHAI, GRANT, talent("zh-talent-1"), YearMonth.of(2026, 7), cny("4000.00")))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(zhuhaiGrant("4000.00", concat(year1, year2, year3), "105600.00"));
        }

        @Test
        void zhuhaiRentOf6000IsCappedAt5000AndTheScheduleStopsAtExactly120000() {
            // Rent 6,000 is counted at the cap, 5,000.
            // Year 1: 12 × 5,000 × 1.0 = 12 × 5,000 = 60,000            (cumulative  60,000)
            // Year 2: 12 × 5,000 × 0.7 = 12 × 3,500 = 42,000            (cumulative 102,000)
            // Year 3: 5,000 × 0.5 = 2,500 a month, but only 120,000 − 102,000 = 18,000 of headroom is left:
            //         7 months × 2,500 = 17,500 (2028-07 … 2029-01), then one month of 18,000 − 17,500 = 500 (2029-02).
            // Total 60,000 + 42,000 + 17,500 + 500 = 120,000 exactly; 2029-03 … 2029-06 commit nothing.
            List<ScheduledMonth> schedule = concat(
                    run("2026-07", 12, 1, Y1, "5000.00"),
                    run("2027-07", 12, 2, Y2, "3500.00"),
                    run("2028-07", 7, 3, Y3, "2500.00"),
                    run("2029-02", 1, 3, Y3, "500.00"));
            Assertions.assertThat(sum(schedule)).isEqualTo(cny("120000.00"));
            zhuhaiLaunchedAndFunded()
                    .when(new GrantHousingSubsidy(
                            ZHUHAI, GRANT, talent("zh-talent-1"), YearMonth.of(2026, 7), cny("6000.00")))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(zhuhaiGrant("6000.00", schedule, "120000.00"));
        }

        @Test
        void zhuhaiGrantYear2ClaimWithRentPaidBelowTheRentPays2100AndReleasesTheShortfallOf700() {
            // 2027-09 is in grant year 2 (months 12 … 23 from 2026-07), rate 0.7; the month committed 4,000 × 0.7 =
            // 2,800.
            // amount = min(rentPaid 3,000, rent 4,000, cap 5,000) × 0.7 = 3,000 × 0.7 = 2,100; released 2,800 − 2,100 =
            // 700.
            zhuhaiLaunchedAndFunded()
                    .andGivenCommands(new GrantHousingSubsidy(
                            ZHUHAI, GRANT, talent("zh-talent-1"), YearMonth.of(2026, 7), cny("4000.00")))
                    .andGivenCurrentTime(shanghai("2027-09-10T09:00:00"))
                    .when(new ClaimHousingSubsidy(
                            ZHUHAI, GRANT, YearMonth.of(2027, 9), cny("3000.00"), "lease-2027-09"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new HousingSubsidyPaid(
                            ZHUHAI_PROGRAM,
                            GRANT,
                            "zh-talent-1",
                            YearMonth.of(2027, 9),
                            2,
                            Y2,
                            cny("3000.00"),
                            "lease-2027-09",
                            cny("2800.00"),
                            cny("2100.00"),
                            cny("700.00")));
        }
    }

    @Nested
    @DisplayName("Hangzhou compute vouchers")
    class HangzhouCompute {

        private static final Instant HZ_NOW = shanghai("2026-03-02T10:00:00");

        /** programs.json "zj-hangzhou-compute-2026": 30 %, at most 8M per voucher and per firm a year; 250M. */
        private TestExecutor<Program> hangzhouLaunchedAndFunded() {
            return fixture.givenCurrentTime(HZ_NOW)
                    .andGivenCommands(
                            new LaunchProgram(
                                    HANGZHOU,
                                    "Hangzhou compute vouchers",
                                    ProgramKind.COMPUTE_VOUCHER,
                                    "CN-ZJ",
                                    "Hangzhou",
                                    CurrencyCode.CNY,
                                    hangzhouRules()),
                            new AppropriateFunds(HANGZHOU, cny("250000000.00"), "HZ-2026-compute-pool"));
        }

        private static VoucherIssued hangzhouVoucher(VoucherId voucherId, String face) {
            return new VoucherIssued(
                    HANGZHOU_HEADER,
                    voucherId,
                    firm(FIRM_A, "software", null),
                    null,
                    cny(face),
                    Ratio.of("0.30"),
                    Payee.BENEFICIARY,
                    2026,
                    HZ_NOW.plus(Duration.ofDays(365)));
        }

        @Test
        void hangzhouVoucherOf8MillionIsAcceptedAtTheCap() {
            // 8,000,000 ≤ maxVoucherValue 8,000,000 and ≤ capPerBeneficiaryPerYear 8,000,000 (nothing issued yet in
            // FY2026).
            hangzhouLaunchedAndFunded()
                    .when(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), cny("8000000.00")))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(hangzhouVoucher(V1, "8000000.00"));
        }

        @Test
        void hangzhouSecondVoucherToTheSameFirmInTheSameFiscalYearIsBeneficiaryCapExceeded() {
            // 8,000,000 already issued in FY2026; 8,000,000 + 1,000,000 > 8,000,000.
            hangzhouLaunchedAndFunded()
                    .andGivenCommands(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), cny("8000000.00")))
                    .when(new IssueVoucher(HANGZHOU, V2, firm(FIRM_A, "software", null), cny("1000000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BENEFICIARY_CAP_EXCEEDED));
        }

        @Test
        void hangzhouInvoiceOf10MillionOnAn8MillionVoucherPays3Million() {
            // subsidy = min(round_half_up(10,000,000 × 0.30, 2), remaining 8,000,000) = min(3,000,000, 8,000,000)
            //         = 3,000,000; remaining 8,000,000 − 3,000,000 = 5,000,000.
            hangzhouLaunchedAndFunded()
                    .andGivenCommands(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), cny("8000000.00")))
                    .when(new RedeemCompute(
                            HANGZHOU, V1, R1, "hz-contract-1", "hz-invoice-1", ALIYUN, cny("10000000.00"), null))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ComputeRedeemed(
                            HANGZHOU_HEADER,
                            V1,
                            R1,
                            FIRM_A,
                            null,
                            "hz-contract-1",
                            "hz-invoice-1",
                            ALIYUN,
                            "grp-cloud",
                            cny("10000000.00"),
                            null,
                            Ratio.of("0.30"),
                            cny("3000000.00"),
                            cny("5000000.00"),
                            Payee.BENEFICIARY));
        }
    }

    @Nested
    @DisplayName("Beijing model vouchers")
    class BeijingModel {

        private static final VoucherId V3 = VoucherId.of("v-3");
        private static final Instant BJ_NOW = shanghai("2026-05-10T10:00:00");

        private static IssueVoucher beijingVoucher(VoucherId voucherId, String face) {
            return new IssueVoucher(BEIJING, voucherId, firm(FIRM_A, "software", null), cny(face));
        }

        /** A CN-BJ compute-voucher program on TestData.beijingComputeRules (20 %, 2M per firm a year), 100M. */
        private TestExecutor<Program> beijingLaunchedAndFunded() {
            return fixture.givenCurrentTime(BJ_NOW)
                    .andGivenCommands(
                            new LaunchProgram(
                                    BEIJING,
                                    "Beijing compute vouchers",
                                    ProgramKind.COMPUTE_VOUCHER,
                                    "CN-BJ",
                                    null,
                                    CurrencyCode.CNY,
                                    beijingComputeRules()),
                            new AppropriateFunds(BEIJING, cny("100000000.00"), "BJ-2025-compute (inferred size)"));
        }

        @Test
        void beijingLaunchCommandAppendsProgramLaunchedWithTheRules() {
            fixture.givenNoPriorActivity()
                    .when(new LaunchProgram(
                            BEIJING,
                            "Beijing compute vouchers",
                            ProgramKind.COMPUTE_VOUCHER,
                            "CN-BJ",
                            null,
                            CurrencyCode.CNY,
                            beijingComputeRules()))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ProgramLaunched(
                            BEIJING,
                            "Beijing compute vouchers",
                            ProgramKind.COMPUTE_VOUCHER,
                            "CN-BJ",
                            null,
                            CurrencyCode.CNY,
                            beijingComputeRules()));
        }

        @Test
        void beijingTwoVouchersOf1MillionToTheSameFirmAreBothAccepted() {
            // 1,000,000 + 1,000,000 = 2,000,000 = capPerBeneficiaryPerYear: the second still fits.
            beijingLaunchedAndFunded()
                    .andGivenCommands(beijingVoucher(V1, "1000000.00"))
                    .when(beijingVoucher(V2, "1000000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new VoucherIssued(
                            BEIJING,
                            "CN-BJ",
                            null,
                            ProgramKind.COMPUTE_VOUCHER,
                            CurrencyCode.CNY,
                            V2,
                            firm(FIRM_A, "software", null),
                            null,
                            cny("1000000.00"),
                            Ratio.of("0.20"),
                            Payee.BENEFICIARY,
                            2026,
                            BJ_NOW.plus(Duration.ofDays(365))));
        }

        @Test
        void beijingThirdVoucherOfOneYuanToTheSameFirmIsBeneficiaryCapExceeded() {
            // 2,000,000 + 1.00 > 2,000,000.
            beijingLaunchedAndFunded()
                    .andGivenCommands(beijingVoucher(V1, "1000000.00"), beijingVoucher(V2, "1000000.00"))
                    .when(beijingVoucher(V3, "1.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BENEFICIARY_CAP_EXCEEDED));
        }

        @Test
        void beijingCapStillBindsAtTheLastSecondOfTheFiscalYearInShanghai() {
            // 2026-12-31T23:59:59 in Shanghai (15:59:59Z) is still FY2026.
            beijingLaunchedAndFunded()
                    .andGivenCommands(beijingVoucher(V1, "1000000.00"), beijingVoucher(V2, "1000000.00"))
                    .andGivenCurrentTime(shanghai("2026-12-31T23:59:59"))
                    .when(beijingVoucher(V3, "1.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BENEFICIARY_CAP_EXCEEDED));
        }

        @Test
        void beijingNextFiscalYearStartsAtMidnightInShanghaiAndAcceptsTheFirmAgain() {
            // 2027-01-01T00:00 in Shanghai = 2026-12-31T16:00Z (still Dec 31 in UTC) is FY2027: 1.00 ≤ 2,000,000.
            Instant newYear = shanghai("2027-01-01T00:00:00");
            Assertions.assertThat(newYear).isEqualTo(Instant.parse("2026-12-31T16:00:00Z"));
            beijingLaunchedAndFunded()
                    .andGivenCommands(beijingVoucher(V1, "1000000.00"), beijingVoucher(V2, "1000000.00"))
                    .andGivenCurrentTime(newYear)
                    .when(beijingVoucher(V3, "1.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEventsMatching(onlyEvent(e -> e instanceof VoucherIssued v
                            && v.voucherId().equals(V3)
                            && v.fiscalYear() == 2027
                            && v.faceValue().equals(cny("1.00"))));
        }

        @Test
        void beijingInvoiceOf1234567_89PaysTwentyPercentRoundedHalfUpTo246913_58() {
            // 1,234,567.89 × 0.20 = 246,913.578 → half-up to the cent = 246,913.58;
            // remaining 1,000,000.00 − 246,913.58 = 753,086.42.
            beijingLaunchedAndFunded()
                    .andGivenCommands(beijingVoucher(V1, "1000000.00"))
                    .when(new RedeemCompute(
                            BEIJING,
                            V1,
                            R1,
                            "bj-contract-1",
                            "bj-invoice-1",
                            ALIYUN,
                            cny("1234567.89"),
                            new BigDecimal("1200.5")))
                    .expectSuccessfulHandlerExecution()
                    .expectEventsMatching(onlyEvent(e -> e instanceof ComputeRedeemed r
                            && r.invoiceAmount().equals(cny("1234567.89"))
                            && r.subsidy().equals(cny("246913.58"))
                            && r.remaining().equals(cny("753086.42"))));
        }
    }
}
