package org.subsidyledger.core.program.approval;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalGranted;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRejected;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRequested;
import org.subsidyledger.core.shared.ApprovableCommand;
import org.subsidyledger.core.shared.LedgerClock;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.RequestId;
import org.subsidyledger.core.shared.Rules;

/**
 * A program's approval requests (four eyes): which are pending, who made each, when it expires. It decides whether a
 * command needs a second person and whether a checker may decide a request; the program decides the command itself.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class ApprovalBook {
    private Map<RequestId, Request> requests = new HashMap<>();

    public enum Status {
        PENDING,
        APPROVED,
        REJECTED
    }

    /** One request as the program remembers it: the event that made it, and where it stands. */
    public record Request(ApprovalRequested requested, Status status) {
        public RequestId requestId() {
            return requested.requestId();
        }

        public ApprovableCommand command() {
            return requested.command();
        }

        public Money amount() {
            return requested.amount();
        }

        public String maker() {
            return requested.maker();
        }

        public Instant expiresAt() {
            return requested.expiresAt();
        }

        Request decided(Status outcome) {
            return new Request(requested, outcome);
        }
    }

    /** At or above the threshold a command needs a second person; without a threshold, never. */
    public static boolean needsApproval(Money threshold, Money amount) {
        return threshold != null && !threshold.greaterThan(amount);
    }

    /** The request a command becomes: its id, its maker, and an expiry {@code lifetime} from now. */
    public ApprovalRequested request(
            ProgramHeader program,
            ApprovableCommand command,
            Money amount,
            Money threshold,
            String maker,
            Duration lifetime) {
        Rules.require(
                maker != null && !maker.isBlank(),
                RejectionCode.FORBIDDEN,
                "A command that needs approval must be made by a named principal.");
        // Derived from the program and the request's number in it: the same history gives the same ids (a replayed
        // demo, an auditor's reconstruction), ids of different programs never meet, and two requests racing on one
        // program are serialized by the program's own sequence.
        RequestId requestId =
                RequestId.of(UUID.nameUUIDFromBytes((program.programId().value() + "/approval/" + (requests.size() + 1))
                                .getBytes(StandardCharsets.UTF_8))
                        .toString());
        return new ApprovalRequested(
                program,
                requestId,
                command,
                amount,
                threshold,
                maker,
                LedgerClock.now().plus(lifetime));
    }

    /**
     * The pending request {@code checker} may approve, in SPEC §11's precedence: unknown is {@code NOT_FOUND}; its
     * maker is {@code FOUR_EYES_REQUIRED}; decided already is {@code REQUEST_DECIDED}; past its expiry is
     * {@code REQUEST_EXPIRED}.
     */
    public Request approvable(RequestId requestId, String checker) {
        Request request = find(requestId);
        Rules.require(
                !request.maker().equals(checker),
                RejectionCode.FOUR_EYES_REQUIRED,
                "Request " + requestId + " was made by " + checker + "; another person must approve it.");
        return open(request);
    }

    /** The pending request anyone entitled may reject; its maker may withdraw it this way. */
    public Request rejectable(RequestId requestId) {
        return open(find(requestId));
    }

    private Request find(RequestId requestId) {
        Request request = requests.get(requestId);
        if (request == null) {
            throw Rules.rejection(RejectionCode.NOT_FOUND, "Approval request " + requestId + " was not found.");
        }
        return request;
    }

    private static Request open(Request request) {
        Rules.require(
                request.status() == Status.PENDING,
                RejectionCode.REQUEST_DECIDED,
                "Request " + request.requestId() + " was already "
                        + request.status().name().toLowerCase() + ".");
        Rules.require(
                LedgerClock.now().isBefore(request.expiresAt()),
                RejectionCode.REQUEST_EXPIRED,
                "Request " + request.requestId() + " expired at " + request.expiresAt() + ".");
        return request;
    }

    public void evolve(ApprovalEvent event) {
        if (event instanceof ApprovalRequested requested) {
            requests.put(requested.requestId(), new Request(requested, Status.PENDING));
        } else if (event instanceof ApprovalGranted granted) {
            requests.computeIfPresent(granted.requestId(), (id, r) -> r.decided(Status.APPROVED));
        } else if (event instanceof ApprovalRejected rejected) {
            requests.computeIfPresent(rejected.requestId(), (id, r) -> r.decided(Status.REJECTED));
        }
    }

    /** When each undecided request expires: those after a given instant are the ones still waiting then. */
    public List<Instant> undecidedExpiries() {
        return requests.values().stream()
                .filter(r -> r.status() == Status.PENDING)
                .map(Request::expiresAt)
                .sorted()
                .toList();
    }

    /** Requests still waiting for their checker at {@code now}: undecided and not yet expired. */
    public static int waitingAt(List<Instant> undecidedExpiries, Instant now) {
        return (int) undecidedExpiries.stream().filter(now::isBefore).count();
    }
}
