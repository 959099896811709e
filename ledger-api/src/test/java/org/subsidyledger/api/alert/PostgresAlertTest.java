package org.subsidyledger.api.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.audit.ProjectionReplay;
import org.subsidyledger.api.support.PostgresDatabase;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;

/**
 * Alerts on real PostgreSQL at 127.0.0.1:5432 (the {@code postgres} profile), in a database created for this class and
 * dropped after it. If PostgreSQL is not reachable the tests fail, saying so; they never skip.
 */
class PostgresAlertTest extends AlertContract {
    private static final long LATE_LOCK = 4_242_001L;
    private String database;

    @Override
    Map<String, Object> createDatabase() {
        database = PostgresDatabase.create("subsidy_alert_test_");
        return Map.of("spring.profiles.active", "postgres", "LEDGER_DB_URL", PostgresDatabase.url(database));
    }

    @Override
    void dropDatabase() {
        PostgresDatabase.drop(database);
    }

    /**
     * An entry whose global index commits late is folded in index order, live as on a rebuild. Hubei has two programs
     * of 100,000, each 70,000 committed. Voucher "late" (25,000 in program A, issued on 09-02) gets its global index
     * first, then its transaction is held open (a trigger waits on a lock the test holds); meanwhile 26,000 in program
     * B (09-03) commits with a higher index. In index order the province reaches 82.5 % with the late entry (WARNING
     * raised on 09-02) and 95.5 % with B's 26,000 (the WARNING cleared, CRITICAL raised on 09-03); folded in commit order it
     * would have raised the WARNING on 09-03 with B's entry. Replay-and-compare finds the live alerts identical.
     */
    @Test
    @Order(5)
    void anEntryThatCommitsLateIsFoldedInIndexOrder() throws Exception {
        ProgramId a = ProgramId.of("hb-late-a");
        ProgramId b = ProgramId.of("hb-late-b");
        clock.set(Instant.parse("2026-09-01T02:00:00Z"));
        for (ProgramId program : List.of(a, b)) {
            node.send(new LaunchProgram(
                    program,
                    "Wuhan compute " + program.value(),
                    ProgramKind.COMPUTE_VOUCHER,
                    "CN-HB",
                    "Wuhan",
                    CurrencyCode.CNY,
                    vouchers(300)));
            node.send(new AppropriateFunds(program, cny("100000.00"), "HB-2026"));
            node.send(new IssueVoucher(
                    program,
                    VoucherId.of(program.value() + "-v0"),
                    firm(program == a ? 501 : 502, null),
                    cny("70000.00")));
        }
        awaitAlerts();
        assertThat(provinceCommitmentAlerts())
                .as("70 % in Hubei raises nothing")
                .isEmpty();

        JdbcTemplate jdbc = node.bean(JdbcTemplate.class);
        // The trigger stays until the class's database is dropped: it holds nothing but the "Late Firm" entry.
        try (Connection holder =
                        DriverManager.getConnection(PostgresDatabase.url(database), PostgresDatabase.USER, null);
                Statement statement = holder.createStatement()) {
            statement.execute("CREATE FUNCTION hold_late_entry() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN PERFORM pg_advisory_xact_lock(" + LATE_LOCK + "); RETURN NULL; END $$");
            statement.execute("CREATE TRIGGER hold_late_entry AFTER INSERT ON domain_event_entry FOR EACH ROW WHEN"
                    + " (convert_from(NEW.payload, 'UTF8') LIKE '%Late Firm%') EXECUTE FUNCTION hold_late_entry()");
            statement.execute("SELECT pg_advisory_lock(" + LATE_LOCK + ")");
            clock.set(Instant.parse("2026-09-02T02:00:00Z"));
            Beneficiary late = new Beneficiary(uscc("91420100000000503"), "Late Firm", "software", null);
            CompletableFuture<Object> lateIssue = CompletableFuture.supplyAsync(
                    () -> node.send(new IssueVoucher(a, VoucherId.of("hb-late-a-late"), late, cny("25000.00"))));
            // the late issue's transaction is held by the trigger, its entry's index allocated
            PostgresDatabase.awaitAdvisoryWaiter(statement, "objid::text::bigint = " + LATE_LOCK);
            clock.set(Instant.parse("2026-09-03T02:00:00Z"));
            node.send(new IssueVoucher(b, VoucherId.of("hb-late-b-v1"), firm(504, null), cny("26000.00")));
            Thread.sleep(1500); // the alert processor meets B's entry above the open gap and waits for it
            assertThat(lateIssue).as("the late issue is still held").isNotDone();
            statement.execute("SELECT pg_advisory_unlock(" + LATE_LOCK + ")");
            lateIssue.get(30, TimeUnit.SECONDS);
        }
        long lateIndex = indexOf(jdbc, "hb-late-a-late");
        long laterIndex = indexOf(jdbc, "hb-late-b-v1");
        assertThat(lateIndex).as("the late entry has the lower index").isLessThan(laterIndex);
        awaitAlerts();

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT level, raised_index, cleared_index, raised_at"
                + " FROM fiscal_alert WHERE province = 'CN-HB' AND program_id IS NULL AND code = 'COMMITMENT_HIGH'"
                + " ORDER BY raised_index");
        assertThat(rows)
                .extracting(r -> r.get("level"), r -> ((Number) r.get("raised_index")).longValue())
                .containsExactly(Tuple.tuple("WARNING", lateIndex), Tuple.tuple("CRITICAL", laterIndex));
        assertThat(((Number) rows.get(0).get("cleared_index")).longValue()).isEqualTo(laterIndex);
        List<JsonNode> open = provinceCommitmentAlerts();
        assertThat(open).hasSize(2);
        assertThat(open)
                .filteredOn(x -> x.get("level").asText().equals("WARNING"))
                .singleElement()
                .satisfies(x -> assertThat(x.get("raisedAt").asText()).isEqualTo("2026-09-02T02:00:00Z"));

        ProjectionReplay.Report report = node.bean(ProjectionReplay.class).replay(null);
        assertThat(report.differences()).isEmpty();
        assertThat(report.identical()).isTrue();
    }

    private List<JsonNode> provinceCommitmentAlerts() {
        List<JsonNode> found = new ArrayList<>();
        node.getOk("/alerts?province=CN-HB").forEach(x -> {
            if (x.get("code").asText().equals("COMMITMENT_HIGH")
                    && x.get("programId").isNull()) {
                found.add(x);
            }
        });
        return found;
    }

    private static long indexOf(JdbcTemplate jdbc, String voucher) {
        return jdbc.queryForObject(
                "SELECT global_index FROM domain_event_entry WHERE payload_type LIKE '%VoucherIssued'"
                        + " AND convert_from(payload, 'UTF8') LIKE ?",
                Long.class, "%\"" + voucher + "\"%");
    }
}
