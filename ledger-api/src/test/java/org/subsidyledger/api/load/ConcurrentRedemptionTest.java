package org.subsidyledger.api.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.api.load.LoadSupport.appropriation;
import static org.subsidyledger.api.load.LoadSupport.assertProblem;
import static org.subsidyledger.api.load.LoadSupport.computeProgram;
import static org.subsidyledger.api.load.LoadSupport.eventsOfVoucher;
import static org.subsidyledger.api.load.LoadSupport.expect;
import static org.subsidyledger.api.load.LoadSupport.figuresFromLog;
import static org.subsidyledger.api.load.LoadSupport.issue;
import static org.subsidyledger.api.load.LoadSupport.provider;
import static org.subsidyledger.api.load.LoadSupport.race;
import static org.subsidyledger.api.load.LoadSupport.redeem;
import static org.subsidyledger.api.load.LoadSupport.uscc;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.subsidyledger.api.load.LoadSupport.Database;
import org.subsidyledger.api.load.LoadSupport.Node;
import org.subsidyledger.api.load.LoadSupport.Response;
import org.subsidyledger.api.load.LoadSupport.StoredEvent;
import org.subsidyledger.api.support.MutableClock;

/**
 * Thirty-two HTTP requests at once on one voucher, and thirty-two issues at once from one nearly exhausted program,
 * against the real application on real PostgreSQL: whatever interleaving the threads take, a voucher never pays more
 * than its face value, a program never commits more than it has, every answer is a 2xx or one of SPEC §3's refusals,
 * and what the answers say was accepted is exactly what the log holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentRedemptionTest {
    private static final int RACERS = 32;
    private static final String PROVIDER = "prov-race-1";

    private Database db;
    private Node node;

    @BeforeAll
    void start() {
        db = Database.create("ledger_race");
        node = Node.start(db, new MutableClock(LoadSupport.START));
        expect(
                node.post("/api/v1/providers", provider(PROVIDER, uscc("91330100MA2C", 9), "COMPUTE", "grp-cloud")),
                201,
                "accredit provider");
    }

    @AfterAll
    void stop() {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    @Test
    void thirtyTwoConcurrentRedemptionsNeverPayBeyondTheFaceValue() {
        String program = "race-redeem";
        String voucher = "v-race";
        BigDecimal face = new BigDecimal("100000.00");
        expect(node.post("/api/v1/programs", computeProgram(program, "CN-ZJ", 365)), 201, "launch");
        expect(
                node.post("/api/v1/programs/" + program + "/appropriations", appropriation("10000000.00", "line-1")),
                200,
                "appropriate");
        expect(
                node.post(
                        "/api/v1/programs/" + program + "/vouchers",
                        issue(voucher, uscc("91330100MA2B", 1), face.toPlainString())),
                201,
                "issue");
        long eventsBefore = db.eventCount();

        // subsidies of 4,500.00 … 4,845.14 each: together about 149,000, well beyond the face value of 100,000
        List<Callable<Response>> tasks = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            String body = redeem(
                    "r-race-" + i,
                    "c-race-" + i,
                    "inv-race-" + i,
                    PROVIDER,
                    new BigDecimal("15000.00")
                            .add(new BigDecimal("37.11").multiply(BigDecimal.valueOf(i)))
                            .toPlainString());
            tasks.add(() -> node.post("/api/v1/vouchers/" + voucher + "/compute-redemptions", body));
        }
        List<Response> responses = race(tasks, Duration.ofSeconds(90));

        Map<String, BigDecimal> acceptedSubsidies = new HashMap<>();
        Set<String> refused = new HashSet<>();
        int overloaded = 0;
        int exhausted = 0;
        for (int i = 0; i < RACERS; i++) {
            Response r = responses.get(i);
            String id = "r-race-" + i;
            if (r.ok()) {
                assertThat(r.status()).as("redemption %s: %s", id, r).isEqualTo(201);
                assertThat(r.header("Location"))
                        .as("Location of %s", id)
                        .hasValue("/api/v1/vouchers/" + voucher + "/redemptions/" + id);
                JsonNode mine = redemptionIn(r.json(), id);
                assertThat(mine)
                        .as("redemption %s in its own answer: %s", id, r)
                        .isNotNull();
                acceptedSubsidies.put(
                        id, new BigDecimal(mine.get("subsidy").get("amount").asText()));
            } else {
                String code = assertProblem(r, "redemption " + id);
                assertThat(code).as("refusal of %s: %s", id, r).isIn("VOUCHER_EXHAUSTED", "OVERLOADED");
                overloaded += code.equals("OVERLOADED") ? 1 : 0;
                exhausted += code.equals("VOUCHER_EXHAUSTED") ? 1 : 0;
                refused.add(id);
            }
        }
        System.out.printf(
                "redemption race: %d accepted, %d VOUCHER_EXHAUSTED, %d OVERLOADED%n",
                acceptedSubsidies.size(), exhausted, overloaded);
        assertThat(acceptedSubsidies).as("some redemptions were accepted").isNotEmpty();

        List<StoredEvent> events = db.events();
        Map<String, BigDecimal> logged = new HashMap<>();
        for (StoredEvent e : events) {
            if (e.type().equals("ComputeRedeemed") && voucher.equals(e.text("voucherId"))) {
                assertThat(logged.put(e.text("redemptionId"), e.money("subsidy")))
                        .as("redemption logged twice: %s", e.payload())
                        .isNull();
            }
        }
        assertThat(logged.keySet())
                .as("redemptions in the log = redemptions answered 201")
                .isEqualTo(acceptedSubsidies.keySet());
        for (String id : refused) {
            assertThat(logged).as("a refused redemption appended nothing").doesNotContainKey(id);
        }
        BigDecimal loggedSum = logged.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal answeredSum = acceptedSubsidies.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(loggedSum).as("Σ subsidies in ComputeRedeemed ≤ face value").isLessThanOrEqualTo(face);
        assertThat(answeredSum)
                .as("Σ subsidies the answers reported = Σ in the log")
                .isEqualByComparingTo(loggedSum);
        acceptedSubsidies.forEach((id, subsidy) -> assertThat(logged.get(id))
                .as("subsidy of %s: answered vs logged", id)
                .isEqualByComparingTo(subsidy));

        JsonNode view = expect(node.get("/api/v1/vouchers/" + voucher), 200, "voucher view");
        BigDecimal remaining =
                new BigDecimal(view.get("remaining").get("amount").asText());
        assertThat(face.subtract(remaining))
                .as("faceValue − remaining of GET /vouchers = Σ logged subsidies: %s", view)
                .isEqualByComparingTo(loggedSum);
        assertThat(new BigDecimal(view.get("redeemed").get("amount").asText())).isEqualByComparingTo(loggedSum);
        if (exhausted > 0 || overloaded == 0) {
            // a VOUCHER_EXHAUSTED answer means nothing was left at that moment, and nothing comes back in a race
            assertThat(remaining).as("remaining after the race: %s", view).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(view.get("status").asText()).isEqualTo("EXHAUSTED");
        }
        assertThat(db.eventCount())
                .as("events appended = redemptions accepted")
                .isEqualTo(eventsBefore + acceptedSubsidies.size());
        figuresFromLog(events, program)
                .assertMatches(expect(node.get("/api/v1/programs/" + program), 200, "program view"), program);
    }

    @Test
    void thirtyTwoConcurrentIssuesNeverOverCommitTheProgram() {
        String program = "race-issue";
        BigDecimal appropriated = new BigDecimal("1000000.00");
        expect(node.post("/api/v1/programs", computeProgram(program, "CN-ZJ", 365)), 201, "launch");
        expect(
                node.post(
                        "/api/v1/programs/" + program + "/appropriations",
                        appropriation(appropriated.toPlainString(), "line-1")),
                200,
                "appropriate");
        expect(
                node.post(
                        "/api/v1/programs/" + program + "/vouchers",
                        issue("v-big", uscc("91330100MA2B", 2), "950000.00")),
                201,
                "issue the big voucher");
        BigDecimal availableBefore = new BigDecimal("50000.00");
        long eventsBefore = db.eventCount();

        // 2,000.00 … 3,550.00 each to 32 different firms: 88,800 asked of 50,000 available
        List<Callable<Response>> tasks = new ArrayList<>();
        List<BigDecimal> faces = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            BigDecimal faceValue =
                    new BigDecimal("2000.00").add(new BigDecimal("50.00").multiply(BigDecimal.valueOf(i)));
            faces.add(faceValue);
            String body = issue("v-iss-" + i, uscc("91330100MA2D", i), faceValue.toPlainString());
            tasks.add(() -> node.post("/api/v1/programs/" + program + "/vouchers", body));
        }
        List<Response> responses = race(tasks, Duration.ofSeconds(90));

        BigDecimal acceptedSum = BigDecimal.ZERO;
        List<Integer> accepted = new ArrayList<>();
        Map<Integer, String> rejected = new HashMap<>();
        for (int i = 0; i < RACERS; i++) {
            Response r = responses.get(i);
            if (r.ok()) {
                assertThat(r.status()).as("issue %d: %s", i, r).isEqualTo(201);
                assertThat(r.header("Location")).hasValue("/api/v1/vouchers/v-iss-" + i);
                JsonNode view = r.json();
                assertThat(view.get("voucherId").asText()).isEqualTo("v-iss-" + i);
                assertThat(new BigDecimal(view.get("faceValue").get("amount").asText()))
                        .isEqualByComparingTo(faces.get(i));
                acceptedSum = acceptedSum.add(faces.get(i));
                accepted.add(i);
            } else {
                String code = assertProblem(r, "issue " + i);
                assertThat(code).as("refusal of issue %d: %s", i, r).isIn("BUDGET_EXCEEDED", "OVERLOADED");
                rejected.put(i, code);
            }
        }
        System.out.printf(
                "issue race: %d accepted (%s), %d refused %s%n",
                accepted.size(),
                acceptedSum,
                rejected.size(),
                rejected.values().stream().distinct().toList());
        assertThat(accepted).as("some issues were accepted").isNotEmpty();
        assertThat(acceptedSum)
                .as("Σ accepted face values ≤ what was available")
                .isLessThanOrEqualTo(availableBefore);
        assertThat(acceptedSum.add(new BigDecimal("950000.00")))
                .as("Σ issued ≤ appropriated")
                .isLessThanOrEqualTo(appropriated);

        List<StoredEvent> events = db.events();
        for (int i : accepted) {
            assertThat(eventsOfVoucher(events, "VoucherIssued", "v-iss-" + i))
                    .as("VoucherIssued events of accepted v-iss-%d", i)
                    .isEqualTo(1);
        }
        for (int i : rejected.keySet()) {
            String id = "v-iss-" + i;
            assertThat(events.stream()
                            .filter(e -> id.equals(e.text("voucherId")))
                            .count())
                    .as("events of refused %s", id)
                    .isZero();
            Response missing = node.get("/api/v1/vouchers/" + id);
            assertThat(assertProblem(missing, "GET refused " + id)).isEqualTo("NOT_FOUND");
        }
        assertThat(db.eventCount()).as("events appended = issues accepted").isEqualTo(eventsBefore + accepted.size());

        JsonNode programView = expect(node.get("/api/v1/programs/" + program), 200, "program view");
        BigDecimal available =
                new BigDecimal(programView.get("figures").get("available").asText());
        assertThat(available.signum()).as("available ≥ 0: %s", programView).isGreaterThanOrEqualTo(0);
        assertThat(available)
                .as("available = 50,000 − Σ accepted")
                .isEqualByComparingTo(availableBefore.subtract(acceptedSum));
        rejected.forEach((i, code) -> {
            if (code.equals("BUDGET_EXCEEDED")) {
                // available only shrank during the race: a face value refused then is still beyond it now
                assertThat(faces.get(i))
                        .as("face value of v-iss-%d refused with BUDGET_EXCEEDED", i)
                        .isGreaterThan(available);
            }
        });
        figuresFromLog(events, program).assertMatches(programView, program);
    }

    private static JsonNode redemptionIn(JsonNode voucherView, String redemptionId) {
        for (JsonNode r : voucherView.get("redemptions")) {
            if (redemptionId.equals(r.get("redemptionId").asText())) {
                return r;
            }
        }
        return null;
    }
}
