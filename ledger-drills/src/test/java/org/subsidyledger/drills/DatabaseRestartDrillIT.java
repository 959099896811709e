package org.subsidyledger.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL restarted under load (issue 11). The shared server on 5432 is never touched: the drill runs its own
 * cluster under target/drills/database-restart/postgres ({@link PrivateCluster}), stops it with
 * {@code pg_ctl stop -m fast} (open connections cut), keeps it away for a few seconds and starts it again. While the
 * database is away the ledger answers {@code 503} quickly (not 500, no thread hung on a connection) and its health is
 * not UP; it recovers by itself within seconds of the database's return; nothing acknowledged is lost.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class DatabaseRestartDrillIT {
    static final int CLIENTS = 4 * DrillSettings.LEDGER_POOL_SIZE + 8;
    static final Duration BOUNDED_WAIT = Duration.ofSeconds(5);
    static final Duration RECOVERY = Duration.ofSeconds(10);

    @Test
    void theLedgerAnswers503WhileTheDatabaseIsAwayAndRecoversByItself() {
        Duration away = DrillSettings.seconds("database.outage");
        Duration length = DrillSettings.seconds("load").plus(away);
        try (DrillRun run = new DrillRun("database-restart")) {
            PrivateCluster cluster = run.privateCluster();
            LedgerProcess ledger = run.startLedger("ledger");
            run.setUp();
            Load load = run.load(CLIENTS).start(length);
            DrillSettings.sleep(length.minus(away).dividedBy(2));
            long stoppedAt = System.nanoTime();
            cluster.stop();
            DrillSettings.sleep(away.dividedBy(2));
            int healthAway = health(ledger.base);
            DrillSettings.sleep(away.dividedBy(2));
            cluster.startAgain();
            long backAt = System.nanoTime();
            long healthyAfter = awaitHealthy(ledger.base, backAt);
            load.awaitEnd();

            long during503 = load.count(503, stoppedAt, backAt);
            long during500 = load.attempts().stream()
                    .filter(a -> a.sentNanos() >= stoppedAt
                            && a.sentNanos() <= backAt
                            && a.status() >= 500
                            && a.status() != 503)
                    .count();
            long duringMax = load.maxLatencyMillis(stoppedAt, backAt);
            long recovery = load.recoveryMillis(backAt);
            Map<String, Object> extra = DrillRun.lines();
            extra.put(
                    "fault",
                    "private cluster on port " + cluster.port + ": pg_ctl stop -m fast, " + away.toSeconds()
                            + " s away, pg_ctl start");
            extra.put(
                    "while away",
                    during503 + " × 503, " + during500 + " × other 5xx, slowest answer "
                            + load.slowest(stoppedAt, backAt) + "; /actuator/health " + healthAway);
            extra.put("health UP again", healthyAfter + " ms after the database's return");
            extra.put("recovery time", recovery + " ms from the database's return to the first acknowledged answer");
            LedgerChecks checks = run.report(load, CLIENTS + " clients for " + length.toSeconds() + " s", extra);
            assertThat(checks.httpOther5xx()).as("5xx other than 503 (overall)").isZero();
            assertThat(during503).as("503 answers while the database was away").isPositive();
            assertThat(duringMax)
                    .as("the slowest answer to a request sent while the database was away (ms)")
                    .isLessThanOrEqualTo(BOUNDED_WAIT.toMillis());
            assertThat(healthAway)
                    .as("/actuator/health while the database was away")
                    .isEqualTo(503);
            assertThat(healthyAfter)
                    .as("health UP again after the database's return (ms)")
                    .isBetween(0L, RECOVERY.toMillis());
            assertThat(recovery).as("recovery after the database's return (ms)").isBetween(0L, RECOVERY.toMillis());
        }
    }

    /** The status of /actuator/health (public): 200 UP, 503 DOWN or OUT_OF_SERVICE; -1 no answer within 5 s. */
    static int health(URI base) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(base.resolve("/actuator/health"))
                                    .timeout(Duration.ofSeconds(5))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Milliseconds from {@code since} until health answers 200, polled every 100 ms for up to 60 s; -1 never. */
    static long awaitHealthy(URI base, long since) {
        long deadline = since + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (health(base) == 200) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            }
            DrillSettings.sleep(Duration.ofMillis(100));
        }
        return -1;
    }
}
