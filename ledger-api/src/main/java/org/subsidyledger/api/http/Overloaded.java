package org.subsidyledger.api.http;

/**
 * The ledger could not get a request through in time (its conflicts, a lock, a connection): answered 503 OVERLOADED
 * with Retry-After ({@link ProblemAdvice}).
 */
public final class Overloaded extends RuntimeException {
    public Overloaded() {
        super("The ledger is busy; retry the request shortly.", null, false, false);
    }
}
