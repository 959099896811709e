package org.subsidyledger.core.program.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.core.support.TestData.FIRM_A;
import static org.subsidyledger.core.support.TestData.HANGZHOU;
import static org.subsidyledger.core.support.TestData.V1;
import static org.subsidyledger.core.support.TestData.cny;
import static org.subsidyledger.core.support.TestData.firm;
import static org.subsidyledger.core.support.TestData.hangzhouLaunched;
import static org.subsidyledger.core.support.TestData.hangzhouRules;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalGranted;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRequested;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.shared.RequestId;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;

/** The auditor's check that every commitment at or above its program's threshold was approved by a second person. */
class FourEyesCheckTest {
    private static final ProgramLaunched LAUNCHED = new ProgramLaunched(
            HANGZHOU,
            "Hangzhou compute vouchers",
            hangzhouLaunched().programKind(),
            "CN-ZJ",
            "Hangzhou",
            hangzhouLaunched().currency(),
            hangzhouRules().withApprovalThreshold(cny("100000.00")));
    private static final ProgramHeader HEADER = LAUNCHED.header();
    private static final RequestId REQ = RequestId.of("req-1");
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    private static final AppropriateFunds COMMAND = new AppropriateFunds(HANGZHOU, cny("100000.00"), "pool");
    private static final ApprovalRequested REQUESTED = new ApprovalRequested(
            HEADER, REQ, COMMAND, cny("100000.00"), cny("100000.00"), "alice", NOW.plusSeconds(3600));
    private static final FundsAppropriated APPROPRIATED = new FundsAppropriated(HEADER, cny("100000.00"), "pool", 2026);

    private static FourEyesCheck.Finding check(ProgramStreamEvent... events) {
        FourEyesCheck check = new FourEyesCheck();
        long index = 0;
        for (ProgramStreamEvent event : List.of(events)) {
            check.accept(index++, event);
        }
        return check.firstFinding();
    }

    private static ApprovalGranted granted(String maker, String checker, String amount) {
        return new ApprovalGranted(HEADER, REQ, "AppropriateFunds", cny(amount), maker, checker);
    }

    @Test
    void anApprovedAppropriationAndOneBelowTheThresholdPass() {
        FundsAppropriated small = new FundsAppropriated(HEADER, cny("99999.99"), "small", 2026);
        assertThat(check(LAUNCHED, small, REQUESTED, granted("alice", "bob", "100000.00"), APPROPRIATED))
                .isNull();
    }

    @Test
    void anAppropriationAtTheThresholdWithoutApprovalIsFoundAtItsEntry() {
        FourEyesCheck.Finding finding = check(LAUNCHED, REQUESTED, APPROPRIATED);
        assertThat(finding).isNotNull();
        assertThat(finding.globalIndex()).isEqualTo(2);
        assertThat(finding.problem()).contains("not approved by a second person");
    }

    @Test
    void anApprovalByItsOwnMakerOrOfAnotherAmountOrNotFollowedIsFound() {
        assertThat(check(LAUNCHED, REQUESTED, granted("alice", "alice", "100000.00"), APPROPRIATED))
                .extracting(FourEyesCheck.Finding::globalIndex)
                .isEqualTo(2L);
        assertThat(check(
                        LAUNCHED,
                        REQUESTED,
                        granted("alice", "bob", "100000.00"),
                        new FundsAppropriated(HEADER, cny("200000.00"), "pool", 2026)))
                .extracting(FourEyesCheck.Finding::globalIndex)
                .isEqualTo(3L);
        VoucherIssued other = new VoucherIssued(
                HEADER,
                V1,
                firm(FIRM_A, "software", null),
                null,
                cny("1000.00"),
                hangzhouRules().coverageRatio(),
                hangzhouRules().payee(),
                2026,
                NOW.plusSeconds(86400));
        assertThat(check(LAUNCHED, REQUESTED, granted("alice", "bob", "100000.00"), other))
                .extracting(FourEyesCheck.Finding::globalIndex)
                .isEqualTo(3L);
        assertThat(check(LAUNCHED, granted("alice", "bob", "100000.00"), APPROPRIATED))
                .extracting(FourEyesCheck.Finding::globalIndex)
                .isEqualTo(1L);
    }
}
