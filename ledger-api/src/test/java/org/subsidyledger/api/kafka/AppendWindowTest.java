package org.subsidyledger.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.subsidyledger.api.kafka.LedgerScenario.cny;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.subsidyledger.api.audit.ProjectionReplay;
import org.subsidyledger.api.http.Unavailability;
import org.subsidyledger.api.kafka.PublishedEvents.Received;
import org.subsidyledger.api.kafka.PublishedEvents.Stored;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.api.support.PostgresDatabase;
import org.subsidyledger.api.support.Processors;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.projections.alert.AlertProjector;
import org.subsidyledger.projections.budget.BudgetProjector;
import org.subsidyledger.projections.budget.BudgetReadModel;
import org.subsidyledger.projections.budget.ProgramFigures;
import org.subsidyledger.projections.kafka.KafkaEventPublisher;

/**
 * No event is skipped at speed (issue 13): an appending transaction that commits late — after many entries with higher
 * global indexes have committed — still reaches every tracking processor (budget, alerts, Kafka), and one held open
 * past its append window is refused at COMMIT, so nothing commits after the processors stopped waiting for it.
 *
 * <p>On PostgreSQL with a real broker, with the windows shortened to seconds: append window 1 s, gap timeout 3 s, and
 * the production {@code max-gap-offset}. While one transaction holds its entry's global index, six threads append
 * as fast as they can: far more entries pass it than Axon's former default of 10,000 scaled to this run would have
 * allowed (set {@code ledger.store.max-gap-offset} to 20 here and the late entry is missing from Kafka and from the
 * budget).
 */
class AppendWindowTest {
    private static final String TOPIC = "it.append-window.events";
    private static final int FREE = 6;
    private static final ProgramId HELD = ProgramId.of("window-held");

    @TempDir
    Path brokerDirectory;

    @Test
    void aLateCommitReachesEveryProcessorAndOneOpenPastItsWindowIsRefused() throws Exception {
        InProcessKafkaBroker broker = new InProcessKafkaBroker(
                "127.0.0.1", KafkaLedger.freePort(), KafkaLedger.freePort(), brokerDirectory, List.of(TOPIC), 3);
        broker.start();
        String database = PostgresDatabase.create("ledger_append_window");
        try (KafkaLedger ledger = KafkaLedger.startOnPostgres(
                        PostgresDatabase.url(database),
                        new MutableClock(LedgerScenario.START),
                        Map.of(
                                "spring.kafka.bootstrap-servers",
                                broker.bootstrapServers(),
                                "ledger.kafka.events-topic",
                                TOPIC,
                                "ledger.store.append-window",
                                "1s",
                                "ledger.store.gap-timeout",
                                "3s"));
                PublishedEvents topic = new PublishedEvents(broker.bootstrapServers(), TOPIC)) {
            List<ProgramId> programs = new ArrayList<>(List.of(HELD));
            for (int p = 0; p < FREE; p++) {
                programs.add(ProgramId.of("window-" + p));
            }
            for (ProgramId program : programs) {
                LedgerScenario.launchComputeProgram(ledger, program);
            }
            TransactionTemplate transaction = new TransactionTemplate(ledger.bean(PlatformTransactionManager.class));

            // 1. Held for 700 ms, inside its 1 s window, while the others append: it commits after later indexes.
            AtomicLong lateIndex = new AtomicLong();
            long passed = whileOthersAppend(
                    ledger,
                    programs.subList(1, programs.size()),
                    () -> transaction.executeWithoutResult(tx -> {
                        ledger.send(new AppropriateFunds(HELD, cny("1234.56"), "late-but-in-time"));
                        lateIndex.set(ledger.jdbc.queryForObject(
                                "SELECT MAX(global_index) FROM domain_event_entry WHERE aggregate_identifier = ?",
                                Long.class,
                                HELD.value()));
                        sleep(700);
                    }));
            long committedAbove = ledger.jdbc.queryForObject(
                    "SELECT COUNT(*) FROM domain_event_entry WHERE global_index > ?", Long.class, lateIndex.get());
            System.out.printf(
                    "append window: the late entry %d committed after %d entries with higher indexes%n",
                    lateIndex.get(), committedAbove);
            assertThat(passed)
                    .as("entries appended by the others while it was held")
                    .isGreaterThan(20);

            // 2. Held for 1.5 s, past its window: refused at COMMIT as unavailable (503), nothing of it stored.
            assertThatThrownBy(() -> whileOthersAppend(
                            ledger,
                            programs.subList(1, programs.size()),
                            () -> transaction.executeWithoutResult(tx -> {
                                ledger.send(new AppropriateFunds(HELD, cny("99.00"), "too-late"));
                                sleep(1500);
                            })))
                    .satisfies(refused -> assertThat(Unavailability.isUnavailable(refused))
                            .as("answered 503 OVERLOADED: %s", refused)
                            .isTrue())
                    .hasStackTraceContaining("append window");
            assertThat(ledger.jdbc.queryForObject(
                            "SELECT COUNT(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE ?",
                            Long.class,
                            "%too-late%"))
                    .as("nothing of the refused transaction is stored")
                    .isZero();

            // Every processor has the late entry: Kafka carries it at its index, the budget counts it, and the
            // live budget and alerts equal a rebuild from the log.
            List<Stored> stored = PublishedEvents.storedEvents(ledger.jdbc);
            Map<String, Long> storedIndex = stored.stream().collect(Collectors.toMap(Stored::id, Stored::globalIndex));
            topic.readAll(storedIndex.keySet(), Duration.ofSeconds(60));
            List<Received> records = PublishedEvents.deduplicated(topic.drain(Duration.ofMillis(500)));
            assertThat(records).as("one record per stored event").hasSize(stored.size());
            assertThat(records)
                    .filteredOn(r -> r.globalIndex() == lateIndex.get())
                    .as("the late entry on Kafka at its own index")
                    .singleElement()
                    .satisfies(r -> assertThat(r.eventName()).isEqualTo("FundsAppropriated"));

            for (String processor : List.of(
                    BudgetProjector.PROCESSING_GROUP,
                    AlertProjector.PROCESSING_GROUP,
                    KafkaEventPublisher.PROCESSING_GROUP)) {
                Processors.awaitHead(Duration.ofSeconds(60), processor, ledger.context);
            }
            Money appropriated = ledger.bean(BudgetReadModel.class).programs("CN-ZJ").stream()
                    .filter(p -> p.program().programId().equals(HELD))
                    .map(ProgramFigures::figures)
                    .findFirst()
                    .orElseThrow()
                    .appropriated();
            assertThat(appropriated).as("the budget counts the late entry").isEqualTo(cny("1234.56"));
            ProjectionReplay.Report report = ledger.bean(ProjectionReplay.class).replay(null);
            assertThat(report.differences()).isEmpty();
            assertThat(report.identical()).isTrue();
        } finally {
            PostgresDatabase.drop(database);
            broker.stop();
        }
    }

    /** Runs {@code held} while {@link #FREE} threads append to the other programs; returns what they appended. */
    private static long whileOthersAppend(KafkaLedger ledger, List<ProgramId> others, Runnable held) throws Exception {
        AtomicInteger references = new AtomicInteger();
        AtomicLong appended = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(others.size());
        List<Future<?>> appending = new ArrayList<>();
        for (ProgramId program : others) {
            appending.add(threads.submit(() -> {
                while (running.get()) {
                    ledger.send(new AppropriateFunds(program, cny("1.00"), "free-" + references.incrementAndGet()));
                    appended.incrementAndGet();
                }
                return null;
            }));
        }
        try {
            Thread.sleep(100);
            long before = appended.get();
            held.run();
            return appended.get() - before;
        } finally {
            running.set(false);
            for (Future<?> thread : appending) {
                thread.get(60, TimeUnit.SECONDS);
            }
            threads.shutdownNow();
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
