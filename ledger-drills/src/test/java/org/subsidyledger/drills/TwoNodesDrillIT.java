package org.subsidyledger.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two ledger processes on one database (issue 11), the clients spread over both and every program shared, so both
 * nodes append to the same hot programs and both write seals: nothing lost, nothing twice, no voucher beyond its face
 * value, no program below zero available, the log verified and replayed identically.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class TwoNodesDrillIT {
    static final int CLIENTS = 4 * DrillSettings.LEDGER_POOL_SIZE + 8;

    @Test
    void twoNodesOnOneDatabaseLoseNothingAndOverspendNothing() {
        Duration length = DrillSettings.seconds("load");
        try (DrillRun run = new DrillRun("two-nodes")) {
            run.database(DrillDatabase.SHARED_PORT).startLedger("ledger-a");
            run.startLedger("ledger-b");
            run.setUp();
            Load load = run.load(CLIENTS).start(length);
            load.awaitEnd();
            long toB = load.attempts().stream().filter(a -> a.node() == 1).count();
            Map<String, Object> extra = DrillRun.lines();
            extra.put(
                    "spread",
                    (load.attempts().size() - toB) + " requests to ledger-a, " + toB + " to ledger-b; "
                            + Workload.PROGRAMS + " programs shared by every client");
            extra.put("recovery time", "n/a (no fault)");
            LedgerChecks checks =
                    run.report(load, CLIENTS + " clients for " + length.toSeconds() + " s over 2" + " nodes", extra);
            assertThat(checks.httpOther5xx()).as("5xx other than 503").isZero();
            assertThat(toB).as("requests to the second node").isPositive();
        }
    }
}
