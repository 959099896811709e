package org.subsidyledger.core.program.approval;

import java.util.Optional;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.FundsRescinded;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;

/**
 * The events that commit or move money and so may need a second person: which command each comes from and the amount
 * compared with the threshold (a voucher's face value, a grant's whole committed schedule, an appropriation's or a
 * rescission's amount). The program deciding and the verifier checking read it from here alike.
 */
public record Commitment(String action, Money amount) {

    /** The commitment an event makes, or none for an event of any other kind. */
    public static Optional<Commitment> of(Object event) {
        if (event instanceof VoucherIssued issued) {
            return Optional.of(new Commitment("IssueVoucher", issued.faceValue()));
        }
        if (event instanceof HousingSubsidyGranted granted) {
            return Optional.of(new Commitment("GrantHousingSubsidy", granted.committed()));
        }
        if (event instanceof FundsAppropriated appropriated) {
            return Optional.of(new Commitment("AppropriateFunds", appropriated.amount()));
        }
        if (event instanceof FundsRescinded rescinded) {
            return Optional.of(new Commitment("RescindFunds", rescinded.amount()));
        }
        return Optional.empty();
    }

    /** The amount an event of an approvable command commits or moves. */
    public static Money amountOf(Object event) {
        return of(event)
                .map(Commitment::amount)
                .orElseThrow(() ->
                        new IllegalArgumentException("Not the event of a command that may need approval: " + event));
    }
}
