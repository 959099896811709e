package org.subsidyledger.core.program.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.core.support.RejectionMatchers.rejectedWith;
import static org.subsidyledger.core.support.TestData.FIRM_A;
import static org.subsidyledger.core.support.TestData.FIRM_B;
import static org.subsidyledger.core.support.TestData.G1;
import static org.subsidyledger.core.support.TestData.HANGZHOU;
import static org.subsidyledger.core.support.TestData.MARCH_2026;
import static org.subsidyledger.core.support.TestData.V1;
import static org.subsidyledger.core.support.TestData.V2;
import static org.subsidyledger.core.support.TestData.ZHUHAI;
import static org.subsidyledger.core.support.TestData.cny;
import static org.subsidyledger.core.support.TestData.firm;
import static org.subsidyledger.core.support.TestData.hangzhouLaunched;
import static org.subsidyledger.core.support.TestData.hangzhouRules;
import static org.subsidyledger.core.support.TestData.talent;
import static org.subsidyledger.core.support.TestData.usd;
import static org.subsidyledger.core.support.TestData.zhuhaiLaunched;
import static org.subsidyledger.core.support.TestData.zhuhaiRules;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.program.ProgramCommands.RescindFunds;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.program.approval.ApprovalCommands.ApproveRequest;
import org.subsidyledger.core.program.approval.ApprovalCommands.RejectRequest;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalGranted;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRejected;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRequested;
import org.subsidyledger.core.shared.ApprovableCommand;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.RequestId;
import org.subsidyledger.core.support.TestData;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;

/** Four eyes on a program: thresholds at, below and above, maker and checker, expiry, and the state at approval. */
@DisplayName("Four-eyes approval")
class ApprovalCommandsTest {
    private static final Money THRESHOLD = cny("100000.00");
    private static final MetaData ALICE = MetaData.with("principal", "alice");
    private static final RequestId REQ = RequestId.of("req-1");

    private AggregateTestFixture<Program> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Program.class);
        fixture.registerInjectableResource(ApprovalPolicy.standard());
        fixture.registerInjectableResource(TestData.registries());
    }

    private static ProgramLaunched hangzhouWithThreshold() {
        ProgramLaunched p = hangzhouLaunched();
        return new ProgramLaunched(
                p.programId(),
                p.name(),
                p.programKind(),
                p.province(),
                p.city(),
                p.currency(),
                hangzhouRules().withApprovalThreshold(THRESHOLD));
    }

    private static FundsAppropriated funds(String amount) {
        return new FundsAppropriated(hangzhouWithThreshold().header(), cny(amount), "pool", 2026);
    }

    private static IssueVoucher issue(String faceValue) {
        return new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "software", null), cny(faceValue));
    }

    private static ApprovalRequested requested(Object command, String amount, Instant at) {
        return new ApprovalRequested(
                hangzhouWithThreshold().header(),
                REQ,
                (ApprovableCommand) command,
                cny(amount),
                THRESHOLD,
                "alice",
                at.plus(ApprovalPolicy.DEFAULT_REQUEST_LIFETIME));
    }

    /** The one event appended is a request for {@code command}, made by alice, and nothing was committed. */
    private static void isRequestFor(ResultValidator<Program> result, Object command, String amount) {
        result.expectSuccessfulHandlerExecution()
                .expectEventsMatching(Matchers.predicate(events -> {
                    List<?> list = (List<?>) events;
                    if (list.size() != 1) {
                        return false;
                    }
                    Object payload = ((EventMessage<?>) list.get(0)).getPayload();
                    return payload instanceof ApprovalRequested r
                            && r.command().equals(command)
                            && r.amount().equals(cny(amount))
                            && r.threshold().equals(THRESHOLD)
                            && r.maker().equals("alice")
                            && r.expiresAt().equals(MARCH_2026.plus(Duration.ofDays(14)));
                }))
                .expectResultMessagePayloadMatching(Matchers.predicate(p -> p instanceof ApprovalRequested));
    }

    @Test
    void belowTheThresholdTheVoucherIsIssuedAtOnce() {
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(hangzhouWithThreshold(), funds("1000000.00"))
                .when(issue("99999.99"), ALICE)
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        Matchers.matches(p -> p instanceof VoucherIssued), Matchers.andNoMore())))
                .expectState(program ->
                        assertThat(program.undecidedApprovalExpiries()).isEmpty());
    }

    @Test
    void atTheThresholdTheCommandBecomesARequestThatReservesNothing() {
        IssueVoucher command = issue("100000.00");
        ResultValidator<Program> result = fixture.givenCurrentTime(MARCH_2026)
                .andGiven(hangzhouWithThreshold(), funds("1000000.00"))
                .when(command, ALICE);
        isRequestFor(result, command, "100000.00");
        result.expectState(program -> {
            assertThat(program.available()).isEqualTo(cny("1000000.00"));
            assertThat(program.findVoucher(V1)).isEmpty();
            assertThat(ApprovalBook.waitingAt(program.undecidedApprovalExpiries(), MARCH_2026))
                    .isEqualTo(1);
            assertThat(ApprovalBook.waitingAt(
                            program.undecidedApprovalExpiries(), MARCH_2026.plus(Duration.ofDays(14))))
                    .as("expired")
                    .isZero();
        });
    }

    @Test
    void aboveTheThresholdAppropriationsAndRescissionsBecomeRequestsToo() {
        AppropriateFunds appropriate = new AppropriateFunds(HANGZHOU, cny("500000.00"), "top-up");
        isRequestFor(
                fixture.givenCurrentTime(MARCH_2026)
                        .andGiven(hangzhouWithThreshold())
                        .when(appropriate, ALICE),
                appropriate,
                "500000.00");
        RescindFunds rescind = new RescindFunds(HANGZHOU, cny("100000.01"), "cut");
        isRequestFor(
                fixture.givenCurrentTime(MARCH_2026)
                        .andGiven(hangzhouWithThreshold(), funds("1000000.00"))
                        .when(rescind, ALICE),
                rescind,
                "100000.01");
    }

    @Test
    void aRequestThatBreaksARuleNowIsRefusedAtOnceWithItsCode() {
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(hangzhouWithThreshold(), funds("150000.00"))
                .when(issue("200000.00"), ALICE)
                .expectNoEvents()
                .expectException(rejectedWith(RejectionCode.BUDGET_EXCEEDED));
    }

    @Test
    void anotherPersonApprovesAndTheVoucherIsIssuedAfterTheGrant() {
        IssueVoucher command = issue("200000.00");
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(hangzhouWithThreshold(), funds("1000000.00"), requested(command, "200000.00", MARCH_2026))
                .when(new ApproveRequest(HANGZHOU, REQ, "bob"), MetaData.with("principal", "bob"))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(Matchers.exactSequenceOf(
                        Matchers.messageWithPayload(Matchers.equalTo(new ApprovalGranted(
                                hangzhouWithThreshold().header(),
                                REQ,
                                "IssueVoucher",
                                cny("200000.00"),
                                "alice",
                                "bob"))),
                        Matchers.predicate(m -> m instanceof EventMessage<?> e
                                && e.getPayload() instanceof VoucherIssued issued
                                && issued.faceValue().equals(cny("200000.00"))
                                && "alice".equals(e.getMetaData().get("maker"))
                                && "req-1".equals(e.getMetaData().get("approvalRequestId"))),
                        Matchers.andNoMore()))
                .expectState(program -> {
                    assertThat(program.available()).isEqualTo(cny("800000.00"));
                    assertThat(program.undecidedApprovalExpiries()).isEmpty();
                });
    }

    @Test
    void theMakerCannotApproveTheirOwnRequest() {
        IssueVoucher command = issue("200000.00");
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(hangzhouWithThreshold(), funds("1000000.00"), requested(command, "200000.00", MARCH_2026))
                .when(new ApproveRequest(HANGZHOU, REQ, "alice"))
                .expectNoEvents()
                .expectException(rejectedWith(RejectionCode.FOUR_EYES_REQUIRED));
    }

    @Test
    void approvalIsDecidedAgainstTheBudgetAsItIsThen() {
        IssueVoucher command = issue("200000.00");
        // Between the request and its approval, other vouchers took most of the budget.
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(hangzhouWithThreshold(), funds("250000.00"), requested(command, "200000.00", MARCH_2026))
                .andGivenCommands(
                        List.of(new IssueVoucher(HANGZHOU, V2, firm(FIRM_B, "software", null), cny("90000.00"))))
                .when(new ApproveRequest(HANGZHOU, REQ, "bob"))
                .expectNoEvents()
                .expectException(rejectedWith(RejectionCode.BUDGET_EXCEEDED));
    }

    @Test
    void aRejectedRequestEndsAndCannotBeApprovedAfterwards() {
        AppropriateFunds command = new AppropriateFunds(HANGZHOU, cny("500000.00"), "top-up");
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(hangzhouWithThreshold(), requested(command, "500000.00", MARCH_2026))
                .when(new RejectRequest(HANGZHOU, REQ, "bob", "not in this year's plan"))
                .expectEvents(new ApprovalRejected(
                        hangzhouWithThreshold().header(),
                        REQ,
                        "AppropriateFunds",
                        cny("500000.00"),
                        "alice",
                        "bob",
                        "not in this year's plan"))
                .expectState(program -> {
                    assertThat(program.undecidedApprovalExpiries()).isEmpty();
                    assertThat(program.available()).isEqualTo(cny("0.00"));
                });
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(
                        hangzhouWithThreshold(),
                        requested(command, "500000.00", MARCH_2026),
                        new ApprovalRejected(
                                hangzhouWithThreshold().header(),
                                REQ,
                                "AppropriateFunds",
                                cny("500000.00"),
                                "alice",
                                "bob",
                                "no"))
                .when(new ApproveRequest(HANGZHOU, REQ, "carol"))
                .expectNoEvents()
                .expectException(rejectedWith(RejectionCode.REQUEST_DECIDED));
    }

    @Test
    void aRequestExpiresAtItsExpiryInstantNotBefore() {
        AppropriateFunds command = new AppropriateFunds(HANGZHOU, cny("500000.00"), "top-up");
        Instant expiry = MARCH_2026.plus(ApprovalPolicy.DEFAULT_REQUEST_LIFETIME);
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(hangzhouWithThreshold(), requested(command, "500000.00", MARCH_2026))
                .andGivenCurrentTime(expiry.minusSeconds(1))
                .when(new ApproveRequest(HANGZHOU, REQ, "bob"))
                .expectSuccessfulHandlerExecution()
                .expectState(program -> assertThat(program.available()).isEqualTo(cny("500000.00")));
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(hangzhouWithThreshold(), requested(command, "500000.00", MARCH_2026))
                .andGivenCurrentTime(expiry)
                .when(new ApproveRequest(HANGZHOU, REQ, "bob"))
                .expectNoEvents()
                .expectException(rejectedWith(RejectionCode.REQUEST_EXPIRED));
    }

    @Test
    void aHousingGrantIsComparedByTheScheduleItWouldCommit() {
        ProgramLaunched zhuhai = zhuhaiLaunched(null);
        ProgramLaunched withThreshold = new ProgramLaunched(
                zhuhai.programId(),
                zhuhai.name(),
                zhuhai.programKind(),
                zhuhai.province(),
                zhuhai.city(),
                zhuhai.currency(),
                zhuhaiRules(null).withApprovalThreshold(cny("100000.00")));
        FundsAppropriated pool = new FundsAppropriated(withThreshold.header(), cny("10000000.00"), "pool", 2026);
        // 4,000.00 a month at 1.0, 0.7, 0.5 for three years = 105,600.00: at or above 100,000.00.
        GrantHousingSubsidy large =
                new GrantHousingSubsidy(ZHUHAI, G1, talent("p-1"), YearMonth.of(2026, 3), cny("4000.00"));
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(withThreshold, pool)
                .when(large, ALICE)
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        Matchers.matches(p ->
                                p instanceof ApprovalRequested r && r.amount().equals(cny("105600.00"))),
                        Matchers.andNoMore())));
        // 3,000.00 a month commits 79,200.00: granted at once.
        GrantHousingSubsidy small =
                new GrantHousingSubsidy(ZHUHAI, G1, talent("p-1"), YearMonth.of(2026, 3), cny("3000.00"));
        fixture.givenCurrentTime(MARCH_2026)
                .andGiven(withThreshold, pool)
                .when(small, ALICE)
                .expectEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                        Matchers.matches(p -> p instanceof HousingSubsidyGranted g
                                && g.committed().equals(cny("79200.00"))),
                        Matchers.andNoMore())));
    }

    @Test
    void theNationalDefaultIsWrittenIntoTheRulesOfAProgramLaunchedWithoutItsOwn() {
        fixture = new AggregateTestFixture<>(Program.class);
        fixture.registerInjectableResource(new ApprovalPolicy(
                Duration.ofDays(7), Map.of(CurrencyCode.CNY, cny("5000000.00"), CurrencyCode.USD, usd("700000.00"))));
        fixture.registerInjectableResource(TestData.registries());
        fixture.givenNoPriorActivity()
                .when(launch(hangzhouRules()))
                .expectEvents(launched(hangzhouRules().withApprovalThreshold(cny("5000000.00"))));
        fixture.givenNoPriorActivity()
                .when(launch(hangzhouRules().withApprovalThreshold(THRESHOLD)))
                .expectEvents(launched(hangzhouRules().withApprovalThreshold(THRESHOLD)));
        fixture.givenNoPriorActivity()
                .when(launch(hangzhouRules().withApprovalThreshold(usd("1.00"))))
                .expectNoEvents()
                .expectException(rejectedWith(RejectionCode.CURRENCY_MISMATCH));
    }

    private static LaunchProgram launch(org.subsidyledger.core.shared.ProgramSettings rules) {
        ProgramLaunched p = hangzhouLaunched();
        return new LaunchProgram(
                p.programId(), p.name(), ProgramKind.COMPUTE_VOUCHER, p.province(), p.city(), p.currency(), rules);
    }

    private static ProgramLaunched launched(org.subsidyledger.core.shared.ProgramSettings rules) {
        ProgramLaunched p = hangzhouLaunched();
        return new ProgramLaunched(
                p.programId(), p.name(), p.programKind(), p.province(), p.city(), p.currency(), rules);
    }
}
