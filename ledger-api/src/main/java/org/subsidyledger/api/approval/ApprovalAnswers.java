package org.subsidyledger.api.approval;

import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRequested;
import org.subsidyledger.core.shared.LedgerClock;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * The answer of a command that may need approval (issue, grant, appropriation, rescission): its own answer, or
 * {@code 202 Accepted} with the request as {@code GET /approvals/{id}} shows it when the command became one.
 */
@Component
public class ApprovalAnswers {
    private final ApprovalIndex index;

    public ApprovalAnswers(ApprovalIndex index) {
        this.index = index;
    }

    /**
     * Sends the command through {@code answering} (which runs the send and captures the view the command's handler
     * left, null when the command became a request) and answers {@code answer} of that view, or the request.
     */
    public <V> ResponseEntity<?> answerOrAccept(
            Function<Runnable, V> answering, Supplier<Object> send, Function<V, ResponseEntity<?>> answer) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        V view = answering.apply(() -> outcome.set(send.get()));
        return outcome.get() instanceof ApprovalRequested requested ? accepted(requested) : answer.apply(view);
    }

    /** {@code 202 Accepted}, the request as the index holds it (committed with its event), and where to follow it. */
    private ResponseEntity<Object> accepted(ApprovalRequested requested) {
        ApprovalIndex.Row row = index.find(requested.requestId(), LedgerClock.now())
                .orElseThrow(() -> new LedgerRejection(
                        RejectionCode.NOT_FOUND, "Approval request " + requested.requestId() + " was not found."));
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create(Responses.BASE + "/approvals/" + requested.requestId()))
                .body(ApprovalView.of(row, LedgerClock.now()));
    }
}
