package org.subsidyledger.api.overload;

import java.time.Duration;

/**
 * The time a command request has left, on the thread that serves it. Each wait a command can meet is bounded on its
 * own (its turn, the aggregate's lock, the append lock, a database lock), but one request can meet several in a row;
 * {@link AdmissionControl} starts a deadline when a command arrives ({@code ledger.admission.request-budget}) and the
 * later waits ask {@link #waitAtMost} how long they may still wait, so the whole request stays within its budget.
 * Threads that serve no request (seals, processors) have no deadline and wait their own bounds.
 */
public final class RequestDeadline {
    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();
    private static final ThreadLocal<Long> BUDGET = new ThreadLocal<>();

    private RequestDeadline() {}

    /** Starts the deadline of the request this thread serves: {@code budget} from its arrival. */
    public static void start(long arrivedAtNanos, Duration budget) {
        DEADLINE.set(arrivedAtNanos + budget.toNanos());
        BUDGET.set(budget.toNanos());
    }

    /** Ends it, when the request has been answered. */
    public static void clear() {
        DEADLINE.remove();
        BUDGET.remove();
    }

    /**
     * Whether this thread's request has less than a quarter of its budget left (false on a thread that serves no
     * request): too little to be sure of deciding and appending in time after long waits.
     */
    public static boolean mostlySpent() {
        Long deadline = DEADLINE.get();
        Long budget = BUDGET.get();
        if (deadline == null || budget == null) {
            return false;
        }
        return (deadline - System.nanoTime()) * 4 < budget;
    }

    /** {@code bound}, or the time this thread's request has left if that is less (zero once it has run out). */
    public static Duration waitAtMost(Duration bound) {
        Long deadline = DEADLINE.get();
        if (deadline == null) {
            return bound;
        }
        long left = Math.max(0, deadline - System.nanoTime());
        return left < bound.toNanos() ? Duration.ofNanos(left) : bound;
    }
}
