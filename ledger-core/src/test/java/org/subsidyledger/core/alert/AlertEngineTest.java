package org.subsidyledger.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.core.support.TestData.beijingComputeRules;
import static org.subsidyledger.core.support.TestData.hangzhouLaunched;
import static org.subsidyledger.core.support.TestData.hangzhouRules;
import static org.subsidyledger.core.support.TestData.talent;
import static org.subsidyledger.core.support.TestData.uscc;
import static org.subsidyledger.core.support.TestData.zhuhaiLaunched;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.alert.AlertHistory.Program;
import org.subsidyledger.core.alert.AlertTransition.Kind;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.housing.MonthRelease;
import org.subsidyledger.core.housing.ScheduledMonth;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalGranted;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRequested;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccredited;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.RequestId;

/**
 * Each rule of SPEC §6 driven across its threshold and back by a scripted log, with the raise and clear instants
 * worked out by hand. Zhejiang's time zone is Asia/Shanghai (UTC+8) and its fiscal year the calendar year, so FY2027
 * starts at 2026-12-31T16:00:00Z.
 */
class AlertEngineTest {
    private static final String FY2027_STARTS = "2026-12-31T16:00:00Z";
    private static final String FAR = "2030-01-01T00:00:00Z";
    private final Program hangzhou = new Program(hangzhouLaunched());

    @Nested
    @DisplayName("COMMITMENT_HIGH")
    class CommitmentHighRule {

        /**
         * A pending approval request is not a commitment (issue 16): 10,000 appropriated and a request for a voucher of
         * 9,000 raise nothing; the voucher issued after its approval raises the WARNING.
         */
        @Test
        void aPendingApprovalRequestIsNotACommitment() {
            AlertHistory log = new AlertHistory(AlertCode.COMMITMENT_HIGH);
            log.at("2026-03-01T00:00:00Z", hangzhou.launched());
            log.at("2026-03-01T01:00:00Z", hangzhou.appropriate("10000.00", 2026));
            ProgramHeader header = hangzhou.launched().header();
            RequestId request = RequestId.of("req-1");
            assertThat(log.at(
                            "2026-03-02T00:00:00Z",
                            new ApprovalRequested(
                                    header,
                                    request,
                                    new AppropriateFunds(
                                            header.programId(), Money.of("9000.00", CurrencyCode.CNY), "x"),
                                    Money.of("9000.00", CurrencyCode.CNY),
                                    Money.of("5000.00", CurrencyCode.CNY),
                                    "alice",
                                    Instant.parse(FAR))))
                    .isEmpty();
            assertThat(log.at(
                            "2026-03-03T00:00:00Z",
                            new ApprovalGranted(
                                    header,
                                    request,
                                    "IssueVoucher",
                                    Money.of("9000.00", CurrencyCode.CNY),
                                    "alice",
                                    "bob")))
                    .isEmpty();
            assertThat(log.at("2026-03-03T00:00:00Z", hangzhou.issue("v1", FIRM_1, null, "9000.00", FAR)))
                    .extracting(t -> t.alert().level())
                    .containsExactly(AlertLevel.WARNING, AlertLevel.WARNING);
        }

        /**
         * 10,000 appropriated: 8,000 committed is exactly 80 % (WARNING, program and province), 9,500 exactly 95 %
         * (CRITICAL: each WARNING cleared, a CRITICAL raised), revoking 1,500 goes back to WARNING, and 2,000 more
         * appropriated (8,000 / 12,000) clears both. Zhejiang's USD program, with nothing committed, raises nothing: the
         * province rule works per currency.
         */
        @Test
        void commitmentHighRaisesWarningThenCriticalAndBackPerProgramAndProvince() {
            AlertHistory log = new AlertHistory(AlertCode.COMMITMENT_HIGH);
            Program dollars = new Program(new ProgramLaunched(
                    ProgramId.of("zj-usd"),
                    "Dollar vouchers",
                    ProgramKind.COMPUTE_VOUCHER,
                    "CN-ZJ",
                    "Hangzhou",
                    CurrencyCode.USD,
                    hangzhouRules()));
            log.at("2026-03-01T00:00:00Z", hangzhou.launched());
            log.at("2026-03-01T00:00:01Z", dollars.launched());
            log.at("2026-03-01T00:00:02Z", dollars.appropriate("100.00", 2026));
            assertThat(log.at("2026-03-01T01:00:00Z", hangzhou.appropriate("10000.00", 2026)))
                    .isEmpty();
            assertThat(log.at("2026-03-02T00:00:00Z", hangzhou.issue("v1", FIRM_1, null, "7999.99", FAR)))
                    .isEmpty();

            List<AlertTransition> warning =
                    log.at("2026-03-03T00:00:00Z", hangzhou.issue("v2", FIRM_2, null, "0.01", FAR));
            assertThat(warning).hasSize(2);
            assertRaised(
                    warning.get(0),
                    AlertCode.COMMITMENT_HIGH,
                    AlertLevel.WARNING,
                    "2026-03-03T00:00:00Z",
                    hangzhou.launched().programId());
            assertRaised(warning.get(1), AlertCode.COMMITMENT_HIGH, AlertLevel.WARNING, "2026-03-03T00:00:00Z", null);
            assertThat(warning.get(0).alert().figures())
                    .containsExactly(
                            Map.entry("appropriated", "10000.00"),
                            Map.entry("committed", "8000.00"),
                            Map.entry("disbursed", "0.00"),
                            Map.entry("commitmentRatio", "0.8000"),
                            Map.entry("threshold", "0.80"));
            assertThat(warning.get(0).alert().scope())
                    .isEqualTo(new AlertScope(
                            "CN-ZJ", "Hangzhou", hangzhou.launched().programId(), CurrencyCode.CNY));
            assertThat(warning.get(1).alert().scope()).isEqualTo(new AlertScope("CN-ZJ", null, null, CurrencyCode.CNY));

            List<AlertTransition> critical =
                    log.at("2026-03-04T00:00:00Z", hangzhou.issue("v3", FIRM_3, null, "1500.00", FAR));
            assertThat(critical)
                    .extracting(
                            AlertTransition::kind,
                            t -> t.alert().level(),
                            t -> t.alert().alertId())
                    .containsExactly(
                            Tuple.tuple(
                                    Kind.CLEARED,
                                    AlertLevel.WARNING,
                                    warning.get(0).alert().alertId()),
                            Tuple.tuple(
                                    Kind.RAISED,
                                    AlertLevel.CRITICAL,
                                    critical.get(1).alert().alertId()),
                            Tuple.tuple(
                                    Kind.CLEARED,
                                    AlertLevel.WARNING,
                                    warning.get(1).alert().alertId()),
                            Tuple.tuple(
                                    Kind.RAISED,
                                    AlertLevel.CRITICAL,
                                    critical.get(3).alert().alertId()));
            assertThat(critical.get(0).alert().clearedAt()).isEqualTo(Instant.parse("2026-03-04T00:00:00Z"));
            assertThat(critical.get(1).alert().raisedAt()).isEqualTo(Instant.parse("2026-03-04T00:00:00Z"));
            assertThat(critical.get(1).alert().figures())
                    .containsEntry("commitmentRatio", "0.9500")
                    .containsEntry("threshold", "0.95");

            List<AlertTransition> back =
                    log.at("2026-03-05T00:00:00Z", hangzhou.revoke("v3", "1500.00", "0.00", "1500.00"));
            assertThat(back)
                    .extracting(AlertTransition::kind, t -> t.alert().level())
                    .containsExactly(
                            Tuple.tuple(Kind.CLEARED, AlertLevel.CRITICAL),
                            Tuple.tuple(Kind.RAISED, AlertLevel.WARNING),
                            Tuple.tuple(Kind.CLEARED, AlertLevel.CRITICAL),
                            Tuple.tuple(Kind.RAISED, AlertLevel.WARNING));
            assertThat(back.get(1).alert().alertId())
                    .isNotEqualTo(warning.get(0).alert().alertId());

            List<AlertTransition> cleared = log.at("2026-03-06T00:00:00Z", hangzhou.appropriate("2000.00", 2026));
            assertThat(cleared).extracting(AlertTransition::kind).containsExactly(Kind.CLEARED, Kind.CLEARED);
            assertThat(cleared)
                    .allSatisfy(
                            t -> assertThat(t.alert().clearedAt()).isEqualTo(Instant.parse("2026-03-06T00:00:00Z")));
            assertThat(log.engine.openAlerts()).noneMatch(a -> a.code() == AlertCode.COMMITMENT_HIGH);
            assertThat(log.all).noneMatch(t -> t.alert().scope().currency() == CurrencyCode.USD);
        }

        /**
         * With nothing appropriated (or disbursed, or appropriated last year) the rules dividing by those never fire,
         * however much is committed; the concentration rules have nothing redeemed. Only the rules whose denominator is
         * the face value of vouchers (ended, or issued 90 days ago) do.
         */
        @Test
        void aZeroDenominatorNeverFires() {
            AlertHistory log = new AlertHistory();
            log.at("2026-03-01T00:00:00Z", hangzhou.launched());
            log.at("2026-03-02T00:00:00Z", hangzhou.issue("v1", FIRM_1, null, "5000.00", "2026-03-03T00:00:00Z"));
            log.at("2026-03-03T00:00:00Z", hangzhou.expire("v1", "2026-03-03T00:00:00Z", "5000.00", "0.00", "5000.00"));
            log.tick("2026-12-01T00:00:00Z");
            log.tick("2027-06-01T00:00:00Z");
            assertThat(log.all)
                    .extracting(t -> t.alert().code())
                    .containsOnly(AlertCode.LAPSE_RATE, AlertCode.LOW_REDEMPTION);
        }

        /** The same log folded twice gives the same transitions, ids and instants included. */
        @Test
        void theSameLogGivesTheSameTransitions() {
            assertThat(commitmentHistory(AlertThresholds.spec())).isEqualTo(commitmentHistory(AlertThresholds.spec()));
        }

        /**
         * Zhejiang warns from 70 % by configuration: 7,500 of 10,000 raises there (not with the defaults), and not in
         * Beijing, which keeps the defaults.
         */
        @Test
        void aProvinceOverrideChangesTheOutcome() {
            AlertThresholds thresholds =
                    AlertThresholds.configured(Map.of(), Map.of("CN-ZJ", Map.of("commitment-warning", "0.70")));
            assertThat(thresholds.forProvince("CN-ZJ").value(Threshold.COMMITMENT_WARNING))
                    .isEqualByComparingTo("0.70");
            assertThat(thresholds.forProvince("CN-BJ").value(Threshold.COMMITMENT_WARNING))
                    .isEqualByComparingTo("0.80");
            List<AlertTransition> zhejiang = commitmentHistory(thresholds).stream()
                    .filter(t -> t.globalIndex() == 2)
                    .toList();
            assertThat(zhejiang).hasSize(2);
            assertThat(zhejiang).allSatisfy(t -> {
                assertThat(t.kind()).isEqualTo(Kind.RAISED);
                assertThat(t.alert().figures())
                        .containsEntry("commitmentRatio", "0.7500")
                        .containsEntry("threshold", "0.70");
                assertThat(t.occurredAt()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
            });
            assertThat(commitmentHistory(AlertThresholds.spec()))
                    .as("the same history with the defaults")
                    .noneMatch(t -> t.globalIndex() == 2);

            Program beijing = new Program(new ProgramLaunched(
                    ProgramId.of("bj-compute"),
                    "Beijing compute",
                    ProgramKind.COMPUTE_VOUCHER,
                    "CN-BJ",
                    null,
                    CurrencyCode.CNY,
                    beijingComputeRules()));
            AlertHistory log = new AlertHistory(thresholds, AlertCode.COMMITMENT_HIGH);
            log.at("2026-03-01T00:00:00Z", beijing.launched());
            log.at("2026-03-01T01:00:00Z", beijing.appropriate("10000.00", 2026));
            log.at("2026-03-02T00:00:00Z", beijing.issue("v1", FIRM_1, null, "7500.00", FAR));
            assertThat(log.all).isEmpty();
        }

        private List<AlertTransition> commitmentHistory(AlertThresholds thresholds) {
            AlertHistory log = new AlertHistory(thresholds, AlertCode.COMMITMENT_HIGH);
            log.at("2026-03-01T00:00:00Z", hangzhou.launched());
            log.at("2026-03-01T01:00:00Z", hangzhou.appropriate("10000.00", 2026));
            log.at("2026-03-02T00:00:00Z", hangzhou.issue("v1", FIRM_1, null, "7500.00", FAR));
            log.at("2026-03-03T00:00:00Z", hangzhou.issue("v2", FIRM_2, null, "2000.00", FAR));
            log.at("2026-03-03T00:00:00Z", hangzhou.revoke("v2", "2000.00", "0.00", "2000.00"));
            log.at("2026-03-03T00:00:00Z", hangzhou.issue("v3", FIRM_3, null, "2000.00", FAR));
            return log.all;
        }
    }

    @Nested
    @DisplayName("EXHAUSTION_FORECAST")
    class ExhaustionForecastRule {

        /**
         * 20,000 appropriated, 5,000 issued on 2 December (local): 5,000 / 90 days × 30 days left is far below the 15,000
         * available. At the first entry of FY2027 (a seal at local midnight) 365 days are left: 5,000 × 365 / 90 =
         * 20,277.78 ≥ 15,000, raised then. The issue leaves the 90-day window at 2027-03-01T16:00:00Z (= issue + 90 days):
         * cleared by the first entry at that instant.
         */
        @Test
        void exhaustionForecastRaisesOnTheFirstEntryOfTheNewFiscalYearAndClearsWhenTheWindowMovesOn() {
            AlertHistory log = new AlertHistory(AlertCode.EXHAUSTION_FORECAST);
            log.at("2026-11-01T00:00:00Z", hangzhou.launched());
            log.at("2026-11-01T01:00:00Z", hangzhou.appropriate("20000.00", 2026));
            assertThat(log.at("2026-12-01T16:00:00Z", hangzhou.issue("v1", FIRM_1, null, "5000.00", FAR)))
                    .isEmpty();
            assertThat(log.tick("2026-12-31T15:59:59Z")).isEmpty();

            List<AlertTransition> raised = log.tick(FY2027_STARTS);
            assertThat(raised).hasSize(1);
            assertRaised(
                    raised.get(0),
                    AlertCode.EXHAUSTION_FORECAST,
                    AlertLevel.WARNING,
                    FY2027_STARTS,
                    hangzhou.launched().programId());
            assertThat(raised.get(0).alert().figures())
                    .containsExactly(
                            Map.entry("available", "15000.00"),
                            Map.entry("newCommitments", "5000.00"),
                            Map.entry("windowDays", "90"),
                            Map.entry("commitmentRatePerDay", "55.5556"),
                            Map.entry("daysLeftInFiscalYear", "365.0000"),
                            Map.entry("projectedCommitments", "20277.78"),
                            Map.entry("fiscalYear", "2027"));

            assertThat(log.tick("2027-03-01T15:59:59Z")).isEmpty();
            assertCleared(log.tick("2027-03-01T16:00:00Z"), AlertCode.EXHAUSTION_FORECAST, "2027-03-01T16:00:00Z");
        }
    }

    @Nested
    @DisplayName("LOW_REDEMPTION")
    class LowRedemptionRule {

        /**
         * A 10,000 voucher issued 2026-03-01T00:00Z has redeemed 2,000 (20 % < 25 %): it counts from issue + 90 days,
         * 2026-05-30T00:00:00Z, so a seal at that instant raises; a late-stamped entry does not move time back; redeeming
         * 500 more (25 %, not below) clears.
         */
        @Test
        void lowRedemptionRaisesWhenVouchersReachNinetyDaysAndClearsWhenRedemptionCatchesUp() {
            AlertHistory log = new AlertHistory(AlertCode.LOW_REDEMPTION);
            log.at("2026-02-28T00:00:00Z", hangzhou.launched());
            log.at("2026-02-28T01:00:00Z", hangzhou.appropriate("100000.00", 2026));
            log.at("2026-03-01T00:00:00Z", hangzhou.issue("v1", FIRM_1, null, "10000.00", FAR));
            log.at("2026-04-01T00:00:00Z", hangzhou.redeem("v1", "r1", FIRM_1, null, "p1", null, "2000.00", "8000.00"));
            log.at("2026-04-01T00:00:01Z", hangzhou.settle("v1", "r1", "p1", "2000.00"));
            assertThat(log.tick("2026-05-29T23:59:59Z")).isEmpty();

            List<AlertTransition> raised = log.tick("2026-05-30T00:00:00Z");
            assertThat(raised).hasSize(1);
            assertRaised(
                    raised.get(0),
                    AlertCode.LOW_REDEMPTION,
                    AlertLevel.WARNING,
                    "2026-05-30T00:00:00Z",
                    hangzhou.launched().programId());
            assertThat(raised.get(0).alert().figures())
                    .containsExactly(
                            Map.entry("faceValue", "10000.00"),
                            Map.entry("redeemed", "2000.00"),
                            Map.entry("redemptionRatio", "0.2000"),
                            Map.entry("threshold", "0.25"));
            assertThat(log.tick("2026-05-01T00:00:00Z"))
                    .as("an earlier timestamp never moves now back")
                    .isEmpty();

            assertCleared(
                    log.at(
                            "2026-06-10T00:00:00Z",
                            hangzhou.redeem("v1", "r2", FIRM_1, null, "p1", null, "500.00", "7500.00")),
                    AlertCode.LOW_REDEMPTION,
                    "2026-06-10T00:00:00Z");
        }
    }

    @Nested
    @DisplayName("LAPSE_RATE")
    class LapseRateRule {

        /**
         * v2 exhausted (1,000 ended, nothing lapsed); v1 expires with 700 unused: 700 / 2,000 = 35 % ≥ 30 %, raised; v3
         * (1,000) revoked: ended 3,000, 700 / 3,000 = 23.3 %, cleared — revocation is not a lapse.
         */
        @Test
        void lapseRateCountsExpiryAgainstEveryEndedVoucher() {
            AlertHistory log = new AlertHistory(AlertCode.LAPSE_RATE);
            log.at("2026-03-01T00:00:00Z", hangzhou.launched());
            log.at("2026-03-01T01:00:00Z", hangzhou.appropriate("100000.00", 2026));
            log.at("2026-03-02T00:00:00Z", hangzhou.issue("v1", FIRM_1, null, "1000.00", "2026-04-01T00:00:00Z"));
            log.at("2026-03-02T00:00:01Z", hangzhou.issue("v2", FIRM_2, null, "1000.00", FAR));
            log.at("2026-03-03T00:00:00Z", hangzhou.redeem("v1", "r1", FIRM_1, null, "p1", null, "300.00", "700.00"));
            assertThat(log.at(
                            "2026-03-04T00:00:00Z",
                            hangzhou.redeem("v2", "r2", FIRM_2, null, "p1", null, "1000.00", "0.00")))
                    .isEmpty();

            List<AlertTransition> raised = log.at(
                    "2026-04-01T00:00:00Z",
                    hangzhou.expire("v1", "2026-04-01T00:00:00Z", "1000.00", "300.00", "700.00"));
            assertThat(raised).hasSize(1);
            assertRaised(
                    raised.get(0),
                    AlertCode.LAPSE_RATE,
                    AlertLevel.WARNING,
                    "2026-04-01T00:00:00Z",
                    hangzhou.launched().programId());
            assertThat(raised.get(0).alert().figures())
                    .containsExactly(
                            Map.entry("releasedByExpiry", "700.00"),
                            Map.entry("endedFaceValue", "2000.00"),
                            Map.entry("lapseRatio", "0.3500"),
                            Map.entry("threshold", "0.30"));

            log.at("2026-04-02T00:00:00Z", hangzhou.issue("v3", FIRM_3, null, "1000.00", FAR));
            assertCleared(
                    log.at("2026-04-03T00:00:00Z", hangzhou.revoke("v3", "1000.00", "0.00", "1000.00")),
                    AlertCode.LAPSE_RATE,
                    "2026-04-03T00:00:00Z");
        }
    }

    @Nested
    @DisplayName("ESCALATING_SUPPORT")
    class EscalatingSupportRule {

        /**
         * FY2025: 10,000 (FY2024 had nothing: no alert). FY2026: 15,000 is exactly 50 % more, raised; rescinding 0.01
         * clears; 0.01 more raises again; at the first entry of FY2027 (nothing appropriated yet) it clears on a seal.
         */
        @Test
        void escalatingSupportComparesThisFiscalYearWithTheLast() {
            AlertHistory log = new AlertHistory(AlertCode.ESCALATING_SUPPORT);
            log.at("2025-06-01T00:00:00Z", hangzhou.launched());
            assertThat(log.at("2025-06-01T01:00:00Z", hangzhou.appropriate("10000.00", 2025)))
                    .as("nothing last year: zero denominator")
                    .isEmpty();
            log.tick("2025-12-31T16:00:00Z");
            assertThat(log.at("2026-02-01T00:00:00Z", hangzhou.appropriate("14999.99", 2026)))
                    .isEmpty();

            List<AlertTransition> raised = log.at("2026-02-02T00:00:00Z", hangzhou.appropriate("0.01", 2026));
            assertThat(raised).hasSize(1);
            assertRaised(raised.get(0), AlertCode.ESCALATING_SUPPORT, AlertLevel.WARNING, "2026-02-02T00:00:00Z", null);
            assertThat(raised.get(0).alert().scope()).isEqualTo(new AlertScope("CN-ZJ", null, null, CurrencyCode.CNY));
            assertThat(raised.get(0).alert().figures())
                    .containsExactly(
                            Map.entry("fiscalYear", "2026"),
                            Map.entry("appropriatedThisYear", "15000.00"),
                            Map.entry("appropriatedLastYear", "10000.00"),
                            Map.entry("growthRatio", "0.5000"),
                            Map.entry("threshold", "0.50"));

            assertCleared(
                    log.at("2026-03-01T00:00:00Z", hangzhou.rescind("0.01", 2026)),
                    AlertCode.ESCALATING_SUPPORT,
                    "2026-03-01T00:00:00Z");
            assertThat(log.at("2026-04-01T00:00:00Z", hangzhou.appropriate("0.01", 2026)))
                    .hasSize(1);
            assertCleared(log.tick(FY2027_STARTS), AlertCode.ESCALATING_SUPPORT, FY2027_STARTS);
        }
    }

    @Nested
    @DisplayName("FORWARD_LIABILITY")
    class ForwardLiabilityRule {

        /**
         * 10,000 appropriated in FY2026; vouchers expiring in FY2027 fall due then. 4,999.99 is below half; 0.01 more makes
         * exactly 50 %, raised. When FY2027 begins those obligations are no longer in a later year: cleared on a seal.
         */
        @Test
        void forwardLiabilityCountsObligationsDueAfterTheCurrentFiscalYear() {
            AlertHistory log = new AlertHistory(AlertCode.FORWARD_LIABILITY);
            log.at("2026-03-01T00:00:00Z", hangzhou.launched());
            log.at("2026-03-01T01:00:00Z", hangzhou.appropriate("10000.00", 2026));
            assertThat(log.at(
                            "2026-03-02T00:00:00Z",
                            hangzhou.issue("v1", FIRM_1, null, "4999.99", "2027-02-01T00:00:00Z")))
                    .isEmpty();
            log.at("2026-03-02T00:00:01Z", hangzhou.issue("v2", FIRM_2, null, "3000.00", "2026-09-01T00:00:00Z"));

            List<AlertTransition> raised =
                    log.at("2026-03-03T00:00:00Z", hangzhou.issue("v3", FIRM_3, null, "0.01", "2027-03-01T00:00:00Z"));
            assertThat(raised).hasSize(1);
            assertRaised(
                    raised.get(0),
                    AlertCode.FORWARD_LIABILITY,
                    AlertLevel.WARNING,
                    "2026-03-03T00:00:00Z",
                    hangzhou.launched().programId());
            assertThat(raised.get(0).alert().figures())
                    .containsExactly(
                            Map.entry("fiscalYear", "2026"),
                            Map.entry("laterLiabilities", "5000.00"),
                            Map.entry("appropriated", "10000.00"),
                            Map.entry("liabilityRatio", "0.5000"),
                            Map.entry("threshold", "0.50"));

            assertThat(log.tick("2026-12-31T15:59:59Z")).isEmpty();
            assertCleared(log.tick(FY2027_STARTS), AlertCode.FORWARD_LIABILITY, FY2027_STARTS);
        }

        /**
         * Zhuhai housing, 100,000 appropriated: a grant from July 2026 at 4,000 rent commits 105,600 ([1.0, 0.7, 0.5] ×
         * 4,000 a month), of which 81,600 falls due after FY2026 (from January 2027): raised at the grant. Terminating the
         * grant from January 2027 releases those months: cleared.
         */
        @Test
        void forwardLiabilityCountsHousingMonthsInTheirOwnFiscalYear() {
            ProgramLaunched launched = zhuhaiLaunched(null);
            Program zhuhai = new Program(launched);
            AlertHistory log = new AlertHistory(AlertCode.FORWARD_LIABILITY);
            log.at("2026-06-01T00:00:00Z", launched);
            log.at("2026-06-01T01:00:00Z", zhuhai.appropriate("100000.00", 2026));
            List<ScheduledMonth> schedule = launched.rules() instanceof HousingSettings rules
                    ? rules.plan(YearMonth.of(2026, 7), zhuhai.money("4000.00"), zhuhai.money("120000.00"))
                    : List.of();
            Money committed = schedule.stream().map(ScheduledMonth::committed).reduce(zhuhai.money("0"), Money::plus);
            assertThat(committed).isEqualTo(zhuhai.money("105600.00"));

            List<AlertTransition> raised = log.at(
                    "2026-07-01T00:00:00Z",
                    new HousingSubsidyGranted(
                            launched.programId(),
                            "CN-GD",
                            "Zhuhai",
                            ProgramKind.HOUSING_SUBSIDY,
                            CurrencyCode.CNY,
                            GrantId.of("g1"),
                            talent("p-1"),
                            YearMonth.of(2026, 7),
                            zhuhai.money("4000.00"),
                            3,
                            null,
                            schedule,
                            committed));
            assertThat(raised).hasSize(1);
            assertThat(raised.get(0).alert().scope().province()).isEqualTo("CN-GD");
            assertThat(raised.get(0).alert().figures())
                    .containsEntry("laterLiabilities", "81600.00")
                    .containsEntry("liabilityRatio", "0.8160");
            List<MonthRelease> released = schedule.stream()
                    .filter(m -> !m.month().isBefore(YearMonth.of(2027, 1)))
                    .map(m -> new MonthRelease(m.month(), m.committed()))
                    .toList();
            List<AlertTransition> cleared = log.at(
                    "2026-08-01T00:00:00Z",
                    new HousingGrantTerminated(
                            launched.programId(),
                            "CN-GD",
                            "Zhuhai",
                            ProgramKind.HOUSING_SUBSIDY,
                            CurrencyCode.CNY,
                            GrantId.of("g1"),
                            "p-1",
                            "moved away",
                            YearMonth.of(2027, 1),
                            6,
                            null,
                            released,
                            zhuhai.money("81600.00"),
                            zhuhai.money("0.00"),
                            zhuhai.money("0.00")));
            assertThat(cleared).extracting(AlertTransition::kind).containsExactly(Kind.CLEARED);
            assertThat(cleared.get(0).alert().clearedAt()).isEqualTo(Instant.parse("2026-08-01T00:00:00Z"));
        }
    }

    @Nested
    @DisplayName("PAYMENT_ARREARS")
    class PaymentArrearsRule {

        /**
         * Of 10,000 disbursed, r1 (1,000, redeemed 2026-03-02T00:00Z) stays unsettled: payable for more than 30 days from
         * the first entry after 2026-04-01T00:00:00Z; 1,000 > 2 % of 10,000, raised; settling it clears.
         */
        @Test
        void paymentArrearsRaisesOnceRedemptionsAreUnpaidForMoreThanThirtyDays() {
            AlertHistory log = new AlertHistory(AlertCode.PAYMENT_ARREARS);
            log.at("2026-03-01T00:00:00Z", hangzhou.launched());
            log.at("2026-03-01T01:00:00Z", hangzhou.appropriate("100000.00", 2026));
            log.at("2026-03-01T02:00:00Z", hangzhou.issue("v1", FIRM_1, null, "10000.00", FAR));
            log.at("2026-03-02T00:00:00Z", hangzhou.redeem("v1", "r1", FIRM_1, null, "p1", null, "1000.00", "9000.00"));
            log.at("2026-03-03T00:00:00Z", hangzhou.redeem("v1", "r2", FIRM_1, null, "p1", null, "9000.00", "0.00"));
            log.at("2026-03-04T00:00:00Z", hangzhou.settle("v1", "r2", "p1", "9000.00"));
            assertThat(log.tick("2026-04-01T00:00:00Z"))
                    .as("exactly 30 days is not more than 30")
                    .isEmpty();

            List<AlertTransition> raised = log.tick("2026-04-01T00:00:01Z");
            assertThat(raised).hasSize(1);
            assertRaised(
                    raised.get(0),
                    AlertCode.PAYMENT_ARREARS,
                    AlertLevel.WARNING,
                    "2026-04-01T00:00:01Z",
                    hangzhou.launched().programId());
            assertThat(raised.get(0).alert().figures())
                    .containsExactly(
                            Map.entry("overduePayable", "1000.00"),
                            Map.entry("disbursed", "10000.00"),
                            Map.entry("arrearsRatio", "0.1000"),
                            Map.entry("threshold", "0.02"));

            assertCleared(
                    log.at("2026-04-05T00:00:00Z", hangzhou.settle("v1", "r1", "p1", "1000.00")),
                    AlertCode.PAYMENT_ARREARS,
                    "2026-04-05T00:00:00Z");
        }
    }

    @Nested
    @DisplayName("BENEFICIARY_CONCENTRATION")
    class BeneficiaryConcentrationRule {

        /**
         * One corporate group redeems 100 ten times: nothing until the tenth redemption (the minimum in scope), then raised
         * (one group holds 100 %). Eleven other firms redeem 400 each: with ten of them the top five hold 2,600 of 5,000
         * (52 %); the eleventh makes 2,600 of 5,400 (48.1 %, HHI 946.5), cleared.
         */
        @Test
        void beneficiaryConcentrationNeedsTenRedemptionsAndClearsWhenSpread() {
            AlertHistory log = new AlertHistory();
            log.at("2026-03-01T00:00:00Z", hangzhou.launched());
            log.at("2026-03-01T01:00:00Z", hangzhou.appropriate("1000000.00", 2026));
            log.at("2026-03-01T02:00:00Z", hangzhou.issue("big", FIRM_1, "grp-big", "100000.00", FAR));
            for (int i = 1; i <= 9; i++) {
                assertThat(log.at(
                                minute("2026-03-02", i),
                                hangzhou.redeem("big", "rb" + i, FIRM_1, "grp-big", "p" + i, null, "100.00", "0.01")))
                        .as("redemption %d", i)
                        .noneMatch(t -> t.alert().code() == AlertCode.BENEFICIARY_CONCENTRATION);
            }
            List<AlertTransition> raised = log
                    .at(
                            minute("2026-03-02", 10),
                            hangzhou.redeem("big", "rb10", FIRM_1, "grp-big", "p10", null, "100.00", "0.01"))
                    .stream()
                    .filter(t -> t.alert().code() == AlertCode.BENEFICIARY_CONCENTRATION)
                    .toList();
            assertThat(raised).hasSize(1);
            assertRaised(
                    raised.get(0),
                    AlertCode.BENEFICIARY_CONCENTRATION,
                    AlertLevel.WARNING,
                    minute("2026-03-02", 10),
                    null);
            assertThat(raised.get(0).alert().figures())
                    .containsExactly(
                            Map.entry("disbursed", "1000.00"),
                            Map.entry("topGroups", "1000.00"),
                            Map.entry("topGroupsShare", "1.0000"),
                            Map.entry("hhi", "10000.0000"),
                            Map.entry("groups", "1"),
                            Map.entry("redemptions", "10"));

            for (int i = 1; i <= 11; i++) {
                String firm = uscc(String.format("91330100MA2D%05d", i));
                log.at(minute("2026-03-03", 2 * i), hangzhou.issue("f" + i, firm, null, "400.00", FAR));
                List<AlertTransition> t = log
                        .at(
                                minute("2026-03-03", 2 * i + 1),
                                hangzhou.redeem("f" + i, "rf" + i, firm, null, "p-" + i, null, "400.00", "0.00"))
                        .stream()
                        .filter(x -> x.alert().code() == AlertCode.BENEFICIARY_CONCENTRATION)
                        .toList();
                if (i < 11) {
                    assertThat(t).as("after %d other firms", i).isEmpty();
                } else {
                    assertCleared(t, AlertCode.BENEFICIARY_CONCENTRATION, minute("2026-03-03", 23));
                }
            }
        }
    }

    @Nested
    @DisplayName("PROVIDER_CONCENTRATION")
    class ProviderConcentrationRule {

        /**
         * Six redemptions of 100 go to group grp-cloud — three with the group on the event, three through a provider whose
         * group comes from its accreditation — and four to ungrouped providers: at the tenth, grp-cloud holds 60 %,
         * raised. Single providers of 100 each dilute it: with 9 of them HHI is 10,000 × (600² + 9 × 100²) / 1,500² =
         * 2,000; with 10, 1,796.9 and 37.5 %: cleared at the sixteenth redemption.
         */
        @Test
        void providerConcentrationUsesProviderGroupsAndClearsWhenSpread() {
            AlertHistory log = new AlertHistory(AlertCode.PROVIDER_CONCENTRATION);
            log.at(
                    "2026-03-01T00:00:00Z",
                    new ProviderAccredited(
                            ProviderId.of("cloud-2"),
                            "Cloud Two",
                            uscc("91330100MA2C00007"),
                            ProviderKind.COMPUTE,
                            "grp-cloud",
                            "CN"));
            log.at("2026-03-01T00:00:01Z", hangzhou.launched());
            log.at("2026-03-01T01:00:00Z", hangzhou.appropriate("1000000.00", 2026));
            log.at("2026-03-01T02:00:00Z", hangzhou.issue("v1", FIRM_1, null, "100000.00", FAR));
            String[][] plan = {
                {"cloud-1", "grp-cloud"},
                {"cloud-1", "grp-cloud"},
                {"cloud-1", "grp-cloud"},
                {"cloud-2", null},
                {"cloud-2", null},
                {"cloud-2", null},
                {"solo-1", null},
                {"solo-2", null},
                {"solo-3", null},
                {"solo-4", null}
            };
            List<AlertTransition> raised = List.of();
            for (int i = 0; i < plan.length; i++) {
                raised = log.at(
                        minute("2026-03-02", i + 1),
                        hangzhou.redeem("v1", "r" + i, FIRM_1, null, plan[i][0], plan[i][1], "100.00", "1.00"));
                if (i < 9) {
                    assertThat(raised).as("redemption %d", i + 1).isEmpty();
                }
            }
            assertThat(raised).hasSize(1);
            assertRaised(
                    raised.get(0),
                    AlertCode.PROVIDER_CONCENTRATION,
                    AlertLevel.WARNING,
                    minute("2026-03-02", 10),
                    hangzhou.launched().programId());
            assertThat(raised.get(0).alert().figures())
                    .containsExactly(
                            Map.entry("redeemed", "1000.00"),
                            Map.entry("largestGroupAmount", "600.00"),
                            Map.entry("largestGroupShare", "0.6000"),
                            Map.entry("hhi", "4000.0000"),
                            Map.entry("groups", "5"),
                            Map.entry("redemptions", "10"));
            assertThat(raised.get(0).alert().message()).contains("grp-cloud");

            for (int i = 5; i <= 10; i++) {
                List<AlertTransition> t = log.at(
                        minute("2026-03-03", i),
                        hangzhou.redeem("v1", "rs" + i, FIRM_1, null, "solo-" + i, null, "100.00", "1.00"));
                if (i < 10) {
                    assertThat(t).as("with %d single providers", i).isEmpty();
                } else {
                    assertCleared(t, AlertCode.PROVIDER_CONCENTRATION, minute("2026-03-03", 10));
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static final String FIRM_1 = uscc("91330100MA2B00001");
    private static final String FIRM_2 = uscc("91330100MA2B00002");
    private static final String FIRM_3 = uscc("91330100MA2B00003");

    private static String minute(String day, int minute) {
        return day + "T" + String.format("%02d:%02d:00Z", minute / 60, minute % 60);
    }

    private static void assertRaised(
            AlertTransition t, AlertCode code, AlertLevel level, String at, ProgramId program) {
        assertThat(t.kind()).isEqualTo(Kind.RAISED);
        assertThat(t.alert().code()).isEqualTo(code);
        assertThat(t.alert().level()).isEqualTo(level);
        assertThat(t.alert().raisedAt()).isEqualTo(Instant.parse(at));
        assertThat(t.occurredAt()).isEqualTo(Instant.parse(at));
        assertThat(t.alert().clearedAt()).isNull();
        assertThat(t.alert().scope().programId()).isEqualTo(program);
        assertThat(t.alert().scope().province()).isEqualTo("CN-ZJ");
        assertThat(t.alert().message()).isNotBlank();
    }

    private static void assertCleared(List<AlertTransition> transitions, AlertCode code, String at) {
        assertThat(transitions).hasSize(1);
        AlertTransition t = transitions.get(0);
        assertThat(t.kind()).isEqualTo(Kind.CLEARED);
        assertThat(t.alert().code()).isEqualTo(code);
        assertThat(t.alert().clearedAt()).isEqualTo(Instant.parse(at));
        assertThat(t.alert().raisedAt()).isBefore(Instant.parse(at));
    }
}
