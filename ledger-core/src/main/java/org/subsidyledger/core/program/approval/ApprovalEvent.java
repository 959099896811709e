package org.subsidyledger.core.program.approval;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import org.axonframework.serialization.Revision;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.RescindFunds;
import org.subsidyledger.core.shared.ApprovableCommand;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.shared.RequestId;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;

/**
 * The life of a four-eyes approval request, on its program's stream. A request reserves nothing: the budget, the caps
 * and every other rule are decided again when it is approved, and only then is the real event appended, right after
 * {@link ApprovalGranted}.
 */
public sealed interface ApprovalEvent extends ProgramStreamEvent {
    RequestId requestId();

    String action();

    Money amount();

    String maker();

    /**
     * A command at or above the program's threshold became a request. {@code amount} is what the command would
     * commit or move when it was made; {@code command} is the command itself, to be decided again at approval.
     */
    @Revision("1")
    record ApprovalRequested(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            RequestId requestId,
            String action,

            @JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
            @JsonSubTypes({
                @JsonSubTypes.Type(IssueVoucher.class),
                @JsonSubTypes.Type(GrantHousingSubsidy.class),
                @JsonSubTypes.Type(AppropriateFunds.class),
                @JsonSubTypes.Type(RescindFunds.class)
            })
            ApprovableCommand command,

            Money amount,
            Money threshold,
            String maker,
            Instant expiresAt)
            implements ApprovalEvent {
        /** Built from its program's header. */
        public ApprovalRequested(
                ProgramHeader program,
                RequestId requestId,
                ApprovableCommand command,
                Money amount,
                Money threshold,
                String maker,
                Instant expiresAt) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    requestId,
                    command.action(),
                    command,
                    amount,
                    threshold,
                    maker,
                    expiresAt);
        }
    }

    /**
     * A second principal approved the request; the event the command decided at that moment follows in the same
     * transaction. {@code amount} is what that event commits or moves.
     */
    @Revision("1")
    record ApprovalGranted(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            RequestId requestId,
            String action,
            Money amount,
            String maker,
            String checker)
            implements ApprovalEvent {
        /** Built from its program's header. */
        public ApprovalGranted(
                ProgramHeader program, RequestId requestId, String action, Money amount, String maker, String checker) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    requestId,
                    action,
                    amount,
                    maker,
                    checker);
        }
    }

    /** A second principal rejected the request; nothing of it was carried out. */
    @Revision("1")
    record ApprovalRejected(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            RequestId requestId,
            String action,
            Money amount,
            String maker,
            String checker,
            String reason)
            implements ApprovalEvent {
        /** Built from its program's header. */
        public ApprovalRejected(
                ProgramHeader program,
                RequestId requestId,
                String action,
                Money amount,
                String maker,
                String checker,
                String reason) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    requestId,
                    action,
                    amount,
                    maker,
                    checker,
                    reason);
        }
    }
}
