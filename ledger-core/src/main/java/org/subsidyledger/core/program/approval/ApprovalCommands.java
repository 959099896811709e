package org.subsidyledger.core.program.approval;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.RequestId;
import org.subsidyledger.core.shared.Rules;
import org.subsidyledger.core.shared.Text;

/** A checker's decision on an approval request; {@code checker} is the principal deciding. */
public final class ApprovalCommands {
    private ApprovalCommands() {}

    public record ApproveRequest(@TargetAggregateIdentifier ProgramId programId, RequestId requestId, String checker) {
        public ApproveRequest {
            Rules.require(requestId != null, RejectionCode.VALIDATION_FAILED, "requestId is required.");
            Text.requireText(checker, "checker");
        }
    }

    public record RejectRequest(
            @TargetAggregateIdentifier ProgramId programId, RequestId requestId, String checker, String reason) {
        public RejectRequest {
            Rules.require(requestId != null, RejectionCode.VALIDATION_FAILED, "requestId is required.");
            Text.requireText(checker, "checker");
            Text.requireText(reason, "reason");
        }
    }
}
