package org.subsidyledger.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.api.kafka.LedgerScenario.cny;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.subsidyledger.api.kafka.PublishedEvents.Received;
import org.subsidyledger.api.kafka.PublishedEvents.Stored;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.api.support.PostgresDatabase;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.shared.ProgramId;

/**
 * Issue 11: under concurrent appends that commit out of order, every record on the topic carries the global index its
 * event was stored at. Some appending transactions are held open after their events took their global index while
 * others take later indexes and commit; a tracking processor then reads the held events after later ones, with a
 * token whose index is already past theirs. Checked on the consumer side, on PostgreSQL with a real broker: as many
 * records as events, as many distinct indexes as events, and each record's index the store's index for its id.
 */
class OutOfOrderCommitIndexTest {
    private static final String TOPIC = "it.out-of-order.events";
    private static final int HELD = 3;
    private static final int FREE = 5;
    private static final Duration LOAD = Duration.ofSeconds(4);

    @TempDir
    Path brokerDirectory;

    @Test
    void everyRecordCarriesItsEventsStoredIndexWhenCommitsAreOutOfOrder() throws Exception {
        InProcessKafkaBroker broker = new InProcessKafkaBroker(
                "127.0.0.1", KafkaLedger.freePort(), KafkaLedger.freePort(), brokerDirectory, List.of(TOPIC), 3);
        broker.start();
        String database = PostgresDatabase.create("ledger_kafka_order");
        try (KafkaLedger ledger = KafkaLedger.startOnPostgres(
                        PostgresDatabase.url(database),
                        new MutableClock(LedgerScenario.START),
                        Map.of(
                                "spring.kafka.bootstrap-servers",
                                broker.bootstrapServers(),
                                "ledger.kafka.events-topic",
                                TOPIC));
                PublishedEvents topic = new PublishedEvents(broker.bootstrapServers(), TOPIC)) {
            List<ProgramId> programs = new ArrayList<>();
            for (int p = 0; p < HELD + FREE; p++) {
                ProgramId program = ProgramId.of("order-" + p);
                LedgerScenario.launchComputeProgram(ledger, program);
                programs.add(program);
            }
            TransactionTemplate transaction = new TransactionTemplate(ledger.bean(PlatformTransactionManager.class));
            AtomicInteger lateCommits = new AtomicInteger();
            AtomicInteger references = new AtomicInteger();
            long until = System.nanoTime() + LOAD.toNanos();
            ExecutorService threads = Executors.newFixedThreadPool(HELD + FREE);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < HELD + FREE; t++) {
                ProgramId program = programs.get(t);
                boolean held = t < HELD;
                running.add(threads.submit(() -> {
                    while (System.nanoTime() < until) {
                        AppropriateFunds command =
                                new AppropriateFunds(program, cny("10.00"), "ref-" + references.incrementAndGet());
                        if (!held) {
                            ledger.send(command);
                            continue;
                        }
                        // The command joins this transaction: its event takes its global index now and commits
                        // only when the transaction ends, after events the other threads append meanwhile.
                        transaction.executeWithoutResult(tx -> {
                            ledger.send(command);
                            Long own = ledger.jdbc.queryForObject(
                                    "SELECT MAX(global_index) FROM domain_event_entry"
                                            + " WHERE aggregate_identifier = ?",
                                    Long.class,
                                    program.value());
                            sleep(150 + ThreadLocalRandom.current().nextInt(250));
                            if (committedAbove(ledger, own)) {
                                lateCommits.incrementAndGet();
                            }
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> thread : running) {
                thread.get(LOAD.toSeconds() + 60, TimeUnit.SECONDS);
            }
            threads.shutdownNow();

            List<Stored> stored = PublishedEvents.storedEvents(ledger.jdbc);
            Map<String, Long> storedIndex = stored.stream().collect(Collectors.toMap(Stored::id, Stored::globalIndex));
            System.out.printf(
                    "out-of-order appends: %d events stored, %d held transactions committed after a" + " later index%n",
                    stored.size(), lateCommits.get());
            assertThat(lateCommits.get())
                    .as("held transactions that committed after a later index had")
                    .isPositive();

            topic.readAll(storedIndex.keySet(), Duration.ofSeconds(60));
            List<Received> records = topic.drain(Duration.ofMillis(500));
            assertThat(records).as("records = events").hasSize(stored.size());
            assertThat(records.stream().map(Received::globalIndex).distinct().count())
                    .as("distinct global indexes = events")
                    .isEqualTo(stored.size());
            for (Received record : records) {
                assertThat(record.globalIndex())
                        .as("globalindex of %s %s", record.eventName(), record.id())
                        .isEqualTo(storedIndex.get(record.id()));
            }
            PublishedEvents.assertLogOrderPerKey(records);
        } finally {
            PostgresDatabase.drop(database);
            broker.stop();
        }
    }

    /** True when an event with a higher global index than {@code own} is already committed (seen from outside). */
    private static boolean committedAbove(KafkaLedger ledger, long own) {
        try (var connection = ledger.context.getBean(javax.sql.DataSource.class).getConnection();
                var statement = connection.prepareStatement(
                        "SELECT COUNT(*) FROM domain_event_entry" + " WHERE global_index > ?")) {
            // a connection of its own (not this thread's transaction), so it sees only committed rows
            statement.setLong(1, own);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
