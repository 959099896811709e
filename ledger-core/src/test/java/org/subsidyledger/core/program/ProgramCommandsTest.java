package org.subsidyledger.core.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.subsidyledger.core.support.RejectionMatchers.rejectedWith;
import static org.subsidyledger.core.support.TestData.*;

import java.time.Instant;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.CloseProgram;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.program.ProgramCommands.RescindFunds;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.FundsRescinded;
import org.subsidyledger.core.program.ProgramEvent.ProgramClosed;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.program.approval.ApprovalPolicy;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.support.TestData;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherEvent.ComputeRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;
import org.subsidyledger.core.voucher.VoucherSettings;

/** LaunchProgram, AppropriateFunds, RescindFunds and CloseProgram on the program aggregate (SPEC §2–§4, §11). */
class ProgramCommandsTest {
    /** 2027-02-28T16:00Z = MARCH_2026 + 365 × 24 h. */
    private static final Instant EXPIRES = Instant.parse("2027-02-28T16:00:00Z");

    private static final ProgramId CA = ProgramId.of("ca-compute-2027");

    private AggregateTestFixture<Program> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Program.class);
        fixture.registerInjectableResource(ApprovalPolicy.standard());
        fixture.registerInjectableResource(TestData.registries());
    }

    @Nested
    @DisplayName("LaunchProgram")
    class Launching {

        @Test
        void launchesComputeVoucherProgramWithItsRules() {
            fixture.givenCurrentTime(MARCH_2026)
                    .when(new LaunchProgram(
                            HANGZHOU,
                            "Hangzhou compute vouchers",
                            ProgramKind.COMPUTE_VOUCHER,
                            "CN-ZJ",
                            "Hangzhou",
                            CurrencyCode.CNY,
                            hangzhouRules()))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ProgramLaunched(
                            HANGZHOU,
                            "Hangzhou compute vouchers",
                            ProgramKind.COMPUTE_VOUCHER,
                            "CN-ZJ",
                            "Hangzhou",
                            CurrencyCode.CNY,
                            hangzhouRules()))
                    .expectState(program -> assertThat(program.available()).isEqualTo(cny("0.00")));
        }

        @Test
        void launchesHousingProgramWithoutCity() {
            fixture.givenCurrentTime(MARCH_2026)
                    .when(new LaunchProgram(
                            ZHUHAI,
                            "Zhuhai talent housing",
                            ProgramKind.HOUSING_SUBSIDY,
                            "CN-GD",
                            null,
                            CurrencyCode.CNY,
                            zhuhaiRules(36)))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new ProgramLaunched(
                            ZHUHAI,
                            "Zhuhai talent housing",
                            ProgramKind.HOUSING_SUBSIDY,
                            "CN-GD",
                            null,
                            CurrencyCode.CNY,
                            zhuhaiRules(36)));
        }

        @Test
        void rejectsLaunchOfExistingProgram() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched())
                    .when(new LaunchProgram(
                            HANGZHOU,
                            "Hangzhou compute vouchers again",
                            ProgramKind.COMPUTE_VOUCHER,
                            "CN-ZJ",
                            "Hangzhou",
                            CurrencyCode.CNY,
                            hangzhouRules()))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.ALREADY_EXISTS));
        }

        @Test
        void rejectsLaunchWhenVoucherRulesAreInAnotherCurrency() {
            VoucherSettings usdRules = new VoucherSettings(
                    Ratio.of("0.30"),
                    usd("8000000.00"),
                    usd("8000000.00"),
                    365,
                    List.of("software"),
                    Payee.BENEFICIARY);
            fixture.givenCurrentTime(MARCH_2026)
                    .when(new LaunchProgram(
                            HANGZHOU,
                            "Hangzhou compute vouchers",
                            ProgramKind.COMPUTE_VOUCHER,
                            "CN-ZJ",
                            "Hangzhou",
                            CurrencyCode.CNY,
                            usdRules))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.CURRENCY_MISMATCH));
        }

        @Test
        void rejectsLaunchWhenOnlyOneRuleAmountIsInAnotherCurrency() {
            VoucherSettings mixed = new VoucherSettings(
                    Ratio.of("0.30"),
                    cny("8000000.00"),
                    usd("8000000.00"),
                    365,
                    List.of("software"),
                    Payee.BENEFICIARY);
            fixture.givenCurrentTime(MARCH_2026)
                    .when(new LaunchProgram(
                            HANGZHOU,
                            "Hangzhou compute vouchers",
                            ProgramKind.COMPUTE_VOUCHER,
                            "CN-ZJ",
                            "Hangzhou",
                            CurrencyCode.CNY,
                            mixed))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.CURRENCY_MISMATCH));
        }

        @Test
        void rejectsLaunchWhenHousingRentCapIsInAnotherCurrency() {
            HousingSettings usdRentCap = new HousingSettings(
                    List.of(Ratio.of("1.0"), Ratio.of("0.7")), usd("5000.00"), cny("120000.00"), 3, null);
            fixture.givenCurrentTime(MARCH_2026)
                    .when(new LaunchProgram(
                            ZHUHAI,
                            "Zhuhai talent housing",
                            ProgramKind.HOUSING_SUBSIDY,
                            "CN-GD",
                            "Zhuhai",
                            CurrencyCode.CNY,
                            usdRentCap))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.CURRENCY_MISMATCH));
        }

        @Test
        void rejectsHousingRulesForVoucherProgramAsValidationFailure() {
            assertThatThrownBy(() -> new LaunchProgram(
                            HANGZHOU,
                            "Hangzhou compute vouchers",
                            ProgramKind.COMPUTE_VOUCHER,
                            "CN-ZJ",
                            "Hangzhou",
                            CurrencyCode.CNY,
                            zhuhaiRules(null)))
                    .isInstanceOfSatisfying(
                            LedgerRejection.class,
                            e -> assertThat(e.code()).isEqualTo(RejectionCode.VALIDATION_FAILED));
        }

        @Test
        void rejectsVoucherRulesForHousingProgramAsValidationFailure() {
            assertThatThrownBy(() -> new LaunchProgram(
                            ZHUHAI,
                            "Zhuhai talent housing",
                            ProgramKind.HOUSING_SUBSIDY,
                            "CN-GD",
                            "Zhuhai",
                            CurrencyCode.CNY,
                            hangzhouRules()))
                    .isInstanceOfSatisfying(
                            LedgerRejection.class,
                            e -> assertThat(e.code()).isEqualTo(RejectionCode.VALIDATION_FAILED));
        }

        @Test
        void rejectsUnknownProvinceCodesAsValidationFailure() {
            for (String province : new String[] {"CN-XX", "cn-zj", "ZJ", "US-ZZ", ""}) {
                assertThatThrownBy(() -> new LaunchProgram(
                                HANGZHOU,
                                "Hangzhou compute vouchers",
                                ProgramKind.COMPUTE_VOUCHER,
                                province,
                                "Hangzhou",
                                CurrencyCode.CNY,
                                hangzhouRules()))
                        .as("province '%s'", province)
                        .isInstanceOfSatisfying(
                                LedgerRejection.class,
                                e -> assertThat(e.code()).isEqualTo(RejectionCode.VALIDATION_FAILED));
            }
        }
    }

    @Nested
    @DisplayName("AppropriateFunds")
    class Appropriating {

        @Test
        void appropriatesFundsInTheFiscalYearOfTheAppropriation() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched())
                    .when(new AppropriateFunds(HANGZHOU, cny("250000000.00"), "ZJ-2026-budget-line-7"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(
                            new FundsAppropriated(HANGZHOU_HEADER, cny("250000000.00"), "ZJ-2026-budget-line-7", 2026))
                    .expectState(program ->
                            assertThat(program.figures().appropriated()).isEqualTo(cny("250000000.00")));
        }

        @Test
        void appropriationAtShanghaiNewYearBelongsToTheNewFiscalYear() {
            // 2026-12-31T16:00Z is 2027-01-01 00:00 in Asia/Shanghai.
            fixture.givenCurrentTime(Instant.parse("2026-12-31T16:00:00Z"))
                    .andGiven(hangzhouLaunched())
                    .when(new AppropriateFunds(HANGZHOU, cny("1000.00"), "ZJ-2027-line-1"))
                    .expectEvents(new FundsAppropriated(HANGZHOU_HEADER, cny("1000.00"), "ZJ-2027-line-1", 2027));
            // One second earlier it is still 2026-12-31 23:59:59 in Shanghai.
            fixture.givenCurrentTime(Instant.parse("2026-12-31T15:59:59Z"))
                    .andGiven(hangzhouLaunched())
                    .when(new AppropriateFunds(HANGZHOU, cny("1000.00"), "ZJ-2026-line-9"))
                    .expectEvents(new FundsAppropriated(HANGZHOU_HEADER, cny("1000.00"), "ZJ-2026-line-9", 2026));
        }

        @Test
        void californianAppropriationFollowsJulyToJuneFiscalYear() {
            ProgramLaunched ca = californiaLaunched();
            // 2026-07-01T07:00Z is 2026-07-01 00:00 PDT: first instant of FY2027.
            fixture.givenCurrentTime(Instant.parse("2026-07-01T07:00:00Z"))
                    .andGiven(ca)
                    .when(new AppropriateFunds(CA, usd("2000000.00"), "CA-FY27"))
                    .expectEvents(new FundsAppropriated(
                            CA,
                            "US-CA",
                            "San Jose",
                            ProgramKind.COMPUTE_VOUCHER,
                            CurrencyCode.USD,
                            usd("2000000.00"),
                            "CA-FY27",
                            2027));
            // 2026-07-01T06:59:59Z is 2026-06-30 23:59:59 PDT: still FY2026.
            fixture.givenCurrentTime(Instant.parse("2026-07-01T06:59:59Z"))
                    .andGiven(ca)
                    .when(new AppropriateFunds(CA, usd("2000000.00"), "CA-FY26"))
                    .expectEvents(new FundsAppropriated(
                            CA,
                            "US-CA",
                            "San Jose",
                            ProgramKind.COMPUTE_VOUCHER,
                            CurrencyCode.USD,
                            usd("2000000.00"),
                            "CA-FY26",
                            2026));
        }

        @Test
        void rejectsAppropriationToClosedProgram() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), appropriated(hangzhouLaunched(), "1000000.00"), closed())
                    .when(new AppropriateFunds(HANGZHOU, cny("500000.00"), "late-line"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROGRAM_CLOSED));
        }

        @Test
        void rejectsAppropriationInAnotherCurrency() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched())
                    .when(new AppropriateFunds(HANGZHOU, usd("500000.00"), "usd-line"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.CURRENCY_MISMATCH));
        }
    }

    @Nested
    @DisplayName("RescindFunds")
    class Rescinding {

        @Test
        void rescindsExactlyWhatIsNeitherCommittedNorDisbursed() {
            // appropriated 1,000,000.00; committed 600,000.00 − 30,000.00 = 570,000.00; disbursed 30,000.00
            // available = 1,000,000.00 − 570,000.00 − 30,000.00 = 400,000.00
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            appropriated(hangzhouLaunched(), "1000000.00"),
                            issued("600000.00"),
                            redeemed("100000.00", "30000.00", "570000.00"))
                    .when(new RescindFunds(HANGZHOU, cny("400000.00"), "budget cut"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new FundsRescinded(HANGZHOU_HEADER, cny("400000.00"), "budget cut", 2026))
                    .expectState(program -> {
                        assertThat(program.figures().appropriated()).isEqualTo(cny("600000.00"));
                        assertThat(program.available()).isEqualTo(cny("0.00"));
                    });
        }

        @Test
        void rejectsRescissionOneCentAboveAvailable() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            appropriated(hangzhouLaunched(), "1000000.00"),
                            issued("600000.00"),
                            redeemed("100000.00", "30000.00", "570000.00"))
                    .when(new RescindFunds(HANGZHOU, cny("400000.01"), "budget cut"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BUDGET_COMMITTED));
        }

        @Test
        void rescissionMayTakeBackValueReleasedByRevocation() {
            // After revocation committed is 0.00; available = 1,000,000.00 − 0.00 − 30,000.00 = 970,000.00
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(
                            hangzhouLaunched(),
                            appropriated(hangzhouLaunched(), "1000000.00"),
                            issued("600000.00"),
                            redeemed("100000.00", "30000.00", "570000.00"),
                            new VoucherRevoked(
                                    HANGZHOU_HEADER, V1, cny("600000.00"), cny("30000.00"), cny("570000.00"), "fraud"))
                    .when(new RescindFunds(HANGZHOU, cny("970000.00"), "program wound down"))
                    .expectEvents(new FundsRescinded(HANGZHOU_HEADER, cny("970000.00"), "program wound down", 2026))
                    .expectState(program -> assertThat(program.available()).isEqualTo(cny("0.00")));
        }

        @Test
        void rescissionStillWorksOnClosedProgram() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), appropriated(hangzhouLaunched(), "1000000.00"), closed())
                    .when(new RescindFunds(HANGZHOU, cny("1000000.00"), "unused after closure"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new FundsRescinded(HANGZHOU_HEADER, cny("1000000.00"), "unused after closure", 2026));
        }

        @Test
        void rejectsRescissionInAnotherCurrency() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), appropriated(hangzhouLaunched(), "1000000.00"))
                    .when(new RescindFunds(HANGZHOU, usd("100.00"), "wrong currency"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.CURRENCY_MISMATCH));
        }
    }

    @Nested
    @DisplayName("CloseProgram")
    class Closing {

        @Test
        void closesProgram() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), appropriated(hangzhouLaunched(), "1000000.00"))
                    .when(new CloseProgram(HANGZHOU, "policy ended"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(closed());
        }

        @Test
        void rejectsClosingTwice() {
            fixture.givenCurrentTime(MARCH_2026)
                    .andGiven(hangzhouLaunched(), closed())
                    .when(new CloseProgram(HANGZHOU, "policy ended"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROGRAM_CLOSED));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static ProgramClosed closed() {
        return new ProgramClosed(HANGZHOU_HEADER, "policy ended");
    }

    private static ProgramLaunched californiaLaunched() {
        return new ProgramLaunched(
                CA,
                "California compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "US-CA",
                "San Jose",
                CurrencyCode.USD,
                new VoucherSettings(
                        Ratio.of("0.25"),
                        usd("500000.00"),
                        usd("500000.00"),
                        180,
                        List.of("software", "research"),
                        Payee.PROVIDER));
    }

    private static VoucherIssued issued(String face) {
        return new VoucherIssued(
                HANGZHOU_HEADER,
                V1,
                firm(FIRM_A, "software", null),
                null,
                cny(face),
                Ratio.of("0.30"),
                Payee.BENEFICIARY,
                2026,
                EXPIRES);
    }

    private static ComputeRedeemed redeemed(String invoice, String subsidy, String remaining) {
        return new ComputeRedeemed(
                HANGZHOU_HEADER,
                V1,
                R1,
                FIRM_A,
                null,
                "c-1",
                "inv-1",
                ALIYUN,
                "grp-cloud",
                cny(invoice),
                null,
                Ratio.of("0.30"),
                cny(subsidy),
                cny(remaining),
                Payee.BENEFICIARY);
    }
}
