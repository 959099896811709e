package org.subsidyledger.api.http;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure of the ledger's resources — no pooled connection within the pool's timeout, the database
 * unreachable or restarting, a lock or statement timeout, an aggregate or append lock not free in time — from a
 * defect. Such a request appended nothing (its transaction rolled back or never began) and may simply be sent again
 * later with the same Idempotency-Key, so it is answered {@code 503 OVERLOADED} with {@code Retry-After}, never 500.
 * (The append lock's timeout is a {@link CannotAcquireLockException}.)
 */
public final class Unavailability {
    private Unavailability() {}

    /** True when {@code failure}, or anything it was caused by, says a resource was busy or away. */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Overloaded
                    || t instanceof CannotCreateTransactionException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessResourceException
                    || t instanceof QueryTimeoutException
                    || t instanceof CannotAcquireLockException
                    || t instanceof LockAcquisitionFailedException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLTimeoutException
                    || t instanceof ConnectException) {
                return true;
            }
            // HikariCP answers a statement on a connection it has already evicted as broken with a plain
            // "Connection is closed", without a SQLSTATE: the database went away under that connection.
            if (t instanceof SQLException sql
                    && (unavailableState(sql.getSQLState()) || "Connection is closed".equals(sql.getMessage()))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** True when {@code failure} is a lock not free within its bound: an in-JVM lock, or the database's lock timeout. */
    public static boolean isLockTimeout(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CannotAcquireLockException
                    || t instanceof LockAcquisitionFailedException
                    || (t instanceof SQLException sql
                            && ("55P03".equals(sql.getSQLState()) || "HYT00".equals(sql.getSQLState())))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes of an unavailable database: 08 connection exception, 53 insufficient resources, 57 operator
     * intervention (57P01 terminated by an administrator, 57014 statement timeout), 55P03 lock not available
     * (PostgreSQL's lock_timeout), HYT00 (H2's lock timeout).
     */
    private static boolean unavailableState(String state) {
        return state != null
                && (state.startsWith("08")
                        || state.startsWith("53")
                        || state.startsWith("57")
                        || state.equals("55P03")
                        || state.equals("HYT00"));
    }
}
