package org.subsidyledger.drills;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Burst (issue 11): 64 clients, more than six times the ledger's pool, send commands as fast as they are answered
 * while a seal is due every 100 entries. Every request is answered within 2 s, none with a 5xx, every seal written.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class BurstDrillIT {
    static final int CLIENTS = 64;
    static final Duration MAX_LATENCY = Duration.ofSeconds(2);

    @Test
    void sixtyFourClientsAreAnsweredWithinTwoSecondsWithoutA5xxAndEverySealIsWritten() {
        Duration length = DrillSettings.seconds("burst");
        try (DrillRun run = new DrillRun("burst")) {
            run.database(DrillDatabase.SHARED_PORT).startLedger("ledger");
            run.setUp();
            Load load = run.load(CLIENTS).start(length);
            load.awaitEnd();
            Map<String, Object> extra = DrillRun.lines();
            extra.put("recovery time", "n/a (no fault)");
            LedgerChecks checks = run.report(load, CLIENTS + " clients for " + length.toSeconds() + " s", extra);
            assertThat(checks.http5xx()).as("5xx answers in the burst").isZero();
            assertThat(checks.brokenOrTimedOut()).as("requests without an answer in the burst").isZero();
            assertThat(load.latencies().getMaxValue() / 1000).as("the slowest request (ms)")
                    .isLessThanOrEqualTo(MAX_LATENCY.toMillis());
            // with fewer than 100 unsealed entries left (checked in report), a log of N entries holds at least
            // (N - 99) / 101 seals: every seal that fell due was written
            assertThat(checks.seals).as("seals written during the burst of %d entries", checks.events.size())
                    .isGreaterThanOrEqualTo((checks.events.size() - (LedgerProcess.SEAL_EVERY - 1))
                            / (LedgerProcess.SEAL_EVERY + 1));
        }
    }
}
