package org.subsidyledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.budget.BudgetNode;
import org.subsidyledger.api.http.Overloaded;
import org.subsidyledger.api.overload.RequestDeadline;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Uscc;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherSettings;

/**
 * On one node, commands on one program find it in the aggregate cache: after the first, every command's load is a
 * hit, none is taken for a stale copy, and none reads the snapshot and events again — refused commands included, and
 * a refusal leaves the cached program exactly as the log has it.
 */
class AggregateCacheHitTest {
    @TempDir
    static Path dataDirectory;

    @Test
    void commandsOnOneProgramAreServedFromTheCache() throws Exception {
        try (BudgetNode node = startNode("ledger")) {
            ProgramId program = launch(node, "cache-hits");
            CheckedAggregateCache cache = cacheOf(node.bean(Configuration.class));
            long hitsBefore = cache.hits();
            for (int i = 0; i < 10; i++) {
                String first17 = "913301" + String.format("%011d", i);
                node.send(new IssueVoucher(
                        program, VoucherId.of("cache-v" + i), firm(first17, "Firm " + i), cny("1000.00")));
            }
            assertThat(cache.staleCopies())
                    .as("copies taken for stale on one node")
                    .isZero();
            assertThat(cache.hits() - hitsBefore)
                    .as("commands served from the cache")
                    .isGreaterThanOrEqualTo(10);

            // refusals in between: each rolls its unit of work back, and the cached program survives it unchanged
            long hitsBeforeRefusals = cache.hits();
            long keptBefore = cache.keptOnRollback();
            for (int i = 0; i < 5; i++) {
                Beneficiary firm = firm("913302" + String.format("%011d", i), "Big firm " + i);
                LedgerRejection tooLarge = node.trySend(
                        new IssueVoucher(program, VoucherId.of("too-large-" + i), firm, cny("10000000.01")));
                assertThat(tooLarge).as("refusal %d", i).isNotNull();
                assertThat(tooLarge.code()).isEqualTo(RejectionCode.VOUCHER_VALUE_CAP_EXCEEDED);
                LedgerRejection again =
                        node.trySend(new IssueVoucher(program, VoucherId.of("cache-v0"), firm, cny("1.00")));
                assertThat(again.code()).isEqualTo(RejectionCode.ALREADY_EXISTS);
            }
            // 990,000.00 is still available: a stale or half-changed copy would decide this differently
            node.send(new IssueVoucher(
                    program, VoucherId.of("cache-last"), firm("91330300MA2C00001", "Last firm"), cny("990000.00")));
            LedgerRejection nothingLeft = node.trySend(new IssueVoucher(
                    program, VoucherId.of("cache-over"), firm("91330300MA2C00002", "One more firm"), cny("0.01")));
            assertThat(nothingLeft.code()).isEqualTo(RejectionCode.BUDGET_EXCEEDED);
            assertThat(cache.keptOnRollback() - keptBefore)
                    .as("refusals after which the copy was kept")
                    .isGreaterThanOrEqualTo(11);
            assertThat(cache.hits() - hitsBeforeRefusals)
                    .as("loads served from the cache, refusals included")
                    .isGreaterThanOrEqualTo(12);
            assertThat(cache.staleCopies())
                    .as("copies taken for stale on one node")
                    .isZero();
        }
    }

    /**
     * A command whose request has no time left once its program is loaded is refused as overloaded before it decides
     * anything, and the program it loaded stays cached: the next command is served from the cache (a program too large
     * to load within one request's budget can still be served).
     */
    @Test
    void aCommandOutOfTimeAfterTheLoadKeepsTheLoadedProgram() throws Exception {
        try (BudgetNode node = startNode("out-of-time")) {
            ProgramId program = launch(node, "out-of-time");
            CheckedAggregateCache cache = cacheOf(node.bean(Configuration.class));
            cache.removeAll();
            assertThat((Object) cache.get(program.value())).as("cached before").isNull();

            Duration budget = Duration.ofSeconds(4);
            RequestDeadline.start(System.nanoTime() - budget.toNanos(), budget);
            try {
                assertThatThrownBy(() -> node.send(new IssueVoucher(
                                program, VoucherId.of("late-v1"), firm("91330400MA2C00001", "Late firm"), cny("1.00"))))
                        .as("a command with no time left")
                        .isInstanceOf(Overloaded.class);
            } finally {
                RequestDeadline.clear();
            }
            assertThat(node.bean(JdbcTemplate.class)
                            .queryForObject(
                                    "SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                                    Long.class,
                                    program.value()))
                    .as("events of the program: launch and appropriation only")
                    .isEqualTo(2L);
            assertThat((Object) cache.get(program.value()))
                    .as("the program loaded by the refused command, still cached")
                    .isNotNull();

            long hits = cache.hits();
            node.send(new IssueVoucher(
                    program, VoucherId.of("late-v1"), firm("91330400MA2C00001", "Late firm"), cny("1.00")));
            assertThat(cache.hits() - hits).as("the next command's load").isEqualTo(1);
        }
    }

    private static BudgetNode startNode(String database) {
        return BudgetNode.start(
                Map.of(
                        "spring.datasource.url",
                        "jdbc:h2:file:"
                                + dataDirectory.resolve(database).toAbsolutePath()
                                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000"),
                new MutableClock(Instant.parse("2026-03-02T02:00:00Z")),
                false);
    }

    /** A compute-voucher program with 1,000,000.00 appropriated. */
    private static ProgramId launch(BudgetNode node, String id) {
        ProgramId program = ProgramId.of(id);
        node.send(new LaunchProgram(
                program,
                "Vouchers " + id,
                ProgramKind.COMPUTE_VOUCHER,
                "CN-ZJ",
                "Hangzhou",
                CurrencyCode.CNY,
                new VoucherSettings(
                        Ratio.of("0.5"),
                        cny("10000000.00"),
                        cny("50000000.00"),
                        30,
                        List.of("software"),
                        Payee.BENEFICIARY)));
        node.send(new AppropriateFunds(program, cny("1000000.00"), "ZJ-2026"));
        return program;
    }

    private static CheckedAggregateCache cacheOf(Configuration axon) throws ReflectiveOperationException {
        Object repository = axon.repository(Program.class);
        assertThat(repository).isInstanceOf(CachingEventSourcingRepository.class);
        Field field = CachingEventSourcingRepository.class.getDeclaredField("cache");
        field.setAccessible(true);
        return (CheckedAggregateCache) field.get(repository);
    }

    private static Beneficiary firm(String first17, String name) {
        return new Beneficiary(first17 + Uscc.checkCharacter(first17), name, "software", null);
    }

    private static Money cny(String amount) {
        return Money.of(amount, CurrencyCode.CNY);
    }
}
