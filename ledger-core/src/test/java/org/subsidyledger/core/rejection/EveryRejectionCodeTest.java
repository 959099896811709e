package org.subsidyledger.core.rejection;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.core.support.RejectionMatchers.rejectedWith;
import static org.subsidyledger.core.support.TestData.*;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.subsidyledger.core.housing.HousingCommands.ClaimHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.TerminateHousingGrant;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.CloseProgram;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.program.ProgramCommands.RescindFunds;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.program.approval.ApprovalCommands.ApproveRequest;
import org.subsidyledger.core.program.approval.ApprovalEvent;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRejected;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRequested;
import org.subsidyledger.core.program.approval.ApprovalPolicy;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.LedgerIndex.ContractKey;
import org.subsidyledger.core.shared.LedgerIndex.InvoiceKey;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.RequestId;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.support.TestData;
import org.subsidyledger.core.support.TestLedgerIndex;
import org.subsidyledger.core.voucher.ModelUsage;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemModelAccess;
import org.subsidyledger.core.voucher.VoucherCommands.RevokeVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.SettleRedemption;

/**
 * One scenario per rejection code: the command is rejected with exactly that code and appends nothing. Walks the
 * whole {@link RejectionCode} enum, so a code added to the domain without a scenario here fails the build; codes
 * that only the HTTP layer decides are listed by name and must stay out of the domain.
 */
class EveryRejectionCodeTest {
    private static final Set<RejectionCode> DECIDED_OUTSIDE_THE_DOMAIN = EnumSet.of(
            RejectionCode.UNAUTHENTICATED,
            RejectionCode.FORBIDDEN,
            RejectionCode.IDEMPOTENCY_CONFLICT,
            RejectionCode.IDEMPOTENCY_IN_PROGRESS,
            RejectionCode.OVERLOADED);

    private static final Instant NOW = MARCH_2026;
    private static final YearMonth MARCH = YearMonth.of(2026, 3);
    private static final String FIRM_GAMING = FIRM_C;

    /** Given commands (against a fresh Hangzhou or Zhuhai program), an index, and the command that is rejected. */
    private record Scenario(
            ProgramLaunched program,
            List<Object> given,
            Object when,
            Function<TestLedgerIndex, TestLedgerIndex> index,
            Duration later) {
        Scenario(ProgramLaunched program, List<Object> given, Object when) {
            this(program, given, when, i -> i, Duration.ZERO);
        }
    }

    private static final Object ISSUE_V1 =
            new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), cny("1000.00"));
    private static final Object REDEEM_R1 =
            new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("1000.00"), null);
    private static final Object GRANT_G1 = new GrantHousingSubsidy(ZHUHAI, G1, talent("p-1"), MARCH, cny("4000.00"));

    private static final RequestId REQ = RequestId.of("req-1");
    /** A pending request for 300,000.00 of appropriation made by alice, given as its event (its id is random). */
    private static final ApprovalRequested REQUESTED = new ApprovalRequested(
            hangzhouLaunched().header(),
            REQ,
            new AppropriateFunds(HANGZHOU, cny("300000.00"), "top-up"),
            cny("300000.00"),
            cny("100000.00"),
            "alice",
            NOW.plus(ApprovalPolicy.DEFAULT_REQUEST_LIFETIME));

    private static final Map<RejectionCode, Scenario> SCENARIOS = Map.ofEntries(
            entry(
                    RejectionCode.FOUR_EYES_REQUIRED,
                    new Scenario(hangzhouLaunched(), funded(REQUESTED), new ApproveRequest(HANGZHOU, REQ, "alice"))),
            entry(
                    RejectionCode.REQUEST_DECIDED,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(
                                    REQUESTED,
                                    new ApprovalRejected(
                                            hangzhouLaunched().header(),
                                            REQ,
                                            "AppropriateFunds",
                                            cny("300000.00"),
                                            "alice",
                                            "bob",
                                            "not this year")),
                            new ApproveRequest(HANGZHOU, REQ, "bob"))),
            entry(
                    RejectionCode.REQUEST_EXPIRED,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(REQUESTED),
                            new ApproveRequest(HANGZHOU, REQ, "bob"),
                            i -> i,
                            ApprovalPolicy.DEFAULT_REQUEST_LIFETIME)),
            entry(
                    RejectionCode.VALIDATION_FAILED,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(),
                            new IssueVoucher(
                                    HANGZHOU, V1, firm("91330100481998296C", "software", null), cny("1000.00")))),
            entry(RejectionCode.NOT_FOUND, new Scenario(hangzhouLaunched(), funded(), REDEEM_R1)),
            entry(RejectionCode.ALREADY_EXISTS, new Scenario(hangzhouLaunched(), funded(ISSUE_V1), ISSUE_V1)),
            entry(
                    RejectionCode.PROGRAM_CLOSED,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(new CloseProgram(HANGZHOU, "measure ended")),
                            new AppropriateFunds(HANGZHOU, cny("1.00"), "top-up"))),
            entry(
                    RejectionCode.VOUCHER_REVOKED,
                    new Scenario(
                            hangzhouLaunched(), funded(ISSUE_V1, new RevokeVoucher(HANGZHOU, V1, "fraud")), REDEEM_R1)),
            entry(
                    RejectionCode.VOUCHER_EXPIRED,
                    new Scenario(hangzhouLaunched(), funded(ISSUE_V1), REDEEM_R1, i -> i, Duration.ofDays(365))),
            entry(
                    RejectionCode.GRANT_TERMINATED,
                    new Scenario(
                            zhuhaiLaunched(null),
                            fundedZhuhai(GRANT_G1, new TerminateHousingGrant(ZHUHAI, G1, "left", MARCH)),
                            new ClaimHousingSubsidy(ZHUHAI, G1, MARCH, cny("4000.00"), "lease-1"))),
            entry(
                    RejectionCode.WRONG_PROGRAM_KIND,
                    new Scenario(
                            zhuhaiLaunched(null),
                            fundedZhuhai(),
                            new IssueVoucher(ZHUHAI, V1, firm(FIRM_A, "software", null), cny("1000.00")))),
            entry(
                    RejectionCode.WRONG_VOUCHER_KIND,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(ISSUE_V1),
                            new RedeemModelAccess(
                                    HANGZHOU,
                                    V1,
                                    R1,
                                    "c-1",
                                    "inv-1",
                                    VENDOR,
                                    MODEL,
                                    cny("1000.00"),
                                    ModelUsage.API_ACCESS))),
            entry(
                    RejectionCode.CURRENCY_MISMATCH,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(),
                            new AppropriateFunds(HANGZHOU, usd("1.00"), "wrong currency"))),
            entry(
                    RejectionCode.PROVIDER_NOT_ACCREDITED,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(ISSUE_V1),
                            new RedeemCompute(
                                    HANGZHOU, V1, R1, "c-1", "inv-1", ProviderId.of("nobody"), cny("1000.00"), null))),
            entry(
                    RejectionCode.MODEL_NOT_REGISTERED,
                    new Scenario(
                            beijingModelLaunched(),
                            List.of(
                                    new AppropriateFunds(BJ_MODEL, cny("1000000.00"), "pool"),
                                    new IssueVoucher(BJ_MODEL, V1, firm(FIRM_A, "finance", null), cny("1000.00"))),
                            new RedeemModelAccess(
                                    BJ_MODEL,
                                    V1,
                                    R1,
                                    "c-1",
                                    "inv-1",
                                    VENDOR,
                                    FilingNo.of("unfiled-model"),
                                    cny("1000.00"),
                                    ModelUsage.LICENSE))),
            entry(
                    RejectionCode.RELATED_PARTY,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(ISSUE_V1),
                            new RedeemCompute(
                                    HANGZHOU, V1, R1, "c-1", "inv-1", ProviderId.of("self"), cny("1000.00"), null),
                            i -> i.accredit(ProviderId.of("self"), ProviderKind.COMPUTE, FIRM_A, null),
                            Duration.ZERO)),
            entry(
                    RejectionCode.INELIGIBLE_SECTOR,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(),
                            new IssueVoucher(HANGZHOU, V1, firm(FIRM_GAMING, "gaming", null), cny("1000.00")))),
            entry(
                    RejectionCode.MONTH_NOT_COVERED,
                    new Scenario(
                            zhuhaiLaunched(null),
                            fundedZhuhai(GRANT_G1),
                            new ClaimHousingSubsidy(ZHUHAI, G1, MARCH.minusMonths(1), cny("4000.00"), "lease-1"))),
            entry(
                    RejectionCode.CLAIM_IN_FUTURE,
                    new Scenario(
                            zhuhaiLaunched(null),
                            fundedZhuhai(GRANT_G1),
                            new ClaimHousingSubsidy(ZHUHAI, G1, MARCH.plusMonths(1), cny("4000.00"), "lease-1"))),
            entry(
                    RejectionCode.DUPLICATE_CONTRACT,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(ISSUE_V1),
                            REDEEM_R1,
                            i -> i.bindContract(new ContractKey("CN-ZJ", ALIYUN, "c-1"), VoucherId.of("other-voucher")),
                            Duration.ZERO)),
            entry(
                    RejectionCode.DUPLICATE_INVOICE,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(ISSUE_V1),
                            REDEEM_R1,
                            i -> i.payInvoice(new InvoiceKey(TestData.ALIYUN_IDENTITY, "inv-1")),
                            Duration.ZERO)),
            entry(
                    RejectionCode.DUPLICATE_CLAIM,
                    new Scenario(
                            zhuhaiLaunched(null),
                            fundedZhuhai(
                                    GRANT_G1, new ClaimHousingSubsidy(ZHUHAI, G1, MARCH, cny("4000.00"), "lease-1")),
                            new ClaimHousingSubsidy(ZHUHAI, G1, MARCH, cny("4000.00"), "lease-1"))),
            entry(
                    RejectionCode.ALREADY_SETTLED,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(ISSUE_V1, REDEEM_R1, new SettleRedemption(HANGZHOU, V1, R1, "pay-1")),
                            new SettleRedemption(HANGZHOU, V1, R1, "pay-2"))),
            entry(
                    RejectionCode.VOUCHER_EXHAUSTED,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(
                                    ISSUE_V1,
                                    new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("5000.00"), null)),
                            new RedeemCompute(HANGZHOU, V1, R2, "c-1", "inv-2", ALIYUN, cny("5000.00"), null))),
            // 0.01 × 0.30 = 0.003 → 0.00
            entry(
                    RejectionCode.SUBSIDY_ROUNDS_TO_ZERO,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(ISSUE_V1),
                            new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("0.01"), null))),
            entry(
                    RejectionCode.VOUCHER_VALUE_CAP_EXCEEDED,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(),
                            new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), cny("8000000.01")))),
            entry(
                    RejectionCode.BENEFICIARY_CAP_EXCEEDED,
                    new Scenario(
                            hangzhouLaunched(),
                            funded(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), cny("8000000.00"))),
                            new IssueVoucher(HANGZHOU, V2, firm(FIRM_A, "software", null), cny("0.01")))),
            // The first grant's three years use the whole 120,000 cap; the second starts after them.
            entry(
                    RejectionCode.RECIPIENT_CAP_EXCEEDED,
                    new Scenario(
                            zhuhaiLaunched(null),
                            fundedZhuhai(new GrantHousingSubsidy(ZHUHAI, G1, talent("p-1"), MARCH, cny("20000.00"))),
                            new GrantHousingSubsidy(ZHUHAI, G2, talent("p-1"), MARCH.plusMonths(36), cny("4000.00")))),
            entry(
                    RejectionCode.DUPLICATE_GRANT,
                    new Scenario(
                            zhuhaiLaunched(null),
                            fundedZhuhai(GRANT_G1),
                            new GrantHousingSubsidy(ZHUHAI, G2, talent("p-1"), MARCH.plusMonths(35), cny("4000.00")))),
            entry(
                    RejectionCode.BUDGET_EXCEEDED,
                    new Scenario(
                            hangzhouLaunched(),
                            List.of(new AppropriateFunds(HANGZHOU, cny("999.99"), "small pool")),
                            ISSUE_V1)),
            entry(
                    RejectionCode.BUDGET_COMMITTED,
                    new Scenario(
                            hangzhouLaunched(),
                            List.of(new AppropriateFunds(HANGZHOU, cny("1500.00"), "pool"), ISSUE_V1),
                            new RescindFunds(HANGZHOU, cny("500.01"), "cut"))));

    @ParameterizedTest
    @EnumSource(RejectionCode.class)
    void everyRejectionCodeIsDecidedSomewhereAndAppendsNothing(RejectionCode code) {
        if (DECIDED_OUTSIDE_THE_DOMAIN.contains(code)) {
            assertThat(code.decidedByDomain()).isFalse();
            assertThat(SCENARIOS).doesNotContainKey(code);
            return;
        }
        assertThat(code.decidedByDomain()).isTrue();
        assertThat(SCENARIOS).as("a scenario proving %s", code).containsKey(code);
        Scenario scenario = SCENARIOS.get(code);
        AggregateTestFixture<Program> fixture = new AggregateTestFixture<>(Program.class);
        fixture.registerInjectableResource(ApprovalPolicy.standard());
        fixture.registerInjectableResource(scenario.index().apply(registries()));
        ProgramLaunched p = scenario.program();
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(new LaunchProgram(
                        p.programId(), p.name(), p.programKind(), p.province(), p.city(), p.currency(), p.rules()))
                .andGivenCommands(scenario.given().stream()
                        .filter(g -> !(g instanceof ApprovalEvent))
                        .toList())
                .andGiven(scenario.given().stream()
                        .filter(g -> g instanceof ApprovalEvent)
                        .toList())
                .andGivenCurrentTime(NOW.plus(scenario.later()))
                .when(scenario.when())
                .expectNoEvents()
                .expectException(rejectedWith(code));
    }

    private static List<Object> funded(Object... more) {
        return concat(new AppropriateFunds(HANGZHOU, cny("250000000.00"), "HZ-2026-compute-pool"), more);
    }

    private static List<Object> fundedZhuhai(Object... more) {
        return concat(new AppropriateFunds(ZHUHAI, cny("10000000.00"), "ZH-2026-housing"), more);
    }

    private static List<Object> concat(Object first, Object... more) {
        List<Object> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(more));
        return all;
    }
}
