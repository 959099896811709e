package org.subsidyledger.api.audit;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Lets a seal wait, in this JVM, until every appending transaction has ended, and keeps new ones out while it is
 * written: appends hold the shared side until their transaction completes, the seal writer the exclusive side. On H2
 * (single node) this alone makes the seal's upper bound safe; on PostgreSQL the seal also locks the event table, for
 * appends of other nodes (see {@link JdbcSealWriter}).
 */
public final class AppendLock {
    public AppendLock() {
    }

    private static final String HELD = AppendLock.class.getName() + ".held";
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /**
     * Holds the shared side until the current Spring transaction completes (once per transaction), or until
     * {@code append} returns when there is none.
     */
    void duringAppend(Runnable append) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            lock.readLock().lock();
            try {
                append.run();
            } finally {
                lock.readLock().unlock();
            }
            return;
        }
        if (!TransactionSynchronizationManager.hasResource(HELD) && !lock.isWriteLockedByCurrentThread()) {
            lock.readLock().lock();
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

    /** Runs {@code sealing} while no append of this JVM is in flight. */
    <T> T exclusively(java.util.function.Supplier<T> sealing) {
        lock.writeLock().lock();
        try {
            return sealing.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
