package org.subsidyledger.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.core.support.TestData.ALIYUN;
import static org.subsidyledger.core.support.TestData.FIRM_A;
import static org.subsidyledger.core.support.TestData.G1;
import static org.subsidyledger.core.support.TestData.HANGZHOU;
import static org.subsidyledger.core.support.TestData.R1;
import static org.subsidyledger.core.support.TestData.R2;
import static org.subsidyledger.core.support.TestData.V1;
import static org.subsidyledger.core.support.TestData.V2;
import static org.subsidyledger.core.support.TestData.ZHUHAI;
import static org.subsidyledger.core.support.TestData.ZHUHAI_HEADER;
import static org.subsidyledger.core.support.TestData.appropriated;
import static org.subsidyledger.core.support.TestData.cny;
import static org.subsidyledger.core.support.TestData.firm;
import static org.subsidyledger.core.support.TestData.hangzhouLaunched;
import static org.subsidyledger.core.support.TestData.talent;
import static org.subsidyledger.core.support.TestData.zhuhaiLaunched;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingMonthsLapsed;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.housing.MonthRelease;
import org.subsidyledger.core.housing.ScheduledMonth;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherEvent.ComputeRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.RedemptionSettled;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;

/**
 * Issue 17: the verifier's budget identity is a real check between the flows and what the events state, at every
 * entry, and each event's arithmetic is checked against what came before it. A history as the program writes it
 * passes; each edit below — the kind someone with database rights could make consistently to an unsealed entry —
 * is found at the entry edited, never later.
 */
class IdentityCheckTest {
    private static final String ZJ = "CN-ZJ";
    private static final Ratio RATIO = Ratio.of("0.30");

    /** Compute vouchers (0–7) and housing (8–13), as the program aggregates write them. */
    private static List<ProgramStreamEvent> history() {
        List<ProgramStreamEvent> events = new ArrayList<>();
        events.add(hangzhouLaunched());
        events.add(appropriated(hangzhouLaunched(), "100000.00"));
        events.add(issued(V1, "10000.00"));
        events.add(redeemed(V1, R1, "1000.00", "300.00", "9700.00"));
        events.add(new RedemptionSettled(
                HANGZHOU,
                ZJ,
                "Hangzhou",
                ProgramKind.COMPUTE_VOUCHER,
                CurrencyCode.CNY,
                V1,
                R1,
                ALIYUN,
                Payee.BENEFICIARY,
                cny("300.00"),
                "pay-1"));
        events.add(redeemed(V1, R2, "40000.00", "9700.00", "0.00"));
        events.add(issued(V2, "5000.00"));
        events.add(revoked(V2, "5000.00", "0.00", "5000.00"));
        events.add(zhuhaiLaunched(12));
        events.add(appropriated(zhuhaiLaunched(12), "200000.00"));
        events.add(granted());
        events.add(paid("2026-07", "4000.00", "4000.00", "1000.00", null));
        events.add(new HousingMonthsLapsed(
                ZHUHAI_HEADER,
                G1,
                "p-1",
                List.of(new MonthRelease(YearMonth.of(2026, 8), cny("5000.00"))),
                cny("5000.00")));
        // Effective 2026-10: months served 3 of 12, paid 4000.00 → clawback 4000 × 9/12 = 3000.00.
        events.add(new HousingGrantTerminated(
                ZHUHAI_HEADER,
                G1,
                "p-1",
                "moved",
                YearMonth.of(2026, 10),
                3,
                12,
                List.of(
                        new MonthRelease(YearMonth.of(2026, 10), cny("5000.00")),
                        new MonthRelease(YearMonth.of(2026, 11), cny("2000.00"))),
                cny("7000.00"),
                cny("4000.00"),
                cny("3000.00")));
        // A month before effectiveMonth claimed after the termination raises the clawback: paid 8000 → 6000.00.
        events.add(paid("2026-09", "4000.00", "4000.00", "1000.00", "6000.00"));
        return events;
    }

    @Test
    void aHistoryAsTheProgramWritesItHoldsAtEveryEntry() {
        IdentityCheck check = run(history());
        assertThat(check.firstFinding()).isNull();
        assertThat(check.programs()).isEqualTo(2);
    }

    @Test
    void aReleaseShortOfWhatTheVoucherHeldBreaksTheIdentityThere() {
        IdentityCheck check = run(edit(7, e -> revoked(V2, "5000.00", "0.00", "4999.00")));
        IdentityCheck.Finding finding = check.firstFinding();
        assertThat(finding.globalIndex()).isEqualTo(7);
        assertThat(finding.programId()).isEqualTo(HANGZHOU);
        assertThat(finding.issuedAndGranted()).isEqualTo(cny("15000.00"));
        assertThat(finding.committedDisbursedReleased()).isEqualTo(cny("14999.00"));
        assertThat(finding.problems().get(0))
                .isEqualTo("the budget identity breaks: Σ issued + Σ granted = 15000.00"
                        + " but committed + disbursed + released = 0.00 + 10000.00 + 4999.00 = 14999.00");
        assertThat(finding.problems()).contains("VoucherRevoked releases 4999.00 CNY where v-2 held 5000.00 CNY");
    }

    @Test
    void aRedemptionWhoseRemainingDoesNotFollowFromItsSubsidyBreaksTheIdentity() {
        IdentityCheck.Finding finding = run(edit(3, e -> redeemed(V1, R1, "1000.00", "300.00", "9800.00")))
                .firstFinding();
        assertThat(finding.globalIndex()).isEqualTo(3);
        assertThat(finding.committedDisbursedReleased()).isEqualTo(cny("10100.00"));
        assertThat(finding.problems())
                .anyMatch(p -> p.startsWith("the budget identity breaks"))
                .contains("ComputeRedeemed r-1 leaves 9800.00 CNY where 10000.00 − 300.00 = 9700.00 CNY");
    }

    @Test
    void aSubsidyAndRemainingEditedTogetherKeepTheIdentityButNotTheArithmetic() {
        IdentityCheck.Finding finding = run(edit(3, e -> redeemed(V1, R1, "1000.00", "299.00", "9701.00")))
                .firstFinding();
        assertThat(finding.globalIndex()).isEqualTo(3);
        assertThat(finding.issuedAndGranted()).isEqualTo(finding.committedDisbursedReleased());
        assertThat(finding.problems())
                .containsExactly("ComputeRedeemed r-1 pays a subsidy of 299.00 CNY where"
                        + " min(round(1000.00 × 0.30), remaining 10000.00) = 300.00 CNY");
    }

    @Test
    void aSubsidyBeyondWhatTheVoucherHeldIsFound() {
        IdentityCheck.Finding finding = run(edit(5, e -> redeemed(V1, R2, "40000.00", "12000.00", "0.00")))
                .firstFinding();
        assertThat(finding.globalIndex()).isEqualTo(5);
        assertThat(finding.problems()).anyMatch(p -> p.contains("remaining 9700.00) = 9700.00 CNY"));
    }

    @Test
    void aSecondSettlementOfOneRedemptionIsFound() {
        List<ProgramStreamEvent> events = history();
        events.add(5, events.get(4));
        IdentityCheck.Finding finding = run(events).firstFinding();
        assertThat(finding.globalIndex()).isEqualTo(5);
        assertThat(finding.problems())
                .containsExactly("RedemptionSettled settles r-1, which is not an unpaid" + " redemption");
    }

    @Test
    void anIssueBeyondTheAppropriationLeavesAvailableBelowZero() {
        IdentityCheck.Finding finding =
                run(edit(6, e -> issued(V2, "95000.00"))).firstFinding();
        assertThat(finding.globalIndex()).isEqualTo(6);
        assertThat(finding.problems()).containsExactly("available is -5000.00, below zero");
    }

    @Test
    void aHousingPaymentMovedBetweenAmountAndReleasedIsFound() {
        IdentityCheck.Finding finding = run(edit(11, e -> paid("2026-07", "4000.00", "3900.00", "1100.00", null)))
                .firstFinding();
        assertThat(finding.globalIndex()).isEqualTo(11);
        assertThat(finding.problems())
                .containsExactly("HousingSubsidyPaid pays 3900.00 CNY and releases 1100.00 CNY"
                        + " for 2026-07 where min(round(4000.00 × 1.0), 5000.00) = 4000.00 CNY and the month committed"
                        + " 5000.00 CNY");
    }

    @Test
    void aLapseShortOfTheMonthsCommitmentBreaksTheIdentity() {
        IdentityCheck.Finding finding = run(edit(
                        12,
                        e -> new HousingMonthsLapsed(
                                ZHUHAI_HEADER,
                                G1,
                                "p-1",
                                List.of(new MonthRelease(YearMonth.of(2026, 8), cny("4000.00"))),
                                cny("4000.00"))))
                .firstFinding();
        assertThat(finding.globalIndex()).isEqualTo(12);
        assertThat(finding.programId()).isEqualTo(ZHUHAI);
        assertThat(finding.problems())
                .anyMatch(p -> p.startsWith("the budget identity breaks"))
                .contains("HousingMonthsLapsed releases 4000.00 CNY for 2026-08, which committed 5000.00 CNY");
    }

    @Test
    void aScheduleEditedWithItsTotalIsFoundAtTheGrant() {
        IdentityCheck.Finding finding = run(edit(10, e -> {
                    HousingSubsidyGranted g = granted();
                    List<ScheduledMonth> schedule = new ArrayList<>(g.schedule());
                    schedule.set(0, new ScheduledMonth(YearMonth.of(2026, 7), 1, Ratio.of("1.0"), cny("6000.00")));
                    return new HousingSubsidyGranted(
                            ZHUHAI_HEADER,
                            G1,
                            talent("p-1"),
                            YearMonth.of(2026, 7),
                            cny("6000.00"),
                            3,
                            12,
                            schedule,
                            cny("23000.00"));
                }))
                .firstFinding();
        assertThat(finding.globalIndex()).isEqualTo(10);
        assertThat(finding.problems())
                .containsExactly("HousingSubsidyGranted commits 6000.00 CNY at rate 1.0 for"
                        + " 2026-07 where min(monthlyRent, monthlyRentCap) × 1.0 = 5000.00 CNY");
    }

    @Test
    void aClawbackOtherThanSpec11GivesIsFound() {
        List<ProgramStreamEvent> events = history();
        HousingSubsidyPaid late = (HousingSubsidyPaid) events.get(14);
        events.set(14, paid("2026-09", "4000.00", "4000.00", "1000.00", "3000.00"));
        IdentityCheck.Finding finding = run(events).firstFinding();
        assertThat(late.clawbackDue()).isEqualTo(cny("6000.00"));
        assertThat(finding.globalIndex()).isEqualTo(14);
        assertThat(finding.problems())
                .containsExactly("HousingSubsidyPaid states a clawback due of 3000.00 CNY where"
                        + " SPEC §11 gives 6000.00 CNY");
    }

    @Test
    void anEventForAVoucherNeverIssuedIsFound() {
        IdentityCheck.Finding finding = run(edit(
                        7,
                        e -> new VoucherExpired(
                                HANGZHOU,
                                ZJ,
                                "Hangzhou",
                                ProgramKind.COMPUTE_VOUCHER,
                                CurrencyCode.CNY,
                                VoucherId.of("v-9"),
                                Instant.EPOCH,
                                cny("5000.00"),
                                cny("0.00"),
                                cny("5000.00"))))
                .firstFinding();
        assertThat(finding.globalIndex()).isEqualTo(7);
        assertThat(finding.problems()).contains("VoucherExpired releases v-9, which the log never issued");
    }

    private static List<ProgramStreamEvent> edit(int index, UnaryOperator<ProgramStreamEvent> change) {
        List<ProgramStreamEvent> events = history();
        events.set(index, change.apply(events.get(index)));
        return events;
    }

    private static IdentityCheck run(List<ProgramStreamEvent> events) {
        IdentityCheck check = new IdentityCheck();
        for (int i = 0; i < events.size(); i++) {
            check.accept(i, events.get(i));
        }
        return check;
    }

    private static VoucherIssued issued(VoucherId id, String faceValue) {
        return new VoucherIssued(
                HANGZHOU,
                ZJ,
                "Hangzhou",
                ProgramKind.COMPUTE_VOUCHER,
                CurrencyCode.CNY,
                id,
                firm(FIRM_A, "software", null),
                FIRM_A,
                cny(faceValue),
                RATIO,
                Payee.BENEFICIARY,
                2026,
                Instant.parse("2027-01-01T00:00:00Z"));
    }

    private static ComputeRedeemed redeemed(
            VoucherId id, RedemptionId redemption, String invoice, String subsidy, String remaining) {
        return new ComputeRedeemed(
                HANGZHOU,
                ZJ,
                "Hangzhou",
                ProgramKind.COMPUTE_VOUCHER,
                CurrencyCode.CNY,
                id,
                redemption,
                FIRM_A,
                FIRM_A,
                "c-1",
                "inv-" + redemption.value(),
                ALIYUN,
                "grp",
                cny(invoice),
                BigDecimal.TEN,
                RATIO,
                cny(subsidy),
                cny(remaining),
                Payee.BENEFICIARY);
    }

    private static VoucherRevoked revoked(VoucherId id, String faceValue, String redeemed, String released) {
        return new VoucherRevoked(
                HANGZHOU,
                ZJ,
                "Hangzhou",
                ProgramKind.COMPUTE_VOUCHER,
                CurrencyCode.CNY,
                id,
                cny(faceValue),
                cny(redeemed),
                cny(released),
                "fraud");
    }

    /** Rent 6000.00 capped at 5000.00, at rate 1.0; the recipient's cap left room for 22,000.00: five months. */
    private static HousingSubsidyGranted granted() {
        List<ScheduledMonth> schedule = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            schedule.add(new ScheduledMonth(
                    YearMonth.of(2026, 7).plusMonths(i), 1, Ratio.of("1.0"), cny(i == 4 ? "2000.00" : "5000.00")));
        }
        return new HousingSubsidyGranted(
                ZHUHAI_HEADER,
                G1,
                talent("p-1"),
                YearMonth.of(2026, 7),
                cny("6000.00"),
                3,
                12,
                schedule,
                cny("22000.00"));
    }

    private static HousingSubsidyPaid paid(
            String month, String rentPaid, String amount, String released, String clawbackDue) {
        return new HousingSubsidyPaid(
                ZHUHAI_HEADER,
                G1,
                "p-1",
                YearMonth.parse(month),
                1,
                Ratio.of("1.0"),
                cny(rentPaid),
                "lease-" + month,
                cny("5000.00"),
                cny(amount),
                cny(released),
                clawbackDue == null ? null : cny(clawbackDue));
    }
}
