package org.subsidyledger.api.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.command.LedgerCommands;
import org.subsidyledger.api.command.RequestContext;
import org.subsidyledger.api.projection.Projections;
import org.subsidyledger.api.store.ProcessorPosition;
import org.subsidyledger.api.support.PostgresDatabase;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.Uscc;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.projections.kafka.KafkaEventPublisher;

/**
 * The demo loaded into real PostgreSQL at 127.0.0.1:5432 (the {@code postgres} profile), in a database this class
 * creates and drops, with Kafka publication on (an in-process broker on free ports), so that the replay of a
 * projection can be shown to leave the Kafka publisher alone. If PostgreSQL is not reachable every test fails, saying
 * so; none is skipped.
 */
class PostgresDemoLoaderTest extends DemoLoaderContract {
    private String database;
    private Map<String, Object> databaseProperties;

    @Override
    Map<String, Object> openDatabase() {
        database = PostgresDatabase.create("subsidy_ledger_demo_");
        databaseProperties =
                Map.of("spring.profiles.active", "postgres", "LEDGER_DB_URL", PostgresDatabase.url(database));
        return databaseProperties;
    }

    @Override
    void closeDatabase() {
        PostgresDatabase.drop(database);
    }

    @Override
    String utf8(String column) {
        return "convert_from(" + column + ", 'UTF8')";
    }

    @Override
    Map<String, Object> extraProperties() {
        return Map.of(
                "ledger.kafka.enabled",
                "true",
                "ledger.kafka.broker.port",
                freePort(),
                "ledger.kafka.broker.controller-port",
                freePort(),
                "ledger.kafka.broker.data-dir",
                scratch.resolve("kafka").toAbsolutePath());
    }

    // ================================================================ determinism

    /**
     * Determinism: the same seed and end instant, loaded into another fresh store (an H2 file this time), append the
     * same events — payloads, streams, sequence numbers and event times — in the same order.
     */
    @Test
    void theSameSeedAndEndGiveTheSameHistoryInAnotherFreshStore() {
        Map<String, Object> h2 = Map.of(
                "spring.datasource.url",
                "jdbc:h2:file:" + scratch.resolve("second").toAbsolutePath()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "ledger.kafka.enabled",
                "false");
        try (ConfigurableApplicationContext second = start(h2, false)) {
            DemoReport other = second.getBean(DemoLoader.class).load(SEED, END);
            assertThat(other.loaded()).isTrue();
            List<Map<String, Object>> events = events(second.getBean(JdbcTemplate.class), "UTF8TOSTRING(payload)");
            assertThat(events).hasSameSizeAs(demoEvents);
            for (int i = 0; i < events.size(); i++) {
                assertThat(normalised(events.get(i))).as("event %d", i).isEqualTo(normalised(demoEvents.get(i)));
            }
            assertThat(other.rejected()).isEqualTo(report.rejected());
            assertThat(other.accepted()).isEqualTo(report.accepted());
        }
    }

    /**
     * A row compared by value. A seal's digests cover the entries' hashes, which cover their event ids and command ids:
     * random by design, so two loads differ there and nowhere else; the rest of the seal must be the same.
     */
    private static Map<String, Object> normalised(Map<String, Object> row) {
        Map<String, Object> copy = new TreeMap<>();
        row.forEach((k, v) -> copy.put(k.toLowerCase(), v instanceof Number n ? n.longValue() : v));
        if ("ledger-seal".equals(copy.get("aggregate_identifier")) && copy.get("payload") instanceof String payload) {
            copy.put("payload", payload.replaceAll("\"(digest|hashSetDigest)\":\"[0-9a-f]{64}\"", "\"$1\":\"…\""));
        }
        return copy;
    }

    // ================================================================ replay

    /**
     * The budget projection is replayed from the log while another thread keeps sending commands: once it has caught
     * up, every province's budget equals the fold of the log, and the Kafka publisher's token never moved back (a
     * replay republishes nothing).
     */
    @Test
    void replaysTheBudgetWhileCommandsKeepArrivingAndLeavesKafkaAlone() throws Exception {
        awaitProcessor("budget");
        ProcessorPosition kafka =
                new ProcessorPosition(jdbc, context.getBean(Serializer.class), KafkaEventPublisher.PROCESSING_GROUP);
        awaitKafka(kafka);
        long kafkaBefore = kafka.position();

        LedgerCommands commands = context.getBean(LedgerCommands.class);
        // replaying while a replay token is stored or a segment replays (the status GET /admin/projections shows)
        Projections projections = context.getBean(Projections.class);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger sentWhileReplaying = new AtomicInteger();
        List<Long> kafkaPositions = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread writer = new Thread(
                () -> {
                    RequestContext who = new RequestContext("replay-test", null, null, "replay-test");
                    try {
                        while (writing.get()) {
                            int n = sent.incrementAndGet();
                            boolean replaying = projections.status("budget").replaying();
                            commands.send(
                                    n % 2 == 0
                                            ? new AppropriateFunds(
                                                    ProgramId.of("sh-compute-2025"),
                                                    Money.of(n + ".00", CurrencyCode.CNY),
                                                    "replay-top-up-" + n)
                                            : new IssueVoucher(
                                                    ProgramId.of("gd-shenzhen-model-2025"),
                                                    VoucherId.of("replay-v" + n),
                                                    new Beneficiary(uscc(n), "Replay Test Firm " + n, "software", null),
                                                    Money.of("10000.00", CurrencyCode.CNY)),
                                    who);
                            if (replaying) {
                                sentWhileReplaying.incrementAndGet();
                            }
                            kafkaPositions.add(kafka.position());
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                },
                "replay-writer");
        writer.start();
        try {
            await("a few commands before the replay", () -> sent.get() >= 5);
            Answer replay = send("POST", "/admin/projections/budget/replay", null);
            assertThat(replay.status()).as("answer %s", replay.body()).isEqualTo(202);
            assertThat(replay.body().path("name").asText()).isEqualTo("budget");
            await(
                    "the replay to finish with commands sent during it",
                    () -> !projections.status("budget").replaying() && sentWhileReplaying.get() >= 1);
        } finally {
            writing.set(false);
            writer.join(30_000);
        }
        assertThat(failures).as("failures of the writer").isEmpty();
        assertThat(sentWhileReplaying.get())
                .as("commands sent while the budget was replaying")
                .isPositive();
        awaitProcessor("budget");
        clock.set(END);
        for (JsonNode province : getOk("/provinces").path("provinces")) {
            String code = province.path("province").asText();
            assertThat(getOk("/provinces/" + code + "/budget"))
                    .as("budget of %s after the replay", code)
                    .isEqualTo(getOk("/provinces/" + code + "/budget?asOf=" + END));
        }
        for (long position : kafkaPositions) {
            assertThat(position)
                    .as("the Kafka publisher's position during the replay")
                    .isGreaterThanOrEqualTo(kafkaBefore);
        }
        awaitKafka(kafka);
        assertThat(kafka.position())
                .isEqualTo(jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry", Long.class));
        String tokenType = jdbc.queryForObject(
                "SELECT token_type FROM token_entry WHERE processor_name = ?",
                String.class,
                KafkaEventPublisher.PROCESSING_GROUP);
        assertThat(tokenType).as("the publisher's token").doesNotContain("ReplayToken");
    }

    @Test
    void neverReplaysTheKafkaPublisher() {
        ProcessorPosition kafka =
                new ProcessorPosition(jdbc, context.getBean(Serializer.class), KafkaEventPublisher.PROCESSING_GROUP);
        awaitKafka(kafka);
        long before = kafka.position();
        Answer answer = send("POST", "/admin/projections/kafka-publisher/replay", null);
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body().path("code").asText()).isEqualTo("REPLAY_REFUSED");
        assertThat(answer.body().path("detail").asText()).contains("side effects");
        assertThat(kafka.position()).isGreaterThanOrEqualTo(before);
        JsonNode listed = null;
        for (JsonNode p : getOk("/admin/projections").path("processors")) {
            if (p.path("name").asText().equals(KafkaEventPublisher.PROCESSING_GROUP)) {
                listed = p;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.path("replayable").asBoolean()).isFalse();
        assertThat(listed.path("running").asBoolean()).isTrue();
    }

    /** While a second node holds segments of the budget processor, Axon cannot reset its tokens: 409, nothing changed. */
    @Test
    void refusesAReplayWhileAnotherNodeHoldsSegments() {
        awaitProcessor("budget");
        Map<String, Object> second = new HashMap<>(databaseProperties);
        second.put("ledger.kafka.enabled", "false");
        // The event clock runs from the wall clock's present while two nodes share the segments: Axon's pooled
        // processor dates the release of a segment to another node with the event clock (no event is appended here).
        clock.runFrom(Instant.now());
        try (ConfigurableApplicationContext other = start(second, false)) {
            StreamingEventProcessor there = other.getBean(EventProcessingConfiguration.class)
                    .eventProcessor("budget", StreamingEventProcessor.class)
                    .orElseThrow();
            await(
                    "the second node to claim segments of the budget",
                    () -> !there.processingStatus().isEmpty());
            Long rows = jdbc.queryForObject("SELECT COUNT(*) FROM budget_program", Long.class);
            Answer answer = send("POST", "/admin/projections/budget/replay", null);
            assertThat(answer.status()).as("answer %s", answer.body()).isEqualTo(409);
            assertThat(answer.body().path("code").asText()).isEqualTo("REPLAY_REFUSED");
            assertThat(answer.body().path("detail").asText()).contains("another node");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM budget_program", Long.class))
                    .isEqualTo(rows);
            assertThat(jdbc.queryForList(
                            "SELECT token_type FROM token_entry WHERE processor_name = 'budget'", String.class))
                    .allMatch(t -> !t.contains("ReplayToken"));
        } finally {
            clock.set(END);
        }
        awaitProcessor("budget");
    }

    private void awaitKafka(ProcessorPosition kafka) {
        await("Kafka publication to catch up", () -> kafka.lag() == 0);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep(50);
        }
    }

    private static String uscc(int n) {
        String first = "91440300MA" + String.format("%07d", n);
        return first + Uscc.checkCharacter(first);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
