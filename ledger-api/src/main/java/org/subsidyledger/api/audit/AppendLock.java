package org.subsidyledger.api.audit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.subsidyledger.api.overload.RequestDeadline;

/**
 * Lets a seal wait, in this JVM, until every appending transaction has ended, and keeps new ones out while it is
 * written: appends hold the shared side until their transaction completes, the seal writer the exclusive side. On H2
 * (single node: the database file is locked by one process) this alone makes the seal's upper bound safe; on
 * PostgreSQL the seal also locks the event table, for appends of other nodes (see {@link JdbcSealWriter}).
 *
 * <p>Lock order (docs/DECISIONS.md, "Locks and connections"): both sides are taken only by a thread that already
 * holds its pooled connection — an append inside its command's transaction, the seal writer inside its own — and no
 * holder of either side ever asks for another connection. So a holder never waits for a connection that a waiter for
 * this lock holds, which is the deadlock issue 11 found (the seal writer used to take the exclusive side first and
 * then wait for a connection). Both sides are also taken with a bounded wait: an append that cannot get the shared
 * side in time fails with {@link Busy} (answered 503 OVERLOADED, nothing appended), a seal that cannot get the
 * exclusive side gives up and is written by the next scheduled run. An append on behalf of a request waits no longer
 * than the request has left ({@link RequestDeadline}).
 */
public final class AppendLock {
    private static final String HELD = AppendLock.class.getName() + ".held";

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Duration maxWait;

    /** @param maxWait the longest an append or a seal waits for its side of the lock */
    public AppendLock(Duration maxWait) {
        this.maxWait = maxWait;
    }

    /**
     * Holds the shared side until the current Spring transaction completes (once per transaction), or until
     * {@code append} returns when there is none.
     *
     * @throws Busy when a seal kept the lock longer than the allowed wait; nothing was appended
     */
    void duringAppend(Runnable append) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            acquire(lock.readLock(), "an append");
            try {
                append.run();
            } finally {
                lock.readLock().unlock();
            }
            return;
        }
        if (!TransactionSynchronizationManager.hasResource(HELD) && !lock.isWriteLockedByCurrentThread()) {
            acquire(lock.readLock(), "an append");
            TransactionSynchronizationManager.bindResource(HELD, Boolean.TRUE);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(HELD);
                    lock.readLock().unlock();
                }
            });
        }
        append.run();
    }

    /**
     * Runs {@code sealing} while no append of this JVM is in flight. The caller must already hold the connection
     * {@code sealing} uses (it runs inside the seal's transaction).
     *
     * @throws Busy when appends kept the lock longer than the allowed wait
     */
    <T> T exclusively(Supplier<T> sealing) {
        acquire(lock.writeLock(), "a seal");
        try {
            return sealing.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void acquire(Lock side, String who) {
        Duration wait = RequestDeadline.waitAtMost(maxWait);
        boolean acquired;
        try {
            acquired = side.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy(who + " was interrupted while waiting for the append lock");
        }
        if (!acquired) {
            throw new Busy(who + " waited " + wait.toMillis() + " ms for the append lock"
                    + (wait.compareTo(maxWait) < 0 ? " (what its request had left)" : ""));
        }
    }

    /**
     * The lock was not free within the allowed wait: the ledger is busy; the caller may retry later. A
     * {@link CannotAcquireLockException}, like a database lock timeout, so it is answered the same way.
     */
    public static final class Busy extends CannotAcquireLockException {
        Busy(String message) {
            super(message);
        }
    }
}
