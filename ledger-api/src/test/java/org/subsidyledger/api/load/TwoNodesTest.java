package org.subsidyledger.api.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.api.load.LoadSupport.appropriation;
import static org.subsidyledger.api.load.LoadSupport.assertContiguousSequences;
import static org.subsidyledger.api.load.LoadSupport.assertInvoicesAndContractsPaidOnce;
import static org.subsidyledger.api.load.LoadSupport.assertProblem;
import static org.subsidyledger.api.load.LoadSupport.computeProgram;
import static org.subsidyledger.api.load.LoadSupport.countWhere;
import static org.subsidyledger.api.load.LoadSupport.expect;
import static org.subsidyledger.api.load.LoadSupport.figuresFromLog;
import static org.subsidyledger.api.load.LoadSupport.issue;
import static org.subsidyledger.api.load.LoadSupport.provider;
import static org.subsidyledger.api.load.LoadSupport.race;
import static org.subsidyledger.api.load.LoadSupport.redeem;
import static org.subsidyledger.api.load.LoadSupport.uscc;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.subsidyledger.api.load.LoadSupport.Database;
import org.subsidyledger.api.load.LoadSupport.Node;
import org.subsidyledger.api.load.LoadSupport.Response;
import org.subsidyledger.api.load.LoadSupport.StoredEvent;

/**
 * Two ledger nodes (two Spring Boot applications) on ONE PostgreSQL database, both taking HTTP commands for the same
 * programs at once, as SPEC §10's production deployment does: issues and redemptions from several threads per node,
 * and the same invoice (or contract) sent to both nodes at the same instant. The log must then hold exactly the
 * accepted commands, every invariant of SPEC §4 must hold at every point of it, and both nodes must read the same
 * figures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodesTest {
    private static final long SEED = 20260310L;
    private static final String PROVIDER = "prov-two-1";
    private static final String ZJ = "two-zj";
    private static final String GD = "two-gd";
    private static final int THREADS_PER_NODE = 4;
    private static final int OPS_PER_THREAD = 16;
    private static final int SHARED_ROUNDS = 12;
    private static final int IDEMPOTENT_ROUNDS = 6;

    private TwoNodeCluster nodes;
    private Database db;
    private Node a;
    private Node b;

    /** One HTTP command and its answer. */
    record Outcome(String kind, String node, String id, String voucherId, Response response) {}

    @BeforeAll
    void start() {
        nodes = TwoNodeCluster.start("ledger_two");
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
    void twoNodesUnderConcurrentLoadKeepEveryInvariantAndLoseNoEvent() {
        expect(
                a.post("/api/v1/providers", provider(PROVIDER, uscc("91330100MA2C", 7), "COMPUTE", "grp-cloud")),
                201,
                "accredit");
        expect(a.post("/api/v1/programs", computeProgram(ZJ, "CN-ZJ", 365)), 201, "launch ZJ");
        expect(b.post("/api/v1/programs", computeProgram(GD, "CN-GD", 365)), 201, "launch GD");
        expect(a.post("/api/v1/programs/" + ZJ + "/appropriations", appropriation("3000000.00", "zj-1")), 200, "appr");
        expect(b.post("/api/v1/programs/" + GD + "/appropriations", appropriation("2000000.00", "gd-1")), 200, "appr");
        for (int k = 0; k < 8; k++) {
            expect(
                    (k % 2 == 0 ? a : b)
                            .post(
                                    "/api/v1/programs/" + ZJ + "/vouchers",
                                    issue("tz-v-" + k, uscc("91330100MA2E", k), "200000.00")),
                    201,
                    "issue tz-v-" + k);
        }
        for (int k = 0; k < 4; k++) {
            expect(
                    a.post(
                            "/api/v1/programs/" + ZJ + "/vouchers",
                            issue("tz-s-" + k, uscc("91330100MA2G", k), "200000.00")),
                    201,
                    "issue tz-s-" + k);
            expect(
                    b.post(
                            "/api/v1/programs/" + GD + "/vouchers",
                            issue("tg-v-" + k, uscc("91440400MA2E", k), "200000.00")),
                    201,
                    "issue tg-v-" + k);
        }
        long setupEvents = db.eventCount();
        long setupVouchers = 16;

        List<Callable<List<Outcome>>> threads = new ArrayList<>();
        for (Node node : List.of(a, b)) {
            String name = node == a ? "A" : "B";
            for (int t = 0; t < THREADS_PER_NODE; t++) {
                int thread = t;
                threads.add(() -> load(node, name, thread));
            }
        }
        CyclicBarrier barrier = new CyclicBarrier(2);
        threads.add(() -> shared(a, "A", barrier));
        threads.add(() -> shared(b, "B", barrier));
        List<Outcome> outcomes = race(threads, Duration.ofSeconds(120)).stream()
                .flatMap(List::stream)
                .toList();

        // Every answer is a 2xx or one of SPEC's refusals, with the codes each kind of command may meet here.
        Map<String, Long> tally = new TreeMap<>();
        for (Outcome o : outcomes) {
            String what = o.kind() + " " + o.id() + " on node " + o.node();
            if (o.response().ok()) {
                assertThat(o.response().status())
                        .as("%s: %s", what, o.response())
                        .isEqualTo(201);
                tally.merge(o.kind() + " 201", 1L, Long::sum);
            } else {
                String code = assertProblem(o.response(), what);
                List<String> allowed = switch (o.kind()) {
                    case "issue" -> List.of("BUDGET_EXCEEDED", "OVERLOADED");
                    case "redeem" -> List.of("VOUCHER_EXHAUSTED", "OVERLOADED");
                    case "shared-invoice" -> List.of("DUPLICATE_INVOICE", "OVERLOADED");
                    case "shared-contract" -> List.of("DUPLICATE_CONTRACT", "OVERLOADED");
                    case "idempotent" -> List.of("IDEMPOTENCY_IN_PROGRESS", "OVERLOADED");
                    default -> throw new AssertionError(o.kind());
                };
                assertThat(code).as("refusal of %s: %s", what, o.response()).isIn(allowed);
                tally.merge(o.kind() + " " + code, 1L, Long::sum);
            }
        }
        System.out.println("two nodes: " + tally);
        assertThat(tally.getOrDefault("issue 201", 0L)).as("issues accepted").isPositive();
        assertThat(tally.getOrDefault("redeem 201", 0L))
                .as("redemptions accepted")
                .isPositive();

        // The same invoice or contract on both nodes at once: one of the two wins, unless one was shed (503).
        Map<String, List<Outcome>> rounds = outcomes.stream()
                .filter(o -> o.kind().startsWith("shared"))
                .collect(Collectors.groupingBy(o -> o.id().substring(0, o.id().lastIndexOf('-'))));
        assertThat(rounds).hasSize(SHARED_ROUNDS);
        rounds.forEach((round, pair) -> {
            assertThat(pair).hasSize(2);
            long won = pair.stream().filter(o -> o.response().ok()).count();
            boolean shed = pair.stream().anyMatch(o -> o.response().status() == 503);
            assertThat(won).as("winners of %s: %s", round, pair).isLessThanOrEqualTo(1);
            if (!shed) {
                assertThat(won).as("exactly one winner of %s: %s", round, pair).isEqualTo(1);
            }
        });

        List<StoredEvent> events = db.events();
        // No event lost, none invented: each 201 has its one event, each refusal none.
        long issuedAccepted = 0;
        long redeemedAccepted = 0;
        for (Outcome o : outcomes) {
            String what = o.kind() + " " + o.id() + " on node " + o.node() + ": " + o.response();
            if (o.kind().equals("idempotent")) {
                continue; // checked per round below
            }
            if (o.kind().equals("issue")) {
                long logged = events.stream()
                        .filter(e -> o.id().equals(e.text("voucherId")))
                        .count();
                long issued = events.stream()
                        .filter(e -> e.type().equals("VoucherIssued") && o.id().equals(e.text("voucherId")))
                        .count();
                if (o.response().ok()) {
                    issuedAccepted++;
                    assertThat(issued).as("VoucherIssued of accepted %s", what).isEqualTo(1);
                } else {
                    assertThat(logged).as("events of refused %s", what).isZero();
                }
            } else {
                List<StoredEvent> logged = events.stream()
                        .filter(e -> e.type().equals("ComputeRedeemed") && o.id().equals(e.text("redemptionId")))
                        .toList();
                if (o.response().ok()) {
                    redeemedAccepted++;
                    assertThat(logged)
                            .as("ComputeRedeemed of accepted %s", what)
                            .hasSize(1);
                    assertThat(logged.get(0).text("voucherId")).isEqualTo(o.voucherId());
                    assertThat(logged.get(0).money("subsidy"))
                            .as("subsidy answered vs logged for %s", what)
                            .isEqualByComparingTo(subsidyIn(o.response().json(), o.id()));
                } else {
                    assertThat(logged).as("events of refused %s", what).isEmpty();
                }
            }
        }
        // The same Idempotency-Key and body on both nodes at once: one issue at most, and a second answer is the
        // first one replayed or IDEMPOTENCY_IN_PROGRESS, never ALREADY_EXISTS.
        long idempotentIssued = 0;
        Map<String, List<Outcome>> idempotent = outcomes.stream()
                .filter(o -> o.kind().equals("idempotent"))
                .collect(Collectors.groupingBy(Outcome::voucherId));
        assertThat(idempotent).hasSize(IDEMPOTENT_ROUNDS);
        for (Map.Entry<String, List<Outcome>> round : idempotent.entrySet()) {
            String voucherId = round.getKey();
            List<Response> created = round.getValue().stream()
                    .map(Outcome::response)
                    .filter(Response::ok)
                    .toList();
            long logged = events.stream()
                    .filter(e -> voucherId.equals(e.text("voucherId")))
                    .count();
            assertThat(logged)
                    .as("events of %s sent twice with one Idempotency-Key: %s", voucherId, round.getValue())
                    .isEqualTo(created.isEmpty() ? 0 : 1);
            if (created.size() == 2) {
                assertThat(created.get(1).body())
                        .as("a replay answers the first response again")
                        .isEqualTo(created.get(0).body());
            }
            idempotentIssued += created.isEmpty() ? 0 : 1;
        }
        assertThat(events.stream().filter(e -> e.type().equals("VoucherIssued")).count())
                .as("VoucherIssued events = setup + issues answered 201")
                .isEqualTo(setupVouchers + issuedAccepted + idempotentIssued);
        assertThat(events.stream()
                        .filter(e -> e.type().equals("ComputeRedeemed"))
                        .count())
                .as("ComputeRedeemed events = redemptions answered 201")
                .isEqualTo(redeemedAccepted);
        assertThat((long) events.size())
                .as("events appended = commands accepted")
                .isEqualTo(setupEvents + issuedAccepted + redeemedAccepted + idempotentIssued);

        assertInvoicesAndContractsPaidOnce(events);
        assertContiguousSequences(events);
        // the index, written in the appending transaction, agrees with the log row for row
        assertThat(countWhere(db, "SELECT COUNT(*) FROM invoice_payment"))
                .as("invoice_payment rows")
                .isEqualTo(redeemedAccepted);
        assertThat(countWhere(db, "SELECT COUNT(*) FROM voucher_location"))
                .as("voucher_location rows")
                .isEqualTo(setupVouchers + issuedAccepted + idempotentIssued);

        for (String program : List.of(ZJ, GD)) {
            LoadSupport.Figures figures = figuresFromLog(events, program);
            assertThat(figures.available().signum())
                    .as("available of %s", program)
                    .isGreaterThanOrEqualTo(0);
            assertThat(figures.issued().add(figures.granted()))
                    .as("budget identity of %s", program)
                    .isEqualByComparingTo(
                            figures.committed().add(figures.disbursed()).add(figures.released()));
            figures.assertMatches(expect(a.get("/api/v1/programs/" + program), 200, "view A"), program + " on A");
            figures.assertMatches(expect(b.get("/api/v1/programs/" + program), 200, "view B"), program + " on B");
        }
        // the vouchers the load redeemed read the same on both nodes
        for (int k = 0; k < 8; k++) {
            JsonNode onA = expect(a.get("/api/v1/vouchers/tz-v-" + k), 200, "voucher on A");
            JsonNode onB = expect(b.get("/api/v1/vouchers/tz-v-" + k), 200, "voucher on B");
            assertThat(onB.get("remaining")).as("tz-v-%d on both nodes", k).isEqualTo(onA.get("remaining"));
        }

        // a retry after the race, on either node, replays the kept answer and appends nothing
        long beforeRetries = db.eventCount();
        for (Map.Entry<String, List<Outcome>> round : idempotent.entrySet()) {
            Response first = round.getValue().stream()
                    .map(Outcome::response)
                    .filter(Response::ok)
                    .findFirst()
                    .orElse(null);
            for (Node node : List.of(a, b)) {
                Response retry = node.send(idempotentIssue(node, round.getKey()));
                if (first != null) {
                    assertThat(retry.status())
                            .as("retry of %s: %s", round.getKey(), retry)
                            .isEqualTo(201);
                    assertThat(retry.body())
                            .as("retry of %s replays the first answer", round.getKey())
                            .isEqualTo(first.body());
                } else {
                    assertThat(retry.status())
                            .as("retry of %s after two refusals: %s", round.getKey(), retry)
                            .isIn(201, 503);
                }
            }
        }
        assertThat(db.eventCount())
                .as("events appended by retries")
                .isEqualTo(beforeRetries
                        + idempotent.values().stream()
                                .filter(r ->
                                        r.stream().noneMatch(o -> o.response().ok()))
                                .count());

        // and both nodes still take commands
        expect(
                b.post(
                        "/api/v1/vouchers/tg-v-0/compute-redemptions",
                        redeem("after-1", "c-tg-v-0", "inv-after-1", PROVIDER, "100.00")),
                201,
                "redeem after the load");
        expect(
                a.post("/api/v1/programs/" + GD + "/vouchers", issue("after-v", uscc("91440400MA2F", 1), "100.00")),
                201,
                "issue after the load");
    }

    /** A bounded, seeded mix of issues and redemptions from one thread of one node. */
    private List<Outcome> load(Node node, String name, int thread) {
        Random random = new Random(SEED * 31 + name.hashCode() * 7L + thread);
        List<Outcome> outcomes = new ArrayList<>();
        for (int j = 0; j < OPS_PER_THREAD; j++) {
            String suffix = name + "-" + thread + "-" + j;
            if (random.nextBoolean()) {
                // 2,000 … 20,000: together more than the 600,000 left in the program once the load is done
                String voucherId = "iss-" + suffix;
                BigDecimal face = BigDecimal.valueOf(20 + random.nextInt(181))
                        .multiply(BigDecimal.valueOf(100))
                        .setScale(2);
                int firm = (name.equals("A") ? 0 : 1000) + thread * 100 + j;
                Response r = node.post(
                        "/api/v1/programs/" + ZJ + "/vouchers",
                        issue(voucherId, uscc("91330100MA2F", firm), face.toPlainString()));
                outcomes.add(new Outcome("issue", name, voucherId, voucherId, r));
            } else {
                // subsidies of 6,000 … 45,000 on eight vouchers of 200,000: some of them run dry
                int k = random.nextInt(8);
                String voucherId = "tz-v-" + k;
                String redemptionId = "rd-" + suffix;
                BigDecimal invoice =
                        BigDecimal.valueOf(20_000 + random.nextInt(130_000)).setScale(2);
                Response r = node.post(
                        "/api/v1/vouchers/" + voucherId + "/compute-redemptions",
                        redeem(redemptionId, "c-tz-v-" + k, "inv-" + suffix, PROVIDER, invoice.toPlainString()));
                outcomes.add(new Outcome("redeem", name, redemptionId, voucherId, r));
            }
        }
        return outcomes;
    }

    /**
     * Rounds in step with the other node's thread (a barrier before each request): the same invoice on vouchers of
     * two programs (two aggregates: only the index's key can stop it), the same invoice on one voucher (the
     * aggregate's sequence), and the same new contract on two vouchers of one province.
     */
    private List<Outcome> shared(Node node, String name, CyclicBarrier barrier) throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        for (int r = 0; r < SHARED_ROUNDS; r++) {
            String voucherId;
            String contract;
            String invoice;
            String kind;
            switch (r % 3) {
                case 0 -> {
                    kind = "shared-invoice";
                    voucherId = name.equals("A") ? "tz-s-" + (r % 4) : "tg-v-" + (r % 4);
                    contract = "c-" + voucherId;
                    invoice = "shared-" + r;
                }
                case 1 -> {
                    kind = "shared-invoice";
                    voucherId = "tz-s-" + (r % 4);
                    contract = "c-" + voucherId;
                    invoice = "samev-" + r;
                }
                default -> {
                    kind = "shared-contract";
                    voucherId = "tz-s-" + ((r + (name.equals("A") ? 0 : 1)) % 4);
                    contract = "race-c-" + r;
                    invoice = "ci-" + name + "-" + r;
                }
            }
            String redemptionId = "round" + r + "-" + name;
            barrier.await(60, TimeUnit.SECONDS);
            Response response = node.post(
                    "/api/v1/vouchers/" + voucherId + "/compute-redemptions",
                    redeem(redemptionId, contract, invoice, PROVIDER, "1000.00"));
            outcomes.add(new Outcome(kind, name, redemptionId, voucherId, response));
        }
        for (int r = 0; r < IDEMPOTENT_ROUNDS; r++) {
            String voucherId = "idem-" + r;
            barrier.await(60, TimeUnit.SECONDS);
            Response response = node.send(idempotentIssue(node, voucherId));
            outcomes.add(new Outcome("idempotent", name, voucherId + "-" + name, voucherId, response));
        }
        return outcomes;
    }

    /** An issue in the GD program with an Idempotency-Key of its own, the same on both nodes. */
    private static HttpRequest.Builder idempotentIssue(Node node, String voucherId) {
        int n = Integer.parseInt(voucherId.substring(voucherId.lastIndexOf('-') + 1));
        return HttpRequest.newBuilder(node.uri("/api/v1/programs/" + GD + "/vouchers"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "key-" + voucherId)
                .POST(HttpRequest.BodyPublishers.ofString(issue(voucherId, uscc("91440400MA2H", n), "100.00")));
    }

    private static BigDecimal subsidyIn(JsonNode voucherView, String redemptionId) {
        for (JsonNode r : voucherView.get("redemptions")) {
            if (redemptionId.equals(r.get("redemptionId").asText())) {
                return new BigDecimal(r.get("subsidy").get("amount").asText());
            }
        }
        throw new AssertionError("redemption " + redemptionId + " missing from its own answer: " + voucherView);
    }
}
