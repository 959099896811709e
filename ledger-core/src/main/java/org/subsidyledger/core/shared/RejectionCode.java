package org.subsidyledger.core.shared;

/**
 * Every rejection the ledger can answer, in the precedence order of SPEC §11: when a command breaks several
 * rules at once, the code declared first here is the one reported. The HTTP status belongs to the code so
 * that the API maps each one the same way everywhere.
 */
public enum RejectionCode {
    UNAUTHENTICATED(401),
    FORBIDDEN(403),
    VALIDATION_FAILED(400),
    NOT_FOUND(404),
    // four eyes: the maker of an approval request may not approve it (checked once the request is found)
    FOUR_EYES_REQUIRED(403),
    IDEMPOTENCY_CONFLICT(409),
    IDEMPOTENCY_IN_PROGRESS(409),
    ALREADY_EXISTS(409),
    // an approval request already approved or rejected, or past its expiry
    REQUEST_DECIDED(409),
    REQUEST_EXPIRED(409),
    // 422, state of the target
    PROGRAM_CLOSED(422),
    VOUCHER_REVOKED(422),
    VOUCHER_EXPIRED(422),
    GRANT_TERMINATED(422),
    // kind
    WRONG_PROGRAM_KIND(422),
    WRONG_VOUCHER_KIND(422),
    CURRENCY_MISMATCH(422),
    // registries
    PROVIDER_NOT_ACCREDITED(422),
    MODEL_NOT_REGISTERED(422),
    RELATED_PARTY(422),
    INELIGIBLE_SECTOR(422),
    // months
    MONTH_NOT_COVERED(422),
    CLAIM_IN_FUTURE(422),
    // duplicates
    DUPLICATE_CONTRACT(422),
    DUPLICATE_INVOICE(422),
    DUPLICATE_GRANT(422),
    DUPLICATE_CLAIM(422),
    ALREADY_SETTLED(422),
    VOUCHER_EXHAUSTED(422),
    // amount: a redemption whose subsidy rounds to 0.00 would bind an invoice and a contract while paying nothing
    SUBSIDY_ROUNDS_TO_ZERO(422),
    // caps
    VOUCHER_VALUE_CAP_EXCEEDED(422),
    BENEFICIARY_CAP_EXCEEDED(422),
    RECIPIENT_CAP_EXCEEDED(422),
    // budget
    BUDGET_EXCEEDED(422),
    BUDGET_COMMITTED(422),
    // load shedding is decided outside the domain, after every rule has passed
    OVERLOADED(503);

    private final int httpStatus;

    RejectionCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** True for the codes that only the domain (not the HTTP layer) can decide. */
    public boolean decidedByDomain() {
        return switch (this) {
            case UNAUTHENTICATED, FORBIDDEN, IDEMPOTENCY_CONFLICT, IDEMPOTENCY_IN_PROGRESS, OVERLOADED -> false;
            default -> true;
        };
    }
}
