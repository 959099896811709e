package org.subsidyledger.core.shared;

/**
 * A command the ledger refuses. Thrown by command handlers before any event is applied, so a rejected command
 * never appends anything. The message is written for a finance officer, not a developer.
 */
public class LedgerRejection extends RuntimeException {
    private final RejectionCode code;

    public LedgerRejection(RejectionCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public RejectionCode code() {
        return code;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
