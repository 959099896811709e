package org.subsidyledger.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Burst (issue 11): 64 clients, more than six times the ledger's pool, send commands as fast as they are answered
 * while a seal is due every 100 entries. Every request is answered within 2 s, none with a 5xx, every seal written.
 *
 * <p>The burst meets a running ledger, as a month-end does: for 20 s before it, a quarter of the clients keep the
 * ledger busy while its JVM compiles its hot code, and the other clients join 5 s before the measured minute, so that
 * it starts with all 64 running. Those requests are checked against the log like every other but
 * left out of the latency and 5xx figures, which the drill prints for them apart (a burst on a JVM that started a
 * moment ago is answered 503 with Retry-After for its first seconds: docs/RELIABILITY.md).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class BurstDrillIT {
    static final int CLIENTS = 64;
    static final Duration MAX_LATENCY = Duration.ofSeconds(2);
    static final Duration WARM_UP = Duration.ofSeconds(20);
    /** A seal is looked for every second and waits at most 2 s for the appends in flight. */
    static final Duration SEAL_DUE_WITHIN = Duration.ofSeconds(4);

    static final int WARM_UP_CLIENTS = CLIENTS / 4;
    static final Duration JOIN_BEFORE = Duration.ofSeconds(5);

    @Test
    void sixtyFourClientsAreAnsweredWithinTwoSecondsWithoutA5xxAndEverySealIsWritten() {
        Duration length = DrillSettings.seconds("burst");
        try (DrillRun run = new DrillRun("burst")) {
            run.database(DrillDatabase.SHARED_PORT).startLedger("ledger");
            run.setUp();
            Load load = run.load(CLIENTS).warmUpThenStart(WARM_UP, WARM_UP_CLIENTS, JOIN_BEFORE, length);
            load.awaitEnd();
            Map<String, Object> extra = DrillRun.lines();
            extra.put("recovery time", "n/a (no fault)");
            LedgerChecks checks = run.report(load, CLIENTS + " clients for " + length.toSeconds() + " s", extra);
            assertThat(checks.http5xx()).as("5xx answers in the burst").isZero();
            assertThat(checks.brokenOrTimedOut())
                    .as("requests without an answer in the burst")
                    .isZero();
            assertThat(load.latencies().getMaxValue() / 1000)
                    .as("the slowest request (ms)")
                    .isLessThanOrEqualTo(MAX_LATENCY.toMillis());
            // every seal that fell due was written, within a check interval and a bounded lock wait of it
            assertThat(checks.seals)
                    .as("seals written during the burst of %d entries", checks.events.size())
                    .isGreaterThanOrEqualTo(checks.events.size() / (2L * LedgerProcess.SEAL_EVERY));
            assertThat(checks.sealLateness)
                    .as("the longest a seal came after %d unsealed entries", LedgerProcess.SEAL_EVERY)
                    .isLessThanOrEqualTo(SEAL_DUE_WITHIN);
        }
    }
}
