package org.subsidyledger.api.audit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.store.DatabaseKind;
import org.subsidyledger.projections.alert.SettledLog;

/**
 * Where the event table has settled ({@link SettledLog}): the highest global index below which no append in flight can
 * still commit an entry.
 *
 * <p>First the cheap answer: when every index between {@code after} and the highest visible one is present, nothing
 * can fill a gap, and the highest visible index is settled. Otherwise the appends in flight must end first:
 * <ul>
 *   <li>PostgreSQL (one or many nodes): the highest index is read together with the statement's snapshot; every
 *       append takes its transaction id before its entries get their indexes ({@link HashChainingStorageEngine}),
 *       so an entry below that index that is not visible belongs to a transaction in the snapshot's in-progress
 *       list. Those of this database are waited for (polled, bounded); when they have ended, committed or not, the
 *       index read is settled.</li>
 *   <li>H2 (one node: the database file is locked by one process): the exclusive side of this JVM's
 *       {@link AppendLock} waits until every append in flight has ended; the highest index read under it is
 *       settled.</li>
 * </ul>
 * A wait beyond {@code maxWait} fails with {@link AppendLock.Busy}; the caller (the alert processor's unit of work)
 * rolls back and tries again.
 */
public final class SettledAppends implements SettledLog {
    private static final String TOP = "SELECT pg_current_snapshot()::text AS snapshot, MAX(global_index) AS top,"
            + " COUNT(*) AS entries FROM domain_event_entry WHERE global_index > ?";
    /** Still running, and of this database (the backend's current transaction). pg_stat_activity is read once per
     * transaction and then cached, so the cache is cleared before each look; pg_xact_status is always current. */
    private static final String IN_FLIGHT = "SELECT COUNT(*) FROM pg_snapshot_xip(?::pg_snapshot) x"
            + " WHERE pg_xact_status(x) = 'in progress' AND x::text::bigint % 4294967296 IN"
            + " (SELECT a.backend_xid::text::bigint FROM pg_stat_activity a WHERE a.datname = current_database()"
            + " AND a.pid <> pg_backend_pid() AND a.backend_xid IS NOT NULL)";

    private final JdbcTemplate jdbc;
    private final AppendLock appendLock;
    private final Duration maxWait;
    private final DatabaseKind database;

    public SettledAppends(JdbcTemplate jdbc, AppendLock appendLock, Duration maxWait) {
        this.jdbc = jdbc;
        this.appendLock = appendLock;
        this.maxWait = maxWait;
        this.database = new DatabaseKind(jdbc);
    }

    @Override
    public long settledIndex(long after) {
        return database.isPostgres() ? onPostgres(after) : onH2(after);
    }

    private long onPostgres(long after) {
        Map<String, Object> row = jdbc.queryForMap(TOP, after);
        Number top = (Number) row.get("top");
        if (top == null) {
            return after;
        }
        String snapshot = (String) row.get("snapshot");
        if (noGap(after, top.longValue(), ((Number) row.get("entries")).longValue()) || snapshot.endsWith(":")) {
            return top.longValue();
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        long pause = 1;
        while (true) {
            jdbc.queryForObject("SELECT pg_stat_clear_snapshot()::text", String.class);
            Long inFlight = jdbc.queryForObject(IN_FLIGHT, Long.class, snapshot);
            if (inFlight == null || inFlight == 0) {
                return top.longValue();
            }
            if (System.nanoTime() > deadline) {
                throw new AppendLock.Busy(inFlight + " appends in flight below global index " + top
                        + " did not end within " + maxWait.toMillis() + " ms");
            }
            sleep(pause);
            pause = Math.min(pause * 2, 20);
        }
    }

    private long onH2(long after) {
        long[] visible = topAndCount(after);
        if (visible[0] < 0 || noGap(after, visible[0], visible[1])) {
            return Math.max(after, visible[0]);
        }
        return Math.max(after, appendLock.exclusively(() -> topAndCount(after))[0]);
    }

    private long[] topAndCount(long after) {
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT MAX(global_index) AS top, COUNT(*) AS entries"
                        + " FROM domain_event_entry WHERE global_index > ?",
                after);
        Number top = (Number) row.get("top");
        return new long[] {top == null ? -1 : top.longValue(), ((Number) row.get("entries")).longValue()};
    }

    /** Every index in (after, top] is present (indexes start at 1, so the log's start counts from 0). */
    private static boolean noGap(long after, long top, long entries) {
        return entries == top - Math.max(after, 0);
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AppendLock.Busy("interrupted while waiting for appends in flight to end");
        }
    }
}
