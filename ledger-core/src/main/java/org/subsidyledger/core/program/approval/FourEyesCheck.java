package org.subsidyledger.core.program.approval;

import java.util.HashMap;
import java.util.Map;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalGranted;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRejected;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRequested;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.shared.RequestId;

/**
 * Checks from the log alone that no commitment which needed a second person's approval lacks one (docs/AUDIT.md §6):
 * every voucher issued, housing grant, appropriation or rescission at or above its program's {@code approvalThreshold}
 * (as the program's launch states it) must directly follow, in its program's stream, an {@link ApprovalGranted} for
 * the same action and amount, of a request made earlier in that program, still pending, and decided by someone other
 * than its maker; and every {@link ApprovalGranted} must be followed by such an event.
 *
 * <p>Feed it the events of program streams in global index order; {@link #firstFinding()} is the first entry at which
 * anything failed. It shares nothing with the program aggregate but the event types.
 */
public final class FourEyesCheck {
    private final Map<ProgramId, Book> books = new HashMap<>();
    private Finding first;

    public record Finding(long globalIndex, ProgramId programId, String problem) {}

    private static final class Book {
        private Money threshold;
        private final Map<RequestId, ApprovalRequested> pending = new HashMap<>();
        private ApprovalGranted awaiting;
    }

    public void accept(long globalIndex, ProgramStreamEvent event) {
        Book book = books.computeIfAbsent(event.programId(), id -> new Book());
        String problem = check(book, event);
        if (problem != null && first == null) {
            first = new Finding(globalIndex, event.programId(), problem);
        }
    }

    public Finding firstFinding() {
        return first;
    }

    private static String check(Book book, ProgramStreamEvent event) {
        if (event instanceof ProgramLaunched launched) {
            book.threshold = launched.rules() == null ? null : launched.rules().approvalThreshold();
            return null;
        }
        ApprovalGranted awaiting = book.awaiting;
        book.awaiting = null;
        if (event instanceof ApprovalRequested requested) {
            book.pending.put(requested.requestId(), requested);
            return awaiting == null ? null : unfollowed(awaiting);
        }
        if (event instanceof ApprovalRejected rejected) {
            book.pending.remove(rejected.requestId());
            return awaiting == null ? null : unfollowed(awaiting);
        }
        if (event instanceof ApprovalGranted granted) {
            ApprovalRequested requested = book.pending.remove(granted.requestId());
            if (awaiting != null) {
                return unfollowed(awaiting);
            }
            if (requested == null) {
                return "approval " + granted.requestId() + " grants no pending request of this program";
            }
            if (!requested.maker().equals(granted.maker())) {
                return "approval " + granted.requestId() + " names " + granted.maker() + " as maker, but "
                        + requested.maker() + " made the request";
            }
            if (requested.maker().equals(granted.checker())) {
                return "approval " + granted.requestId() + " was decided by its own maker " + requested.maker();
            }
            if (!requested.action().equals(granted.action())) {
                return "approval " + granted.requestId() + " grants " + granted.action() + " for a request of "
                        + requested.action();
            }
            book.awaiting = granted;
            return null;
        }
        Commitment commitment = Commitment.of(event).orElse(null);
        if (commitment == null) {
            return awaiting == null ? null : unfollowed(awaiting);
        }
        String action = commitment.action();
        Money amount = commitment.amount();
        if (awaiting != null) {
            if (!awaiting.action().equals(action) || !awaiting.amount().equals(amount)) {
                return action + " of " + amount + " follows approval " + awaiting.requestId() + ", which granted "
                        + awaiting.action() + " of " + awaiting.amount();
            }
            return null;
        }
        if (ApprovalBook.needsApproval(book.threshold, amount)) {
            return action + " of " + amount + " is at or above the program's approval threshold " + book.threshold
                    + " and was not approved by a second person";
        }
        return null;
    }

    private static String unfollowed(ApprovalGranted granted) {
        return "approval " + granted.requestId() + " of " + granted.action() + " is not followed by its event";
    }
}
