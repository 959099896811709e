package org.subsidyledger.api.load;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.subsidyledger.api.load.LoadSupport.Database;
import org.subsidyledger.api.load.LoadSupport.Node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.api.load.LoadSupport.appropriation;
import static org.subsidyledger.api.load.LoadSupport.assertProblem;
import static org.subsidyledger.api.load.LoadSupport.computeProgram;
import static org.subsidyledger.api.load.LoadSupport.expect;
import static org.subsidyledger.api.load.LoadSupport.issue;
import static org.subsidyledger.api.load.LoadSupport.uscc;

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
        expect(a.post("/api/v1/programs/" + PROGRAM + "/appropriations", appropriation("1000.00", "a-1")), 200,
                "appropriate on A");
        expect(a.post("/api/v1/programs/" + PROGRAM + "/vouchers", issue("cache-v-1", uscc("91330100MA2C", 1),
                "1000.00")), 201, "issue on A: A's copy now has nothing available");

        // B appropriates 5,000; A's copy does not know it
        expect(b.post("/api/v1/programs/" + PROGRAM + "/appropriations", appropriation("5000.00", "b-1")), 200,
                "appropriate on B");
        JsonNode issued = expect(a.post("/api/v1/programs/" + PROGRAM + "/vouchers",
                issue("cache-v-2", uscc("91330100MA2C", 2), "3000.00")), 201, "issue on A covered by B's money");
        assertThat(issued.path("voucherId").asText()).isEqualTo("cache-v-2");

        // A issues 2,000 more; B's copy (from its appropriation) still believes 5,000 is available
        expect(a.post("/api/v1/programs/" + PROGRAM + "/vouchers", issue("cache-v-3", uscc("91330100MA2C", 3),
                "2000.00")), 201, "issue on A: nothing left");
        long events = db.eventCount();
        String code = assertProblem(b.post("/api/v1/programs/" + PROGRAM + "/vouchers",
                issue("cache-v-4", uscc("91330100MA2C", 4), "500.00")), "issue on B beyond the budget");
        assertThat(code).isEqualTo("BUDGET_EXCEEDED");
        assertThat(db.eventCount()).as("a refusal appends nothing").isEqualTo(events);

        // both nodes read the same figures, whichever of them last touched the program
        for (Node node : new Node[] {a, b}) {
            JsonNode figures = expect(node.get("/api/v1/programs/" + PROGRAM), 200, "read").path("figures");
            assertThat(figures.path("appropriated").asText()).isEqualTo("6000.00");
            assertThat(figures.path("committed").asText()).isEqualTo("6000.00");
            assertThat(figures.path("available").asText()).isEqualTo("0.00");
        }
    }
}
