package org.subsidyledger.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of the ledger at a random moment under load, then a restart (issue 11): every acknowledged command is in the
 * log exactly once, {@code /audit/verify} verifies, the replay is identical, no voucher beyond its face value, no
 * program below zero available. The clients keep retrying what was in flight, with the same Idempotency-Key, until the
 * restarted ledger answers.
 *
 * <p>Commands in flight at the kill are answered too: their Idempotency-Key claim, left behind by the dead node, is
 * taken over after {@code ledger.idempotency.stale-after} (15 s), and the retry either runs the command or, when the
 * first attempt had committed, finds its commit mark and answers without running it again. So every command the load
 * sent must be acknowledged in the end, and exactly once in the log.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class KillDrillIT {
    static final int CLIENTS = 4 * DrillSettings.LEDGER_POOL_SIZE + 8;

    @Test
    void everyAcknowledgedCommandSurvivesAKillNineExactlyOnce() {
        Duration length = DrillSettings.seconds("load");
        try (DrillRun run = new DrillRun("kill")) {
            LedgerProcess ledger = run.database(DrillDatabase.SHARED_PORT).startLedger("ledger");
            run.setUp();
            Load load = run.load(CLIENTS).start(length);
            long killAfterMillis = ThreadLocalRandom.current().nextLong(length.toMillis() / 5, length.toMillis() / 2);
            DrillSettings.sleep(Duration.ofMillis(killAfterMillis));
            ledger.kill9();
            // after kill9 returns the process is gone: no answer after this instant comes from it
            long killedAt = System.nanoTime();
            ledger.launch();
            long upAt = System.nanoTime();
            load.awaitEnd();

            long ledgerDownMillis = TimeUnit.NANOSECONDS.toMillis(upAt - killedAt);
            Map<String, Object> extra = DrillRun.lines();
            extra.put("killed", "kill -9 after " + killAfterMillis + " ms of load");
            extra.put(
                    "restart",
                    "the same command line at once; answering again " + ledgerDownMillis + " ms after the kill");
            extra.put(
                    "recovery time",
                    load.recoveryMillis(killedAt) + " ms from the kill to the first acknowledged" + " answer");
            LedgerChecks checks = run.report(load, CLIENTS + " clients for " + length.toSeconds() + " s", extra);
            assertThat(checks.brokenOrTimedOut())
                    .as("requests the kill cut off (the load ran into it)")
                    .isPositive();
            assertThat(load.recoveryMillis(killedAt))
                    .as("an acknowledged answer after the restart")
                    .isPositive();
        }
    }
}
