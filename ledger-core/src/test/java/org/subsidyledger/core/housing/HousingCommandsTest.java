package org.subsidyledger.core.housing;

import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.axonframework.test.matchers.Matchers.predicate;
import static org.subsidyledger.core.support.RejectionMatchers.rejectedWith;
import static org.subsidyledger.core.support.TestData.G1;
import static org.subsidyledger.core.support.TestData.G2;
import static org.subsidyledger.core.support.TestData.HANGZHOU;
import static org.subsidyledger.core.support.TestData.ZHUHAI;
import static org.subsidyledger.core.support.TestData.ZHUHAI_HEADER;
import static org.subsidyledger.core.support.TestData.appropriated;
import static org.subsidyledger.core.support.TestData.cny;
import static org.subsidyledger.core.support.TestData.hangzhouLaunched;
import static org.subsidyledger.core.support.TestData.talent;
import static org.subsidyledger.core.support.TestData.usd;
import static org.subsidyledger.core.support.TestData.zhuhaiLaunched;

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
import org.subsidyledger.core.housing.HousingCommands.LapseHousingMonths;
import org.subsidyledger.core.housing.HousingCommands.TerminateHousingGrant;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingMonthsLapsed;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.program.ProgramEvent.ProgramClosed;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.program.approval.ApprovalPolicy;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.LedgerIndex;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.support.TestData;
import org.subsidyledger.core.support.TestLedgerIndex;

/**
 * Housing grants (SPEC §3, §11 "Housing"), decided by the {@link Program} aggregate: grant, claim, lapse and
 * termination, on the Zhuhai schedule [1.0, 0.7, 0.5] with a monthly rent cap of 5,000 and 120,000 CNY per
 * recipient, claim window 3 months. Months are local to Asia/Shanghai (CN-GD).
 */
class HousingCommandsTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final String PERSON = "p-001";
    private static final Ratio Y1 = Ratio.of("1.0");
    private static final Ratio Y2 = Ratio.of("0.7");
    private static final Ratio Y3 = Ratio.of("0.5");
    /** A day before the first grant starts; grants do not depend on the clock. */
    private static final Instant JUNE_15 = shanghai("2026-06-15T10:00:00");

    private AggregateTestFixture<Program> fixture;
    private TestLedgerIndex index;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Program.class);
        fixture.registerInjectableResource(ApprovalPolicy.standard());
        index = TestData.registries();
        fixture.registerInjectableResource(index);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static Instant shanghai(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }

    static YearMonth ym(String month) {
        return YearMonth.parse(month);
    }

    private static GrantHousingSubsidy grant(GrantId grantId, String person, String startMonth, String rent) {
        return new GrantHousingSubsidy(ZHUHAI, grantId, talent(person), ym(startMonth), cny(rent));
    }

    private static ClaimHousingSubsidy claim(GrantId grantId, String month, String rentPaid) {
        return new ClaimHousingSubsidy(ZHUHAI, grantId, ym(month), cny(rentPaid), "lease-" + month);
    }

    private static TerminateHousingGrant terminate(GrantId grantId, String effectiveMonth) {
        return new TerminateHousingGrant(ZHUHAI, grantId, "left the city", ym(effectiveMonth));
    }

    /** {@code count} consecutive months from {@code first}, each committing {@code amount} at {@code rate}. */
    private static List<ScheduledMonth> run(String first, int count, int grantYear, Ratio rate, String amount) {
        List<ScheduledMonth> months = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            months.add(new ScheduledMonth(ym(first).plusMonths(i), grantYear, rate, cny(amount)));
        }
        return months;
    }

    /** {@code count} consecutive months from {@code first}, each releasing {@code amount}. */
    private static List<MonthRelease> releases(String first, int count, String amount) {
        List<MonthRelease> months = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            months.add(new MonthRelease(ym(first).plusMonths(i), cny(amount)));
        }
        return months;
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... parts) {
        List<T> all = new ArrayList<>();
        for (List<T> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    private static HousingSubsidyGranted granted(
            GrantId grantId,
            String person,
            String startMonth,
            String rent,
            Integer serviceMonths,
            List<ScheduledMonth> schedule,
            String committed) {
        return new HousingSubsidyGranted(
                ZHUHAI_HEADER,
                grantId,
                talent(person),
                ym(startMonth),
                cny(rent),
                3,
                serviceMonths,
                schedule,
                cny(committed));
    }

    private static HousingSubsidyPaid paid(
            GrantId grantId,
            String month,
            int grantYear,
            Ratio rate,
            String rentPaid,
            String committed,
            String amount,
            String released) {
        return new HousingSubsidyPaid(
                ZHUHAI_HEADER,
                grantId,
                PERSON,
                ym(month),
                grantYear,
                rate,
                cny(rentPaid),
                "lease-" + month,
                cny(committed),
                cny(amount),
                cny(released));
    }

    private static HousingSubsidyPaid paidAfterTermination(
            GrantId grantId,
            String month,
            int grantYear,
            Ratio rate,
            String rentPaid,
            String committed,
            String amount,
            String released,
            String clawbackDue) {
        return new HousingSubsidyPaid(
                ZHUHAI_HEADER,
                grantId,
                PERSON,
                ym(month),
                grantYear,
                rate,
                cny(rentPaid),
                "lease-" + month,
                cny(committed),
                cny(amount),
                cny(released),
                cny(clawbackDue));
    }

    private static ClaimHousingSubsidy claimWithLease(GrantId grantId, String month, String rentPaid, String lease) {
        return new ClaimHousingSubsidy(ZHUHAI, grantId, ym(month), cny(rentPaid), lease);
    }

    private static HousingMonthsLapsed lapsed(List<MonthRelease> months, String released) {
        return new HousingMonthsLapsed(ZHUHAI_HEADER, G1, PERSON, months, cny(released));
    }

    /** Zhuhai launched with 1.2 billion CNY appropriated, at {@link #JUNE_15}. */
    private TestExecutor<Program> zhuhai(Integer serviceMonths) {
        ProgramLaunched launched = zhuhaiLaunched(serviceMonths);
        return fixture.givenCurrentTime(JUNE_15).andGiven(launched, appropriated(launched, "1200000000.00"));
    }

    /** Zhuhai with grant G1 to p-001 from 2026-07 at a rent of 4,000 a month. */
    private TestExecutor<Program> zhuhaiWithGrant(Integer serviceMonths) {
        return zhuhai(serviceMonths).andGivenCommands(grant(G1, PERSON, "2026-07", "4000.00"));
    }

    /** Exactly one event, whose payload satisfies {@code condition}. */
    private static Matcher<List<Message<?>>> onlyEvent(Predicate<Object> condition) {
        return payloadsMatching(exactSequenceOf(predicate(condition), andNoMore()));
    }

    /** 12 × 4,000 (rate 1.0) + 12 × 2,800 (0.7) + 12 × 2,000 (0.5) = 48,000 + 33,600 + 24,000 = 105,600. */
    private static List<ScheduledMonth> rent4000Schedule() {
        return concat(
                run("2026-07", 12, 1, Y1, "4000.00"),
                run("2027-07", 12, 2, Y2, "2800.00"),
                run("2028-07", 12, 3, Y3, "2000.00"));
    }

    @Nested
    @DisplayName("GrantHousingSubsidy")
    class Granting {

        @Test
        void grantCommitsTheWholeScheduleMonthByMonthAtRentTimesTheRateOfEachGrantYear() {
            // 4,000 < cap 5,000: year 1 12 × 4,000 × 1.0, year 2 12 × 4,000 × 0.7 = 2,800, year 3 12 × 4,000 × 0.5
            // = 2,000; total 48,000 + 33,600 + 24,000 = 105,600 < 120,000, so no month is cut.
            zhuhai(null)
                    .when(grant(G1, PERSON, "2026-07", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(granted(G1, PERSON, "2026-07", "4000.00", null, rent4000Schedule(), "105600.00"));
        }

        @Test
        void grantCarriesServiceMonthsOfTheRulesIntoTheGrant() {
            zhuhai(24)
                    .when(grant(G1, PERSON, "2026-07", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(granted(G1, PERSON, "2026-07", "4000.00", 24, rent4000Schedule(), "105600.00"));
        }

        @Test
        void grantSameGrantIdTwiceIsAlreadyExists() {
            zhuhaiWithGrant(null)
                    .when(grant(G1, "p-002", "2026-08", "3000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.ALREADY_EXISTS));
        }

        @Test
        void grantClosedProgramMakesNoNewGrants() {
            zhuhai(null)
                    .andGiven(new ProgramClosed(ZHUHAI_HEADER, "programme ended"))
                    .when(grant(G1, PERSON, "2026-07", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.PROGRAM_CLOSED));
        }

        @Test
        void grantVoucherProgramMakesNoHousingGrants() {
            fixture.givenCurrentTime(JUNE_15)
                    .andGiven(hangzhouLaunched(), appropriated(hangzhouLaunched(), "250000000.00"))
                    .when(new GrantHousingSubsidy(HANGZHOU, G1, talent(PERSON), ym("2026-07"), cny("4000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.WRONG_PROGRAM_KIND));
        }

        @Test
        void grantRentInAnotherCurrencyIsCurrencyMismatch() {
            zhuhai(null)
                    .when(new GrantHousingSubsidy(ZHUHAI, G1, talent(PERSON), ym("2026-07"), usd("4000.00")))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.CURRENCY_MISMATCH));
        }

        @Test
        void grantPersonWhoUsedTheWholeCapInEarlierGrantsIsRecipientCapExceeded() {
            // G1 at 6,000 (capped to 5,000): 60,000 + 42,000 + 18,000 of year 3 = 120,000 = capPerRecipient.
            zhuhai(null)
                    .andGivenCommands(grant(G1, PERSON, "2026-07", "6000.00"))
                    .when(grant(G2, PERSON, "2029-07", "3000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.RECIPIENT_CAP_EXCEEDED));
        }

        @Test
        void secondGrantForTheSamePersonOnlyCommitsTheRemainingHeadroom() {
            // G1 used 105,600 of 120,000: headroom 14,400 = 4,000 + 4,000 + 4,000 + 2,400 in year 1 of G2.
            zhuhaiWithGrant(null)
                    .when(grant(G2, PERSON, "2029-07", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(granted(
                            G2,
                            PERSON,
                            "2029-07",
                            "4000.00",
                            null,
                            concat(run("2029-07", 3, 1, Y1, "4000.00"), run("2029-10", 1, 1, Y1, "2400.00")),
                            "14400.00"));
        }

        @Test
        void grantAnotherPersonIsNotLimitedByThisPersonsCap() {
            zhuhai(null)
                    .andGivenCommands(grant(G1, PERSON, "2026-07", "6000.00"))
                    .when(grant(G2, "p-002", "2026-07", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(granted(G2, "p-002", "2026-07", "4000.00", null, rent4000Schedule(), "105600.00"));
        }

        @Test
        void grantCommittingMoreThanAvailableIsBudgetExceeded() {
            ProgramLaunched launched = zhuhaiLaunched(null);
            fixture.givenCurrentTime(JUNE_15)
                    .andGiven(launched, appropriated(launched, "105599.99"))
                    .when(grant(G1, PERSON, "2026-07", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.BUDGET_EXCEEDED));
        }

        @Test
        void grantCommittingExactlyWhatIsAvailableIsAccepted() {
            ProgramLaunched launched = zhuhaiLaunched(null);
            fixture.givenCurrentTime(JUNE_15)
                    .andGiven(launched, appropriated(launched, "105600.00"))
                    .when(grant(G1, PERSON, "2026-07", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(granted(G1, PERSON, "2026-07", "4000.00", null, rent4000Schedule(), "105600.00"));
        }
    }

    @Nested
    @DisplayName("ClaimHousingSubsidy")
    class Claiming {

        @Test
        void claimFirstYearMonthPaysTheFullRentAndReleasesNothing() {
            // min(4,000 paid, 4,000 rent, 5,000 cap) × 1.0 = 4,000 = the month's commitment.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .when(claim(G1, "2026-07", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paid(G1, "2026-07", 1, Y1, "4000.00", "4000.00", "4000.00", "0.00"));
        }

        @Test
        void claimRentPaidBelowTheGrantedRentPaysLessAndReleasesTheShortfallInTheSameEvent() {
            // 2027-08 is grant year 2: min(3,000, 4,000, 5,000) × 0.7 = 2,100; committed 2,800, released 700.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2027-08-15T09:00:00"))
                    .when(claim(G1, "2027-08", "3000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paid(G1, "2027-08", 2, Y2, "3000.00", "2800.00", "2100.00", "700.00"));
        }

        @Test
        void claimRentPaidAboveTheGrantedRentIsCountedAtTheGrantedRent() {
            // 2028-07 is grant year 3: min(4,500, 4,000, 5,000) × 0.5 = 2,000 = commitment.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2028-07-03T09:00:00"))
                    .when(claim(G1, "2028-07", "4500.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paid(G1, "2028-07", 3, Y3, "4500.00", "2000.00", "2000.00", "0.00"));
        }

        @Test
        void claimLastMonthOfGrantYearOneStillPaysAtRateOne() {
            // 2027-06 is month 11 from 2026-07: still grant year 1.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2027-06-30T23:00:00"))
                    .when(claim(G1, "2027-06", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paid(G1, "2027-06", 1, Y1, "4000.00", "4000.00", "4000.00", "0.00"));
        }

        @Test
        void claimRentAboveTheMonthlyRentCapIsCountedAtTheCap() {
            // Granted at 6,000: min(6,000, 6,000, 5,000) × 1.0 = 5,000.
            zhuhai(null)
                    .andGivenCommands(grant(G1, PERSON, "2026-07", "6000.00"))
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .when(claim(G1, "2026-07", "6000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paid(G1, "2026-07", 1, Y1, "6000.00", "5000.00", "5000.00", "0.00"));
        }

        @Test
        void claimNeverPaysMoreThanTheMonthsCommitment() {
            // Granted at 6,000: the cap leaves 2029-02 a commitment of 500; min(6,000, 6,000, 5,000) × 0.5 = 2,500
            // is cut to 500.
            zhuhai(null)
                    .andGivenCommands(grant(G1, PERSON, "2026-07", "6000.00"))
                    .andGivenCurrentTime(shanghai("2029-02-10T10:00:00"))
                    .when(claim(G1, "2029-02", "6000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paid(G1, "2029-02", 3, Y3, "6000.00", "500.00", "500.00", "0.00"));
        }

        @Test
        void claimPartialMonthPaidBelowItsCommitmentReleasesTheDifference() {
            // 2029-02 commits 500; 800 × 0.5 = 400 paid, 100 released.
            zhuhai(null)
                    .andGivenCommands(grant(G1, PERSON, "2026-07", "6000.00"))
                    .andGivenCurrentTime(shanghai("2029-02-10T10:00:00"))
                    .when(claim(G1, "2029-02", "800.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paid(G1, "2029-02", 3, Y3, "800.00", "500.00", "400.00", "100.00"));
        }

        @Test
        void claimCurrentMonthIsClaimableFromItsFirstLocalInstant() {
            // 2026-07-01T00:00 in Shanghai is still 2026-06-30 in UTC.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-01T00:00:00"))
                    .when(claim(G1, "2026-07", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paid(G1, "2026-07", 1, Y1, "4000.00", "4000.00", "4000.00", "0.00"));
        }

        @Test
        void claimMonthNotYetBegunLocallyIsClaimInFuture() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-06-30T23:59:59"))
                    .when(claim(G1, "2026-07", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.CLAIM_IN_FUTURE));
        }

        @Test
        void claimNextMonthIsClaimInFuture() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-31T23:00:00"))
                    .when(claim(G1, "2026-08", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.CLAIM_IN_FUTURE));
        }

        @Test
        void claimMonthBeforeTheStartMonthIsNotCovered() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .when(claim(G1, "2026-06", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.MONTH_NOT_COVERED));
        }

        @Test
        void claimMonthAfterTheScheduleIsNotCovered() {
            // Three grant years from 2026-07 end with 2029-06.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2029-07-10T10:00:00"))
                    .when(claim(G1, "2029-07", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.MONTH_NOT_COVERED));
        }

        @Test
        void claimMonthIsClaimableUntilTheLastInstantOfItsClaimWindow() {
            // 2026-07 ends 2026-08-01; 3 months later is 2026-11-01T00:00 Shanghai.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-10-31T23:59:59"))
                    .when(claim(G1, "2026-07", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paid(G1, "2026-07", 1, Y1, "4000.00", "4000.00", "4000.00", "0.00"));
        }

        @Test
        void claimMonthWhoseClaimWindowHasClosedIsNotCoveredEvenBeforeItsLapseEvent() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-11-01T00:00:00"))
                    .when(claim(G1, "2026-07", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.MONTH_NOT_COVERED));
        }

        @Test
        void claimLapsedMonthIsNotCovered() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-11-01T00:00:00"))
                    .andGivenCommands(new LapseHousingMonths(ZHUHAI, G1))
                    .when(claim(G1, "2026-07", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.MONTH_NOT_COVERED));
        }

        @Test
        void secondClaimForAPaidMonthIsDuplicateClaim() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-07", "4000.00"))
                    .when(claim(G1, "2026-07", "3900.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_CLAIM));
        }

        @Test
        void claimEffectiveMonthOfATerminationIsGrantTerminated() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-09-05T10:00:00"))
                    .andGivenCommands(terminate(G1, "2026-09"))
                    .when(claim(G1, "2026-09", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.GRANT_TERMINATED));
        }

        @Test
        void claimMonthAfterTheEffectiveMonthIsGrantTerminatedNotClaimInFuture() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-09-05T10:00:00"))
                    .andGivenCommands(terminate(G1, "2026-09"))
                    .when(claim(G1, "2026-12", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.GRANT_TERMINATED));
        }

        @Test
        void claimMonthBeforeTheEffectiveMonthStaysClaimableWithinItsWindow() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-09-05T10:00:00"))
                    .andGivenCommands(terminate(G1, "2026-09"))
                    .andGivenCurrentTime(shanghai("2026-11-30T23:59:59"))
                    .when(claim(G1, "2026-08", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    // Terminated without a minimum stay: the clawback due, recomputed with this payment, stays 0.00.
                    .expectEvents(paidAfterTermination(
                            G1, "2026-08", 1, Y1, "4000.00", "4000.00", "4000.00", "0.00", "0.00"));
        }

        @Test
        void claimMonthBeforeTheEffectiveMonthIsNotCoveredOnceItsWindowHasClosed() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-09-05T10:00:00"))
                    .andGivenCommands(terminate(G1, "2026-09"))
                    .andGivenCurrentTime(shanghai("2026-12-01T00:00:00"))
                    .when(claim(G1, "2026-08", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.MONTH_NOT_COVERED));
        }

        @Test
        void claimCoveredMonthThatTheCapLeftUncommittedIsRecipientCapExceeded() {
            // Granted at 6,000: the 120,000 cap is used up by 2029-02; 2029-03 lies within year 3 but commits nothing.
            zhuhai(null)
                    .andGivenCommands(grant(G1, PERSON, "2026-07", "6000.00"))
                    .andGivenCurrentTime(shanghai("2029-03-10T10:00:00"))
                    .when(claim(G1, "2029-03", "6000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.RECIPIENT_CAP_EXCEEDED));
        }

        @Test
        void claimRentPaidInAnotherCurrencyIsCurrencyMismatch() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .when(new ClaimHousingSubsidy(ZHUHAI, G1, ym("2026-07"), usd("4000.00"), "lease-1"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.CURRENCY_MISMATCH));
        }

        @Test
        void claimUnknownGrantIsNotFound() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .when(claim(G2, "2026-07", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.NOT_FOUND));
        }
    }

    @Nested
    @DisplayName("LapseHousingMonths")
    class Lapsing {

        @Test
        void lapseReleasesAMonthAtTheFirstInstantAfterItsClaimWindow() {
            // 2026-07's window closes at 2026-11-01T00:00 Shanghai (= 2026-10-31T16:00Z); 2026-08's a month later.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-11-01T00:00:00"))
                    .when(new LapseHousingMonths(ZHUHAI, G1))
                    .expectSuccessfulHandlerExecution()
                    .expectResultMessagePayload(true)
                    .expectEvents(lapsed(releases("2026-07", 1, "4000.00"), "4000.00"));
        }

        @Test
        void lapseReleasesExactlyTheCommittedMonthsWhoseWindowHasClosed() {
            // At 2027-01-01T00:00: 2026-07 (paid) is not lapsed; 2026-08 (window closed 2026-12-01) and 2026-09
            // (closed 2027-01-01) are; 2026-10 (closes 2027-02-01) is not. 4,000 + 4,000 = 8,000.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-07", "4000.00"))
                    .andGivenCurrentTime(shanghai("2027-01-01T00:00:00"))
                    .when(new LapseHousingMonths(ZHUHAI, G1))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(lapsed(releases("2026-08", 2, "4000.00"), "8000.00"));
        }

        @Test
        void lapseEmitsNothingWhenNoWindowHasClosed() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-10-31T23:59:59"))
                    .when(new LapseHousingMonths(ZHUHAI, G1))
                    .expectSuccessfulHandlerExecution()
                    .expectResultMessagePayload(false)
                    .expectNoEvents();
        }

        @Test
        void lapseDoesNotLapseAMonthTwice() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-11-01T00:00:00"))
                    .andGivenCommands(new LapseHousingMonths(ZHUHAI, G1))
                    .andGivenCurrentTime(shanghai("2026-11-20T00:00:00"))
                    .when(new LapseHousingMonths(ZHUHAI, G1))
                    .expectSuccessfulHandlerExecution()
                    .expectResultMessagePayload(false)
                    .expectNoEvents();
        }

        @Test
        void lapseDoesNotLapseMonthsAlreadyReleasedByATermination() {
            // Terminated from 2026-08: 2026-08 on were released then; at 2027-01-01 only 2026-07 lapses.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .andGivenCommands(terminate(G1, "2026-08"))
                    .andGivenCurrentTime(shanghai("2027-01-01T00:00:00"))
                    .when(new LapseHousingMonths(ZHUHAI, G1))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(lapsed(releases("2026-07", 1, "4000.00"), "4000.00"));
        }

        @Test
        void lapseReleasesTheCommitmentOfLaterGrantYears() {
            // At 2027-11-01T00:00 every month up to 2027-07 has lapsed: 12 × 4,000 + 1 × 2,800 = 50,800.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2027-11-01T00:00:00"))
                    .when(new LapseHousingMonths(ZHUHAI, G1))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(lapsed(
                            concat(releases("2026-07", 12, "4000.00"), releases("2027-07", 1, "2800.00")), "50800.00"));
        }
    }

    @Nested
    @DisplayName("TerminateHousingGrant")
    class Terminating {

        private HousingGrantTerminated terminated(
                Integer serviceMonths,
                String effectiveMonth,
                int monthsServed,
                List<MonthRelease> released,
                String releasedTotal,
                String paid,
                String clawbackDue) {
            return new HousingGrantTerminated(
                    ZHUHAI_HEADER,
                    G1,
                    PERSON,
                    "left the city",
                    ym(effectiveMonth),
                    monthsServed,
                    serviceMonths,
                    released,
                    cny(releasedTotal),
                    cny(paid),
                    cny(clawbackDue));
        }

        /** The committed months from 2026-10 on: 9 × 4,000 + 12 × 2,800 + 12 × 2,000 = 36,000 + 33,600 + 24,000. */
        private List<MonthRelease> fromOctober2026() {
            return concat(
                    releases("2026-10", 9, "4000.00"),
                    releases("2027-07", 12, "2800.00"),
                    releases("2028-07", 12, "2000.00"));
        }

        @Test
        void terminateReleasesTheCommittedMonthsFromTheEffectiveMonthWithoutClawbackWhenNoServiceMonths() {
            // Paid 2026-07 and 2026-08 (8,000); effective 2026-10: 2026-09 stays committed (claimable),
            // 2026-10 … 2029-06 released = 93,600; monthsServed = 3; no serviceMonths → clawbackDue 0.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-08-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-07", "4000.00"), claim(G1, "2026-08", "4000.00"))
                    .andGivenCurrentTime(shanghai("2026-09-15T10:00:00"))
                    .when(terminate(G1, "2026-10"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(terminated(null, "2026-10", 3, fromOctober2026(), "93600.00", "8000.00", "0.00"));
        }

        @Test
        void terminateClawsBackTheUnservedShareOfWhatWasPaid() {
            // serviceMonths 24, paid 3 × 4,000 = 12,000, monthsServed 3:
            // 12,000 − 12,000 × 3 / 24 = 12,000 − 1,500 = 10,500.
            zhuhaiWithGrant(24)
                    .andGivenCurrentTime(shanghai("2026-09-20T10:00:00"))
                    .andGivenCommands(
                            claim(G1, "2026-07", "4000.00"),
                            claim(G1, "2026-08", "4000.00"),
                            claim(G1, "2026-09", "4000.00"))
                    .andGivenCurrentTime(shanghai("2026-10-05T10:00:00"))
                    .when(terminate(G1, "2026-10"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(terminated(24, "2026-10", 3, fromOctober2026(), "93600.00", "12000.00", "10500.00"));
        }

        @Test
        void terminateClawbackIsRoundedHalfUpOnceNotAfterRoundingItsParts() {
            // serviceMonths 8, one month paid 1,000.04, monthsServed 1:
            // 1,000.04 − 1,000.04 × 1/8 = 875.035 → 875.04 (rounding 125.005 first would give 875.03).
            zhuhaiWithGrant(8)
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-07", "1000.04"))
                    .andGivenCurrentTime(shanghai("2026-08-10T10:00:00"))
                    .when(terminate(G1, "2026-08"))
                    .expectSuccessfulHandlerExecution()
                    .expectEventsMatching(onlyEvent(e -> e instanceof HousingGrantTerminated t
                            && t.monthsServed() == 1
                            && t.serviceMonths() == 8
                            && t.paid().equals(cny("1000.04"))
                            && t.clawbackDue().equals(cny("875.04"))));
        }

        @Test
        void terminateNoClawbackOnceTheServiceMonthsAreServed() {
            // serviceMonths 2, monthsServed 3: max(0, 12,000 − 12,000 × 3/2) = 0.
            zhuhaiWithGrant(2)
                    .andGivenCurrentTime(shanghai("2026-09-20T10:00:00"))
                    .andGivenCommands(
                            claim(G1, "2026-07", "4000.00"),
                            claim(G1, "2026-08", "4000.00"),
                            claim(G1, "2026-09", "4000.00"))
                    .andGivenCurrentTime(shanghai("2026-10-05T10:00:00"))
                    .when(terminate(G1, "2026-10"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(terminated(2, "2026-10", 3, fromOctober2026(), "93600.00", "12000.00", "0.00"));
        }

        @Test
        void terminateWithoutServiceMonthsOnlyPaymentsForMonthsFromTheEffectiveMonthAreClawedBack() {
            // Paid 2026-07 and 2026-08; terminated retroactively from 2026-08: the 4,000 paid for 2026-08 is owed
            // back. Released: 2026-09 … 2027-06 (10 × 4,000) + 33,600 + 24,000 = 97,600; monthsServed 1.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-08-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-07", "4000.00"), claim(G1, "2026-08", "4000.00"))
                    .when(terminate(G1, "2026-08"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(terminated(
                            null,
                            "2026-08",
                            1,
                            concat(
                                    releases("2026-09", 10, "4000.00"),
                                    releases("2027-07", 12, "2800.00"),
                                    releases("2028-07", 12, "2000.00")),
                            "97600.00",
                            "8000.00",
                            "4000.00"));
        }

        @Test
        void terminateWithServiceMonthsThePaymentForMonthsFromTheEffectiveMonthIsAddedInFull() {
            // serviceMonths 24; paid 4,000 for 2026-07 (before effective) and 4,000 for 2026-08 (from effective):
            // pro-rata on the months before: 4,000 − 4,000 × 1/24 = 3,833.333… → 3,833.33, plus 4,000 = 7,833.33.
            // (Reading "paid" in SPEC §11's formula as the payments for months before effectiveMonth; otherwise a
            // payment for a month from effectiveMonth on would be clawed back more than once.)
            zhuhaiWithGrant(24)
                    .andGivenCurrentTime(shanghai("2026-08-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-07", "4000.00"), claim(G1, "2026-08", "4000.00"))
                    .when(terminate(G1, "2026-08"))
                    .expectSuccessfulHandlerExecution()
                    .expectEventsMatching(onlyEvent(e -> e instanceof HousingGrantTerminated t
                            && t.monthsServed() == 1
                            && t.paid().equals(cny("8000.00"))
                            && t.released().equals(cny("97600.00"))
                            && t.clawbackDue().equals(cny("7833.33"))));
        }

        @Test
        void terminationWithNothingLeftToReleaseEmitsAZeroRelease() {
            // Granted at 6,000: the cap leaves 2029-03 … 2029-06 uncommitted. Terminating from 2029-04 finds no
            // committed month to release; it must still end the grant (SPEC §3: no input yields a 5xx), with
            // released 0. monthsServed = 2026-07 → 2029-04 = 33.
            zhuhai(null)
                    .andGivenCommands(grant(G1, PERSON, "2026-07", "6000.00"))
                    .andGivenCurrentTime(shanghai("2029-04-02T10:00:00"))
                    .when(terminate(G1, "2029-04"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(terminated(null, "2029-04", 33, List.of(), "0.00", "0.00", "0.00"));
        }

        @Test
        void terminatingTwiceIsGrantTerminated() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-09-05T10:00:00"))
                    .andGivenCommands(terminate(G1, "2026-10"))
                    .when(terminate(G1, "2026-11"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.GRANT_TERMINATED));
        }

        @Test
        void terminateEffectiveMonthBeforeTheStartMonthIsNotCovered() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-05T10:00:00"))
                    .when(terminate(G1, "2026-06"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.MONTH_NOT_COVERED));
        }

        @Test
        void terminateUnknownGrantIsNotFound() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-05T10:00:00"))
                    .when(terminate(G2, "2026-08"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.NOT_FOUND));
        }
    }

    @Nested
    @DisplayName("Overlapping grants, leases and caps")
    class OverlapsLeasesAndCaps {

        @Test
        void secondGrantOverlappingALiveGrantOfThePersonIsDuplicateGrant() {
            // Issue 12 point 1: two Zhuhai grants from 2026-07 at 2,000 fit under the 120,000 cap together, but the
            // person would be paid 2026-07 twice for one rent.
            zhuhai(null)
                    .andGivenCommands(grant(G1, PERSON, "2026-07", "2000.00"))
                    .when(grant(G2, PERSON, "2026-07", "2000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_GRANT));
        }

        @Test
        void grantStartingInTheLastMonthOfALiveGrantIsDuplicateGrant() {
            // G1 covers 2026-07 to 2029-06 (three grant years); a grant from 2029-06 overlaps it by one month.
            zhuhai(null)
                    .andGivenCommands(grant(G1, PERSON, "2026-07", "2000.00"))
                    .when(grant(G2, PERSON, "2029-06", "2000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_GRANT));
        }

        @Test
        void grantEndingInTheFirstMonthOfALiveGrantIsDuplicateGrant() {
            // A grant starting earlier whose span reaches G1's first month overlaps it too.
            zhuhai(null)
                    .andGivenCommands(grant(G1, PERSON, "2029-06", "2000.00"))
                    .when(grant(G2, PERSON, "2026-07", "2000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_GRANT));
        }

        @Test
        void duplicateGrantOutranksTheCapAndTheBudget() {
            // Person already at the cap: the overlap is reported first (duplicates come before caps, SPEC §11).
            zhuhai(null)
                    .andGivenCommands(grant(G1, PERSON, "2026-07", "6000.00"))
                    .when(grant(G2, PERSON, "2027-01", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_GRANT));
        }

        @Test
        void terminatedGrantFreesItsMonthsFromTheEffectiveMonthForANewGrant() {
            // Issue 12 point 7 too: the person moves after three months (12,000 paid, 93,600 released). The released
            // money gives headroom back (120,000 − 12,000 = 108,000), so the flat they move to is granted its whole
            // schedule of 105,600 from the effective month; counting gross grants would have left only 14,400.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-07", "4000.00"))
                    .andGivenCurrentTime(shanghai("2026-08-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-08", "4000.00"))
                    .andGivenCurrentTime(shanghai("2026-09-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-09", "4000.00"), terminate(G1, "2026-10"))
                    .when(grant(G2, PERSON, "2026-10", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(granted(
                            G2,
                            PERSON,
                            "2026-10",
                            "4000.00",
                            null,
                            concat(
                                    run("2026-10", 12, 1, Y1, "4000.00"),
                                    run("2027-10", 12, 2, Y2, "2800.00"),
                                    run("2028-10", 12, 3, Y3, "2000.00")),
                            "105600.00"));
        }

        @Test
        void grantBeforeTheEffectiveMonthOfATerminatedGrantIsStillDuplicateGrant() {
            // The months before effectiveMonth stay the old grant's (they remain claimable there).
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-09-20T10:00:00"))
                    .andGivenCommands(terminate(G1, "2026-10"))
                    .when(grant(G2, PERSON, "2026-09", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_GRANT));
        }

        @Test
        void aMonthPaidBeforeATerminationDatedBackStaysHeld() {
            // G1 paid 2026-07 and 2026-08, then terminated effective 2026-08 (dated back): 2026-08 was paid by G1 (and
            // is
            // owed back), so a new grant from 2026-08 would pay that month to the person a second time.
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-07", "4000.00"))
                    .andGivenCurrentTime(shanghai("2026-08-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-08", "4000.00"), terminate(G1, "2026-08"))
                    .when(grant(G2, PERSON, "2026-08", "4000.00"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_GRANT));
        }

        @Test
        void afterATerminationDatedBackANewGrantMayStartAfterThePaidMonths() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-07", "4000.00"))
                    .andGivenCurrentTime(shanghai("2026-08-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-08", "4000.00"), terminate(G1, "2026-08"))
                    .when(grant(G2, PERSON, "2026-09", "4000.00"))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void capCountsPaidAndStillCommittedNotWhatWasReleased() {
            // Issue 12 point 7 with the Zhuhai rules: G1 at 5,000 commits 60,000 + 42,000 + 18,000 = 120,000, the whole
            // cap. The person leaves after three months (15,000 paid); the 105,000 released gives that headroom back,
            // so the flat they move to can be granted: 105,000 from 2026-10, ending at the cap.
            zhuhai(null)
                    .andGivenCommands(grant(G1, PERSON, "2026-07", "5000.00"))
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-07", "5000.00"))
                    .andGivenCurrentTime(shanghai("2026-08-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-08", "5000.00"))
                    .andGivenCurrentTime(shanghai("2026-09-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-09", "5000.00"), terminate(G1, "2026-10"))
                    .when(grant(G2, PERSON, "2026-10", "5000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(granted(
                            G2,
                            PERSON,
                            "2026-10",
                            "5000.00",
                            null,
                            concat(
                                    run("2026-10", 12, 1, Y1, "5000.00"),
                                    run("2027-10", 12, 2, Y2, "3500.00"),
                                    run("2028-10", 1, 3, Y3, "2500.00"),
                                    run("2028-11", 1, 3, Y3, "500.00")),
                            "105000.00"));
        }

        @Test
        void capHeadroomComesBackFromLapsedMonthsAndShortfalls() {
            // G1 at 5,000 uses the whole cap; 2026-07 is paid on a rent of 3,000 (2,000 released) and 2026-08 lapses
            // (5,000 released): 7,000 of headroom comes back for a grant that starts after G1's three years.
            zhuhai(null)
                    .andGivenCommands(grant(G1, PERSON, "2026-07", "5000.00"))
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-07", "3000.00"))
                    .andGivenCurrentTime(shanghai("2026-12-01T00:00:00"))
                    .andGivenCommands(new LapseHousingMonths(ZHUHAI, G1))
                    .when(grant(G2, PERSON, "2029-07", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEventsMatching(onlyEvent(e -> e instanceof HousingSubsidyGranted g
                            && g.committed().equals(cny("7000.00"))));
        }

        @Test
        void claimsBeforeTheEffectiveMonthMadeAfterTheTerminationRaiseTheClawback() {
            // Issue 12 point 2: 24 service months, rent 4,000. 2026-07 and 2026-08 paid (8,000); terminated on
            // 2026-08-20 effective 2027-01: 6 months served, due 8,000 × 18/24 = 6,000. Each later claim for
            // 2026-09 … 2026-12 raises it by 4,000 × 18/24 = 3,000: 9,000, 12,000, 15,000, 18,000.
            zhuhaiWithGrant(24)
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-07", "4000.00"))
                    .andGivenCurrentTime(shanghai("2026-08-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-08", "4000.00"), terminate(G1, "2027-01"))
                    .andGivenCurrentTime(shanghai("2026-12-20T10:00:00"))
                    .andGivenCommands(
                            claim(G1, "2026-09", "4000.00"),
                            claim(G1, "2026-10", "4000.00"),
                            claim(G1, "2026-11", "4000.00"))
                    .when(claim(G1, "2026-12", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paidAfterTermination(
                            G1, "2026-12", 1, Y1, "4000.00", "4000.00", "4000.00", "0.00", "18000.00"))
                    .expectState(program -> {
                        HousingGrant g = program.findGrant(G1).orElseThrow();
                        Assertions.assertThat(g.clawbackDue()).isEqualTo(cny("18000.00"));
                    });
        }

        @Test
        void firstClaimAfterTheTerminationRaisesTheClawbackFromTheTerminationFigure() {
            // The termination figure, then one payment: 6,000 → 9,000 in the payment's own event.
            zhuhaiWithGrant(24)
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-07", "4000.00"))
                    .andGivenCurrentTime(shanghai("2026-08-20T10:00:00"))
                    .andGivenCommands(claim(G1, "2026-08", "4000.00"), terminate(G1, "2027-01"))
                    .andGivenCurrentTime(shanghai("2026-09-20T10:00:00"))
                    .when(claim(G1, "2026-09", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paidAfterTermination(
                            G1, "2026-09", 1, Y1, "4000.00", "4000.00", "4000.00", "0.00", "9000.00"));
        }

        @Test
        void lateClaimAfterServingTheWholeMinimumStayOwesNothing() {
            // Variation: serviceMonths 3, terminated effective 2026-10 (3 months served): nothing is owed back, before
            // or after a late claim for 2026-09.
            zhuhaiWithGrant(3)
                    .andGivenCurrentTime(shanghai("2026-09-05T10:00:00"))
                    .andGivenCommands(terminate(G1, "2026-10"))
                    .andGivenCurrentTime(shanghai("2026-10-05T10:00:00"))
                    .when(claim(G1, "2026-09", "4000.00"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(paidAfterTermination(
                            G1, "2026-09", 1, Y1, "4000.00", "4000.00", "4000.00", "0.00", "0.00"));
        }

        @Test
        void theSameLeaseMonthPaidOnAnotherGrantIsDuplicateClaim() {
            // Two people (or one person's two grants) cannot both be paid for one lease's month, however the lease
            // reference is spelled: full-width characters, other case, extra white space.
            zhuhaiWithGrant(null)
                    .andGivenCommands(grant(G2, "p-002", "2026-07", "4000.00"))
                    .andGivenCurrentTime(shanghai("2026-07-20T10:00:00"))
                    .andGivenCommands(claimWithLease(G1, "2026-07", "4000.00", "ZH-Lease 0042"))
                    .when(claimWithLease(G2, "2026-07", "4000.00", " ｚｈ－ｌｅａｓｅ　 ００４２ "))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_CLAIM));
        }

        @Test
        void leaseMonthPaidInAnotherProgramIsDuplicateClaim() {
            TestExecutor<Program> given = zhuhaiWithGrant(null).andGivenCurrentTime(shanghai("2026-07-20T10:00:00"));
            index.payLeaseMonth(new LedgerIndex.LeaseMonthKey("zh-lease-0042", ym("2026-07")));
            given.when(claimWithLease(G1, "2026-07", "4000.00", "ZH-LEASE-0042"))
                    .expectNoEvents()
                    .expectException(rejectedWith(RejectionCode.DUPLICATE_CLAIM));
        }

        @Test
        void theSameLeaseInAnotherMonthIsPaid() {
            zhuhaiWithGrant(null)
                    .andGivenCurrentTime(shanghai("2026-08-20T10:00:00"))
                    .andGivenCommands(claimWithLease(G1, "2026-07", "4000.00", "lease-A"))
                    .when(claimWithLease(G1, "2026-08", "4000.00", "LEASE-a"))
                    .expectSuccessfulHandlerExecution();
        }
    }
}
