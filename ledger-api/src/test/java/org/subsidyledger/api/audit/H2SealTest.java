package org.subsidyledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.subsidyledger.api.store.BackgroundWork;
import org.subsidyledger.api.support.MutableClock;

/**
 * The embedded default (H2, one node): seals written while several threads append stay consistent (the in-JVM
 * append lock stands in for PostgreSQL's table lock), the log verifies online and offline, and a seal is stamped
 * with the ledger's clock, not the wall clock.
 */
class H2SealTest {
    @TempDir
    Path data;

    @TempDir
    Path files;

    @Test
    void sealsWrittenDuringAppendsCoverConsecutiveRangesAndTheLogVerifies() throws Exception {
        Instant simulated = Instant.parse("2026-03-01T16:00:00Z");
        MutableClock clock = new MutableClock(simulated);
        try (AuditNode node = AuditNode.startH2(data, clock)) {
            assertThat(node.seal()).as("nothing to seal in an empty ledger").isFalse();
            String programId = node.launchCompute("CN-ZJ", "100000000.00");
            ExecutorService pool = Executors.newFixedThreadPool(5);
            AtomicBoolean appending = new AtomicBoolean(true);
            AtomicInteger seals = new AtomicInteger();
            try {
                List<Future<?>> issuers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    issuers.add(pool.submit(() -> {
                        for (int k = 0; k < 10; k++) {
                            String firm = AuditNode.uscc();
                            assertThat(node.post(
                                                    "/programs/" + programId + "/vouchers",
                                                    "{\"voucherId\":\""
                                                            + AuditNode.uid("v") + "\",\"beneficiary\":{\"id\":\""
                                                            + firm
                                                            + "\",\"name\":\"Firm\",\"sector\":\"software\"},\"faceValue\":"
                                                            + AuditNode.money("1000.00") + "}")
                                            .status())
                                    .isIn(201, 503);
                        }
                        return null;
                    }));
                }
                Future<?> sealer = pool.submit(() -> {
                    while (appending.get()) {
                        if (node.seal()) {
                            seals.incrementAndGet();
                        }
                        Thread.sleep(10);
                    }
                    return null;
                });
                for (Future<?> issuer : issuers) {
                    issuer.get(120, TimeUnit.SECONDS);
                }
                appending.set(false);
                sealer.get(30, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            node.seal();
            assertThat(node.seal()).as("nothing new after the last seal").isFalse();
            assertThat(seals.get()).isPositive();

            JsonNode verified = node.verify();
            assertThat(verified.path("verified").asBoolean()).as("%s", verified).isTrue();
            assertThat(verified.path("unsealedEvents").asLong()).isZero();
            assertThat(verified.path("lastSeal").path("timestamp").asText()).startsWith("2026-03-01T16:00:00");
            long previousTo = 0;
            for (JsonNode seal : node.get("/audit/events?type=LedgerSealed").lines()) {
                assertThat(seal.path("payload").path("fromGlobalIndex").asLong())
                        .isEqualTo(previousTo);
                assertThat(seal.path("payload").path("trigger").asText()).isEqualTo("ON_DEMAND");
                previousTo = seal.path("payload").path("toGlobalIndex").asLong();
            }
            AuditNode.Offline offline = AuditNode.verifyOffline(node.export(files));
            assertThat(offline.status())
                    .as("%s %s", offline.out(), offline.err())
                    .isEqualTo(VerifyCommand.INTACT);
        }
    }

    /**
     * {@code ledger.audit.seal.*}: a seal after every N entries, looked at on schedule; none while the
     * {@link BackgroundWork} gate is closed (the demo loader's history), and none when nothing new was appended.
     */
    @Test
    void theScheduleSealsEveryNEntriesUnlessTheGateIsClosed() throws Exception {
        try (AuditNode node = AuditNode.startH2(
                data,
                new MutableClock(Instant.parse("2026-03-01T16:00:00Z")),
                "--ledger.audit.seal.scheduled=true",
                "--ledger.audit.seal.every-events=5",
                "--ledger.audit.seal.check-interval=100ms")) {
            String programId = node.launchCompute("CN-ZJ", "100000000.00");
            node.issue(programId, "1000.00");
            node.issue(programId, "1000.00");
            node.issue(programId, "1000.00");
            awaitSeals(node, 1);
            JsonNode first = node.get("/audit/events?type=LedgerSealed").lines().get(0);
            assertThat(first.path("payload").path("trigger").asText()).isEqualTo("EVENT_COUNT");
            assertThat(first.path("payload").path("entries").asLong()).isEqualTo(5);

            BackgroundWork gate = node.context.getBean(BackgroundWork.class);
            try (BackgroundWork.Pause pause = gate.pause()) {
                for (int k = 0; k < 6; k++) {
                    node.issue(programId, "1000.00");
                }
                Thread.sleep(800);
                assertThat(sealCount(node))
                        .as("no seal while the gate is closed")
                        .isEqualTo(1);
            }
            awaitSeals(node, 2);
            Thread.sleep(500);
            assertThat(sealCount(node)).as("no seal without new entries").isEqualTo(2);
        }
    }

    /**
     * Issue 17: on a quiet ledger a few entries are sealed once the oldest of them is {@code interval} old (ledger
     * clock), not only after {@code every-events} entries or at midnight; the {@code seals} health component turns DOWN
     * when an entry has waited three intervals without a seal.
     */
    @Test
    void aFewEntriesAreSealedOnceTheOldestIsAnIntervalOldAndHealthShowsAnOverdueSeal() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T02:00:00Z"));
        try (AuditNode node = AuditNode.startH2(
                data,
                clock,
                "--ledger.audit.seal.scheduled=true",
                "--ledger.audit.seal.every-events=1000",
                "--ledger.audit.seal.interval=60s",
                "--ledger.audit.seal.check-interval=100ms")) {
            HealthIndicator seals = node.context.getBean("sealsHealthIndicator", HealthIndicator.class);
            String programId = node.launchCompute("CN-ZJ", "100000000.00");
            node.issue(programId, "1000.00");
            Thread.sleep(600);
            assertThat(sealCount(node))
                    .as("the oldest entry is not a minute old yet")
                    .isZero();
            assertThat(seals.health().getStatus()).isEqualTo(Status.UP);

            clock.set(Instant.parse("2026-03-01T02:01:00Z"));
            awaitSeals(node, 1);
            JsonNode seal = node.get("/audit/events?type=LedgerSealed").lines().get(0);
            assertThat(seal.path("payload").path("trigger").asText()).isEqualTo("INTERVAL");
            assertThat(seal.path("payload").path("entries").asLong()).isEqualTo(3);
            assertThat(node.verify().path("unsealedEvents").asLong()).isZero();
            Thread.sleep(400);
            assertThat(sealCount(node)).as("nothing new, no new seal").isEqualTo(1);
            assertThat(seals.health().getStatus()).isEqualTo(Status.UP);

            // seals cannot be written (an append holds the lock they need; each attempt is postponed) while an entry
            // waits three minutes: the seals component turns DOWN, from what the schedule saw, without a query
            node.issue(programId, "1000.00");
            AppendLock appendLock = node.context.getBean(AppendLock.class);
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService holder = Executors.newSingleThreadExecutor();
            try {
                holder.submit(() -> appendLock.duringAppend(() -> {
                    holding.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
                clock.set(Instant.parse("2026-03-01T02:04:01Z"));
                Health overdue = awaitHealth(seals, Status.DOWN);
                assertThat(overdue.getDetails()).containsEntry("unsealedForSeconds", 181L);
                assertThat(sealCount(node)).as("no seal while the lock is held").isEqualTo(1);
            } finally {
                release.countDown();
                holder.shutdown();
            }
            awaitSeals(node, 2);
            awaitHealth(seals, Status.UP);
        }
    }

    private static Health awaitHealth(HealthIndicator indicator, Status status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Health health = indicator.health();
        while (!health.getStatus().equals(status) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            health = indicator.health();
        }
        assertThat(health.getStatus()).as("%s", health).isEqualTo(status);
        return health;
    }

    private static long sealCount(AuditNode node) {
        return node.jdbc.queryForObject(
                "SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?", Long.class, "ledger-seal");
    }

    private static void awaitSeals(AuditNode node, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sealCount(node) < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sealCount(node)).as("seals written on schedule").isEqualTo(count);
    }
}
