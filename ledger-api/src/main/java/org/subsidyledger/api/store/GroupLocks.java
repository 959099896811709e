package org.subsidyledger.api.store;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.subsidyledger.api.overload.RequestDeadline;

/**
 * Serializes, across programs and nodes, the transactions that decide on one corporate group's cap in one province.
 * A group's cap counts every member bound to it anywhere in the province (SPEC §11), and a member is bound by the
 * transaction that issues it a voucher under the group. Two programs deciding at once — one binding firm X to group
 * G, the other issuing to firm Y under G — would each miss the other's uncommitted work and together exceed the cap.
 * So reading a group's members takes a lock on (province, group) held until the transaction ends: the second decider
 * waits for the first to commit and then reads its binding.
 *
 * <p>On PostgreSQL the lock is a transaction-scoped advisory lock ({@code pg_advisory_xact_lock} on a hash of the
 * key), which every node's transactions see; its wait is bounded by {@code lock_timeout}. On H2 (one node) it is one of
 * a fixed set of in-JVM locks chosen by the key's hash, released when the transaction completes, waited for at most
 * {@code lockWait} (or what the request has left). Lock order: after the aggregate's lock, like every database lock;
 * a transaction reads one group's members.
 */
public final class GroupLocks {
    private static final int STRIPES = 256;
    private static final String HELD = GroupLocks.class.getName() + ".held.";

    private final JdbcTemplate jdbc;
    private final DatabaseKind database;
    private final Duration lockWait;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public GroupLocks(JdbcTemplate jdbc, Duration lockWait) {
        this.jdbc = jdbc;
        this.database = new DatabaseKind(jdbc);
        this.lockWait = lockWait;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Holds the lock of {@code group} in {@code province} until the current transaction ends (no-op outside one). */
    public void holdUntilTransactionEnds(String province, String group) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        String key = province + "/" + group;
        if (database.isPostgres()) {
            if (TransactionSynchronizationManager.hasResource(HELD + key)) {
                return;
            }
            jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))::text", String.class, key);
            bind(key, null);
            return;
        }
        ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), STRIPES)];
        if (lock.isHeldByCurrentThread()) {
            return;
        }
        Duration wait = RequestDeadline.waitAtMost(lockWait);
        boolean acquired;
        try {
            acquired = lock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new CannotAcquireLockException("The cap of group " + key + " is being decided by another"
                    + " transaction; waited " + wait.toMillis() + " ms");
        }
        bind(key, lock);
    }

    private static void bind(String key, ReentrantLock lock) {
        TransactionSynchronizationManager.bindResource(HELD + key, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(HELD + key);
                if (lock != null) {
                    lock.unlock();
                }
            }
        });
    }
}
