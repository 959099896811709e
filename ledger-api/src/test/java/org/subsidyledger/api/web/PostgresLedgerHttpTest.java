package org.subsidyledger.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.subsidyledger.api.support.PostgresDatabase;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * The REST API on real PostgreSQL at 127.0.0.1:5432 (the {@code postgres} profile): a database created for this class
 * and dropped after it. If PostgreSQL is not reachable every test of the class fails, saying so; none is skipped.
 */
class PostgresLedgerHttpTest extends LedgerHttpContract {
    private String database;

    @Override
    Map<String, Object> openDatabase() {
        database = PostgresDatabase.create("subsidy_ledger_http_");
        return Map.of("spring.profiles.active", "postgres", "LEDGER_DB_URL", PostgresDatabase.url(database));
    }

    @Override
    void closeDatabase() {
        PostgresDatabase.drop(database);
    }

    /**
     * Issue 12: two programs deciding on one group's cap at once. Program B binds FIRM_A (1,000,000 already issued to
     * it, ungrouped, in program A) to group G, and its transaction is held open after the binding row is written (a
     * trigger waits on a lock the test holds); meanwhile program A issues 1,000,000 to FIRM_B under G. A must wait for
     * B's decision on G to commit and then count FIRM_A: 2,000,000 is over the 1,500,000 cap, refused with nothing
     * appended. Without the group's lock, A read G's members without B's uncommitted binding and issued.
     */
    @Test
    void aGroupsCapIsDecidedOneTransactionAtATimeAcrossPrograms() throws Exception {
        String programA = launchCompute("0.30", "1000000.00", "1500000.00", 365, "250000000.00");
        String programB = launchCompute("0.30", "1000000.00", "1500000.00", 365, "250000000.00");
        String group = uid("grp");
        String firmA = uscc();
        issue(programA, firmA, "software", "1000000.00");
        long hold = 4_242_012L;
        try (Connection holder =
                        DriverManager.getConnection(PostgresDatabase.url(database), PostgresDatabase.USER, null);
                Statement statement = holder.createStatement()) {
            statement.execute("CREATE OR REPLACE FUNCTION hold_binding() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN PERFORM pg_advisory_xact_lock(" + hold + "); RETURN NULL; END $$");
            statement.execute("CREATE TRIGGER hold_binding AFTER INSERT ON beneficiary_group FOR EACH ROW"
                    + " WHEN (NEW.beneficiary_id = '" + firmA + "') EXECUTE FUNCTION hold_binding()");
            statement.execute("SELECT pg_advisory_lock(" + hold + ")");
            CompletableFuture<Reply> binding = CompletableFuture.supplyAsync(() -> post(
                    "/programs/" + programB + "/vouchers",
                    RequestBodies.issueJson(uid("v"), firmA, "software", group, "1000.00")));
            PostgresDatabase.awaitAdvisoryWaiter(statement, "objid::text::bigint = " + hold);
            long before = eventCount();
            String refusedId = uid("v");
            CompletableFuture<Reply> overCap = CompletableFuture.supplyAsync(() -> post(
                    "/programs/" + programA + "/vouchers",
                    RequestBodies.issueJson(refusedId, uscc(), "software", group, "1000000.00")));
            // program A's decision waits for the group's lock, which program B's open transaction holds
            PostgresDatabase.awaitAdvisoryWaiter(statement, "objid::text::bigint <> " + hold);
            statement.execute("SELECT pg_advisory_unlock(" + hold + ")");
            assertThat(binding.get(30, TimeUnit.SECONDS).status())
                    .as("B binds FIRM_A to the group")
                    .isEqualTo(201);
            Reply refused = overCap.get(30, TimeUnit.SECONDS);
            assertProblem(refused, RejectionCode.BENEFICIARY_CAP_EXCEEDED);
            assertThat(eventCount()).as("events: B's issue only").isEqualTo(before + 1);
            assertThat(get("/vouchers/" + refusedId).status()).isEqualTo(404);
        }
    }

    @Override
    String utf8(String column) {
        return "convert_from(" + column + ", 'UTF8')";
    }
}
