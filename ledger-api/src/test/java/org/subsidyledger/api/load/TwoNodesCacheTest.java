package org.subsidyledger.api.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.api.load.LoadSupport.appropriation;
import static org.subsidyledger.api.load.LoadSupport.assertProblem;
import static org.subsidyledger.api.load.LoadSupport.computeProgram;
import static org.subsidyledger.api.load.LoadSupport.expect;
import static org.subsidyledger.api.load.LoadSupport.issue;
import static org.subsidyledger.api.load.LoadSupport.provider;
import static org.subsidyledger.api.load.LoadSupport.redeem;
import static org.subsidyledger.api.load.LoadSupport.uscc;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.subsidyledger.api.load.LoadSupport.Database;
import org.subsidyledger.api.load.LoadSupport.Node;
import org.subsidyledger.core.program.Program;

/**
 * Each node keeps the aggregates it used in memory; a command must still be decided on the log as it stands, not on a
 * copy another node's append has made stale. Two nodes on one PostgreSQL database take turns on one program, each
 * command depending on what the other node appended just before: a stale copy would refuse an issue the budget now
 * covers (a refusal appends nothing, so no unique key would catch it), or accept one it no longer covers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodesCacheTest {
    private static final String PROGRAM = "cache-zj";

    private TwoNodeCluster nodes;
    private Database db;
    private Node a;
    private Node b;

    @BeforeAll
    void start() {
        nodes = TwoNodeCluster.start("ledger_cache");
        db = nodes.db;
        a = nodes.a;
        b = nodes.b;
    }

    @AfterAll
    void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void aNodeDecidesOnWhatTheOtherNodeJustAppendedNotOnItsCachedCopy() {
        expect(a.post("/api/v1/programs", computeProgram(PROGRAM, "CN-ZJ", 365)), 201, "launch");
        expect(
                a.post("/api/v1/programs/" + PROGRAM + "/appropriations", appropriation("1000.00", "a-1")),
                200,
                "appropriate on A");
        expect(
                a.post(
                        "/api/v1/programs/" + PROGRAM + "/vouchers",
                        issue("cache-v-1", uscc("91330100MA2C", 1), "1000.00")),
                201,
                "issue on A: A's copy now has nothing available");

        // B appropriates 5,000; A's copy does not know it
        expect(
                b.post("/api/v1/programs/" + PROGRAM + "/appropriations", appropriation("5000.00", "b-1")),
                200,
                "appropriate on B");
        JsonNode issued = expect(
                a.post(
                        "/api/v1/programs/" + PROGRAM + "/vouchers",
                        issue("cache-v-2", uscc("91330100MA2C", 2), "3000.00")),
                201,
                "issue on A covered by B's money");
        assertThat(issued.path("voucherId").asText()).isEqualTo("cache-v-2");

        // A issues 2,000 more; B's copy (from its appropriation) still believes 5,000 is available
        expect(
                a.post(
                        "/api/v1/programs/" + PROGRAM + "/vouchers",
                        issue("cache-v-3", uscc("91330100MA2C", 3), "2000.00")),
                201,
                "issue on A: nothing left");
        long events = db.eventCount();
        String code = assertProblem(
                b.post(
                        "/api/v1/programs/" + PROGRAM + "/vouchers",
                        issue("cache-v-4", uscc("91330100MA2C", 4), "500.00")),
                "issue on B beyond the budget");
        assertThat(code).isEqualTo("BUDGET_EXCEEDED");
        assertThat(db.eventCount()).as("a refusal appends nothing").isEqualTo(events);

        // both nodes read the same figures, whichever of them last touched the program
        for (Node node : new Node[] {a, b}) {
            JsonNode figures =
                    expect(node.get("/api/v1/programs/" + PROGRAM), 200, "read").path("figures");
            assertThat(figures.path("appropriated").asText()).isEqualTo("6000.00");
            assertThat(figures.path("committed").asText()).isEqualTo("6000.00");
            assertThat(figures.path("available").asText()).isEqualTo("0.00");
        }
    }

    /**
     * The fear with a cache that outlives a rollback: a redemption that changed the cached program in memory, then
     * failed to append, leaving the voucher poorer in memory than in the log. Its append is made to fail inside
     * PostgreSQL (a trigger answers the insert with a lock timeout); the next redemption on the same node must be
     * decided on the log: the voucher still holds what the failed one would have spent.
     */
    @Test
    void aRedemptionWhoseAppendFailedLeavesNothingBehindInTheCachedProgram() throws Exception {
        String program = "cache-poison";
        expect(
                a.post("/api/v1/providers", provider("poison-prov", uscc("91330100MA2P", 1), "COMPUTE", null)),
                201,
                "accredit");
        expect(a.post("/api/v1/programs", computeProgram(program, "CN-ZJ", 365)), 201, "launch");
        expect(
                a.post("/api/v1/programs/" + program + "/appropriations", appropriation("10000.00", "p-1")),
                200,
                "appropriate");
        expect(
                a.post(
                        "/api/v1/programs/" + program + "/vouchers",
                        issue("poison-v", uscc("91330100MA2P", 2), "1000.00")),
                201,
                "issue");
        JsonNode first = expect(
                a.post(
                        "/api/v1/vouchers/poison-v/compute-redemptions",
                        redeem("poison-r1", "c-poison", "inv-1", "poison-prov", "1000.00")),
                201,
                "redeem 300.00");
        assertThat(first.path("remaining").path("amount").asText()).isEqualTo("700.00");

        try (Connection c = db.connect();
                Statement statement = c.createStatement()) {
            statement.execute("CREATE FUNCTION refuse_poisoned_entry() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN RAISE EXCEPTION 'held' USING ERRCODE = 'lock_not_available'; END $$");
            statement.execute("CREATE TRIGGER refuse_poisoned_entry BEFORE INSERT ON domain_event_entry FOR EACH ROW"
                    + " WHEN (convert_from(NEW.payload, 'UTF8') LIKE '%inv-poisoned%')"
                    + " EXECUTE FUNCTION refuse_poisoned_entry()");
        }
        long events = db.eventCount();
        LoadSupport.Response failed = a.post(
                "/api/v1/vouchers/poison-v/compute-redemptions",
                redeem("poison-r2", "c-poison", "inv-poisoned", "poison-prov", "2000.00"));
        assertThat(failed.status())
                .as("a redemption whose append failed: %s", failed)
                .isEqualTo(503);
        assertThat(db.eventCount()).as("the failed redemption appended nothing").isEqualTo(events);

        // the 600.00 the failed redemption would have spent is still there: 700.00 - 600.00 = 100.00
        JsonNode next = expect(
                a.post(
                        "/api/v1/vouchers/poison-v/compute-redemptions",
                        redeem("poison-r3", "c-poison", "inv-3", "poison-prov", "2000.00")),
                201,
                "redeem 600.00");
        assertThat(next.path("remaining").path("amount").asText()).isEqualTo("100.00");
        assertThat(next.path("redemptions").size())
                .as("redemptions on the voucher")
                .isEqualTo(2);
    }

    /**
     * A node remembers the views it read, with the version of the program they were built from. The fear: a view
     * answered from memory after the program changed, on this node or on the other. Every read below follows an
     * append and must show it; and while a command of this node holds the program's lock, a view of the unchanged
     * program is answered at once, but a view of a program the other node has changed meanwhile is not answered from
     * memory: it waits for the lock like any read of the aggregate.
     */
    @Test
    void rememberedViewsFollowEveryAppendOnEitherNode() throws Exception {
        String program = "views-zj";
        String readProgram = "/api/v1/programs/" + program;
        expect(
                a.post("/api/v1/providers", provider("views-prov", uscc("91330100MA2W", 1), "COMPUTE", null)),
                201,
                "accredit");
        expect(a.post("/api/v1/programs", computeProgram(program, "CN-ZJ", 365)), 201, "launch");
        expect(a.post(readProgram + "/appropriations", appropriation("1000.00", "v-1")), 200, "appropriate");
        expect(a.post(readProgram + "/vouchers", issue("views-v", uscc("91330100MA2W", 2), "800.00")), 201, "issue");

        for (int i = 0; i < 2; i++) { // the second read of each is answered from what the first remembered
            JsonNode figures = expect(b.get(readProgram), 200, "program on B").path("figures");
            assertThat(figures.path("appropriated").asText()).isEqualTo("1000.00");
            assertThat(figures.path("committed").asText()).isEqualTo("800.00");
            assertThat(remaining(b)).isEqualTo("800.00");
        }

        // A appends; B's remembered views are of an older version
        expect(a.post(readProgram + "/appropriations", appropriation("500.00", "v-2")), 200, "appropriate on A");
        expect(
                a.post(
                        "/api/v1/vouchers/views-v/compute-redemptions",
                        redeem("views-r1", "c-views", "inv-views-1", "views-prov", "1000.00")),
                201,
                "redeem 300.00 on A");
        JsonNode figures = expect(b.get(readProgram), 200, "program on B after A's appends")
                .path("figures");
        assertThat(figures.path("appropriated").asText()).isEqualTo("1500.00");
        assertThat(figures.path("disbursed").asText()).isEqualTo("300.00");
        assertThat(remaining(b)).isEqualTo("500.00");

        // B appends; its own remembered views are of an older version too
        expect(
                b.post(
                        "/api/v1/vouchers/views-v/compute-redemptions",
                        redeem("views-r2", "c-views", "inv-views-2", "views-prov", "1000.00")),
                201,
                "redeem 300.00 on B");
        assertThat(remaining(b)).isEqualTo("200.00");
        assertThat(remaining(a)).isEqualTo("200.00");
        JsonNode history =
                expect(b.get("/api/v1/vouchers/views-v"), 200, "voucher").path("history");
        assertThat(history.size()).as("issue and two redemptions: %s", history).isEqualTo(3);
        assertThat(history.get(2).path("type").asText()).isEqualTo("ComputeRedeemed");
        assertThat(expect(b.get(readProgram), 200, "program on B after its own append")
                        .path("figures")
                        .path("disbursed")
                        .asText())
                .isEqualTo("600.00");

        // a command of B holds the program's lock
        Configuration axon = b.context.getBean(Configuration.class);
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
            DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
            try {
                axon.repository(Program.class).load(program);
                locked.countDown();
                release.await(30, TimeUnit.SECONDS);
                unitOfWork.commit();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unitOfWork.rollback();
            }
        });
        try {
            assertThat(locked.await(10, TimeUnit.SECONDS))
                    .as("the lock is held")
                    .isTrue();
            JsonNode unchanged = expect(b.get(readProgram), 200, "unchanged program while its lock is held");
            assertThat(unchanged.path("figures").path("disbursed").asText()).isEqualTo("600.00");
            assertThat(remaining(b)).isEqualTo("200.00");

            expect(a.post(readProgram + "/appropriations", appropriation("100.00", "v-3")), 200, "appropriate on A");
            LoadSupport.Response changed = b.get(readProgram);
            assertThat(changed.status())
                    .as("a changed program is not answered from memory while its lock is held: %s", changed)
                    .isEqualTo(503);
            assertThat(assertProblem(changed, "read behind the lock")).isEqualTo("OVERLOADED");
        } finally {
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
        }
        assertThat(expect(b.get(readProgram), 200, "program on B after the lock")
                        .path("figures")
                        .path("appropriated")
                        .asText())
                .isEqualTo("1600.00");
    }

    private static String remaining(Node node) {
        return expect(node.get("/api/v1/vouchers/views-v"), 200, "voucher")
                .path("remaining")
                .path("amount")
                .asText();
    }
}
