package org.subsidyledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.api.support.PostgresDatabase;

/**
 * Two nodes on one PostgreSQL database append to the same program at once (optimistic-lock conflicts roll appends
 * back and leave holes in the global index) while both keep sealing: the chains stay verifiable, the seals cover
 * consecutive ranges whose missing indexes really hold nothing, and two nodes asking for the same seal write one.
 */
class PostgresTwoNodeSealsTest {
    private static final int THREADS_PER_NODE = 3;
    private static final int ISSUES_PER_THREAD = 12;

    @TempDir
    Path files;

    @Test
    void concurrentAppendsAndSealsOnTwoNodesKeepTheLogVerifiable() throws Exception {
        String database = PostgresDatabase.create("subsidy_ledger_audit2_");
        MutableClock clock = new MutableClock(Instant.parse("2026-08-14T02:00:00Z"));
        try (AuditNode a = AuditNode.start(database, clock);
                AuditNode b = AuditNode.start(database, clock)) {
            String programId = a.launchCompute("CN-ZJ", "100000000.00");
            ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_NODE + 1);
            AtomicBoolean appending = new AtomicBoolean(true);
            AtomicInteger seals = new AtomicInteger();
            try {
                List<Future<Integer>> issuers = new ArrayList<>();
                for (AuditNode node : List.of(a, b)) {
                    for (int t = 0; t < THREADS_PER_NODE; t++) {
                        issuers.add(pool.submit(() -> {
                            int issued = 0;
                            for (int k = 0; k < ISSUES_PER_THREAD; k++) {
                                String voucherId = AuditNode.uid("v");
                                String firm = AuditNode.uscc();
                                int status = node.post(
                                                "/programs/" + programId + "/vouchers",
                                                "{\"voucherId\":\""
                                                        + voucherId + "\",\"beneficiary\":{\"id\":\"" + firm
                                                        + "\",\"name\":\"Firm\","
                                                        + "\"sector\":\"software\"},\"faceValue\":"
                                                        + AuditNode.money("1000.00")
                                                        + "}")
                                        .status();
                                assertThat(status).as("issue on a busy program").isIn(201, 503);
                                issued += status == 201 ? 1 : 0;
                            }
                            return issued;
                        }));
                    }
                }
                Future<?> sealer = pool.submit(() -> {
                    for (int k = 0; appending.get(); k++) {
                        if ((k % 2 == 0 ? a : b).seal()) {
                            seals.incrementAndGet();
                        }
                        Thread.sleep(15);
                    }
                    return null;
                });
                int issued = 0;
                for (Future<Integer> issuer : issuers) {
                    issued += issuer.get(180, TimeUnit.SECONDS);
                }
                appending.set(false);
                sealer.get(60, TimeUnit.SECONDS);
                assertThat(issued).as("vouchers issued").isPositive();
                assertThat(seals.get()).as("seals written while appending").isPositive();

                // both nodes ask for the next seal at the same moment: one writes it
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Boolean> sealA = pool.submit(() -> {
                    together.await();
                    return a.seal();
                });
                Future<Boolean> sealB = pool.submit(() -> {
                    together.await();
                    return b.seal();
                });
                int written = (sealA.get(60, TimeUnit.SECONDS) ? 1 : 0) + (sealB.get(60, TimeUnit.SECONDS) ? 1 : 0);
                assertThat(written)
                        .as("seals written by two nodes racing for the same number")
                        .isLessThanOrEqualTo(1);
                if (written == 0) {
                    assertThat(a.seal()).as("nothing new after the last seal").isFalse();
                }
            } finally {
                pool.shutdownNow();
            }

            long stored = a.jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
            for (AuditNode node : List.of(a, b)) {
                JsonNode verified = node.verify();
                assertThat(verified.path("verified").asBoolean())
                        .as("verify: %s", verified)
                        .isTrue();
                assertThat(verified.path("events").asLong()).isEqualTo(stored);
                assertThat(verified.path("unsealedEvents").asLong()).isZero();
            }

            List<JsonNode> sealEntries =
                    a.get("/audit/events?type=LedgerSealed").lines();
            assertThat(sealEntries.size()).isGreaterThanOrEqualTo(2);
            long previousTo = 0;
            long sealNo = 0;
            Set<Long> present =
                    new HashSet<>(a.jdbc.queryForList("SELECT global_index FROM domain_event_entry", Long.class));
            for (JsonNode seal : sealEntries) {
                JsonNode p = seal.path("payload");
                assertThat(seal.path("aggregateSequence").asLong()).isEqualTo(sealNo);
                assertThat(p.path("sealNo").asLong()).isEqualTo(sealNo++);
                assertThat(p.path("fromGlobalIndex").asLong()).as("seal %s", p).isEqualTo(previousTo);
                long to = p.path("toGlobalIndex").asLong();
                assertThat(p.path("entries").asLong() + p.path("missingIndexes").size())
                        .as("seal %s", p)
                        .isEqualTo(to - previousTo);
                p.path("missingIndexes").forEach(m -> assertThat(present).doesNotContain(m.asLong()));
                previousTo = to;
            }

            AuditNode.Offline offline = AuditNode.verifyOffline(a.export(files));
            assertThat(offline.status())
                    .as("offline: %s %s", offline.out(), offline.err())
                    .isEqualTo(VerifyCommand.INTACT);
        } finally {
            PostgresDatabase.drop(database);
        }
    }
}
