package org.subsidyledger.core.voucher;

import static org.subsidyledger.core.support.TestData.*;

import java.time.Duration;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.program.approval.ApprovalPolicy;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.support.TestData;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.core.voucher.VoucherEvent.ComputeRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;

class VoucherSmokeTest {
    @Test
    void issuesAndRedeemsWithinBudget() {
        AggregateTestFixture<Program> fixture = new AggregateTestFixture<>(Program.class);
        fixture.registerInjectableResource(ApprovalPolicy.standard());
        fixture.registerInjectableResource(TestData.registries());
        VoucherIssued issued = new VoucherIssued(
                HANGZHOU,
                "CN-ZJ",
                "Hangzhou",
                ProgramKind.COMPUTE_VOUCHER,
                CurrencyCode.CNY,
                V1,
                firm(FIRM_A, "software", null),
                null,
                cny("1000000.00"),
                hangzhouRules().coverageRatio(),
                Payee.BENEFICIARY,
                2026,
                MARCH_2026.plus(Duration.ofDays(365)));
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(hangzhouLaunched(), appropriated(hangzhouLaunched(), "250000000.00"))
                .when(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), cny("1000000.00")))
                .expectSuccessfulHandlerExecution()
                .expectEvents(issued);
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(hangzhouLaunched(), appropriated(hangzhouLaunched(), "250000000.00"), issued)
                .when(new RedeemCompute(HANGZHOU, V1, R1, "c-1", "inv-1", ALIYUN, cny("100000.00"), null))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        Matchers.predicate(e -> e instanceof ComputeRedeemed c
                                && c.subsidy().equals(cny("30000.00"))
                                && c.remaining().equals(cny("970000.00"))),
                        Matchers.andNoMore())));
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(hangzhouLaunched(), appropriated(hangzhouLaunched(), "500000.00"))
                .when(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), cny("1000000.00")))
                .expectNoEvents()
                .expectException(LedgerRejection.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("exceeds the"));
    }
}
