package org.subsidyledger.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow database (issue 11): a separate connection holds {@code LOCK TABLE domain_event_entry IN EXCLUSIVE MODE} for
 * 10 s under load, so no append can commit while reads go on. The ledger answers {@code 503 OVERLOADED} within a
 * bounded time instead of holding every thread, never a 500; once the lock is gone it answers again, and nothing
 * acknowledged is lost.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class SlowDatabaseDrillIT {
    static final int CLIENTS = 4 * DrillSettings.LEDGER_POOL_SIZE + 8;
    /** The longest a request sent during the lock may wait for its answer: well below the lock itself. */
    static final Duration BOUNDED_WAIT = Duration.ofSeconds(5);

    static final Duration RECOVERY = Duration.ofSeconds(10);

    @Test
    void aLockedEventTableGives503sThenRecoveryAndNothingLost() throws SQLException {
        Duration lock = DrillSettings.seconds("lock");
        Duration length = DrillSettings.seconds("load").plus(lock);
        try (DrillRun run = new DrillRun("slow-database")) {
            run.database(DrillDatabase.SHARED_PORT).startLedger("ledger");
            run.setUp();
            Load load = run.load(CLIENTS).start(length);
            DrillSettings.sleep(length.minus(lock).dividedBy(2));
            long lockedAt;
            long releasedAt;
            try (Connection holder = run.database.connect();
                    Statement statement = holder.createStatement()) {
                holder.setAutoCommit(false);
                statement.execute("LOCK TABLE domain_event_entry IN EXCLUSIVE MODE");
                lockedAt = System.nanoTime();
                DrillSettings.sleep(lock);
                holder.rollback();
                releasedAt = System.nanoTime();
            }
            load.awaitEnd();

            long during503 = load.count(503, lockedAt, releasedAt);
            long duringMax = load.maxLatencyMillis(lockedAt, releasedAt);
            long recovery = load.recoveryMillis(releasedAt);
            Map<String, Object> extra = DrillRun.lines();
            extra.put("fault", "LOCK TABLE domain_event_entry IN EXCLUSIVE MODE for " + lock.toSeconds() + " s");
            extra.put("during the lock", during503 + " × 503, slowest answer " + load.slowest(lockedAt, releasedAt));
            extra.put("recovery time", recovery + " ms from the lock's release to the first acknowledged answer");
            LedgerChecks checks = run.report(load, CLIENTS + " clients for " + length.toSeconds() + " s", extra);
            assertThat(checks.httpOther5xx()).as("5xx other than 503").isZero();
            assertThat(during503)
                    .as("503 OVERLOADED answers while appends could not commit")
                    .isPositive();
            assertThat(duringMax)
                    .as("the slowest answer to a request sent during the lock (ms)")
                    .isLessThanOrEqualTo(BOUNDED_WAIT.toMillis());
            assertThat(recovery).as("recovery after the lock (ms)").isBetween(0L, RECOVERY.toMillis());
        }
    }
}
