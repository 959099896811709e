package org.subsidyledger.api.store;

import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;

/**
 * Tells Axon's JDBC engine when an append failed on a unique key, so that two nodes appending the same sequence
 * number of one aggregate surface as Axon's {@code ConcurrencyException} (transient: reload and retry the command)
 * and two nodes creating one aggregate as {@code AggregateStreamCreationException} (it already exists).
 *
 * <p>Axon's own {@code JdbcSQLErrorCodesResolver} only recognises {@link java.sql.SQLIntegrityConstraintViolationException}
 * in the cause chain. Neither database qualifies: the PostgreSQL driver reports unique violations as a plain
 * {@code PSQLException}, and both drivers wrap the failed insert of a batch in a {@code BatchUpdateException} whose
 * detail hangs off {@link SQLException#getNextException()}, not {@link Throwable#getCause()}. The conflict then came
 * out as a non-transient {@code EventStoreException}. This resolver looks for SQLSTATE {@code 23505}
 * (unique_violation, the same code on PostgreSQL and H2) along both chains.
 */
public class DuplicateKeyResolver implements PersistenceExceptionResolver {
    static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return isUniqueViolation(exception, seen);
    }

    private static boolean isUniqueViolation(Throwable throwable, Set<Throwable> seen) {
        if (throwable == null || !seen.add(throwable)) {
            return false;
        }
        if (throwable instanceof SQLException sql) {
            if (UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
            if (isUniqueViolation(sql.getNextException(), seen)) {
                return true;
            }
        }
        return isUniqueViolation(throwable.getCause(), seen);
    }
}
