package org.subsidyledger.api.idempotency;

import org.subsidyledger.core.shared.LedgerRejection;

/**
 * A request the idempotency filter let through only so that its own 400 or 404 can come first (SPEC §11 precedence):
 * if it gets as far as sending its command, it is refused with this instead. The request's origin
 * ({@code command.RequestContext}) carries it to the command sender.
 */
public interface PendingRefusal {
    /** The refusal to answer at the command, or null when the request may run. */
    LedgerRejection refusal();
}
