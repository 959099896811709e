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
import static org.subsidyledger.api.load.LoadSupport.housingProgram;
import static org.subsidyledger.api.load.LoadSupport.issue;
import static org.subsidyledger.api.load.LoadSupport.money;
import static org.subsidyledger.api.load.LoadSupport.provider;
import static org.subsidyledger.api.load.LoadSupport.redeem;
import static org.subsidyledger.api.load.LoadSupport.uscc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.subsidyledger.api.load.LoadSupport.Database;
import org.subsidyledger.api.load.LoadSupport.Node;
import org.subsidyledger.api.load.LoadSupport.Response;
import org.subsidyledger.api.load.LoadSupport.StoredEvent;
import org.subsidyledger.api.support.MutableClock;

/**
 * The ledger stopped and started again on the same PostgreSQL database: what it answered 2xx before is in the log
 * after, the figures it reads are the ones the log implies, and time that passed while it was down is caught up on
 * start — vouchers expire and housing months lapse with no request (SPEC §3 "survives restarts"). Each test has a
 * database of its own.
 */
class RestartTest {
    private static final String PROVIDER = "prov-restart-1";

    /** One command sent by the load thread: its answer, or the I/O failure of a node that went away. */
    record Sent(String kind, String id, Response response, String failure) {}

    @Test
    void everyCommandAnswered2xxBeforeAShutdownIsInTheStoreAfterARestart() throws Exception {
        try (Database db = Database.create("ledger_restart")) {
            MutableClock clock = new MutableClock(LoadSupport.START);
            String program = "rs-zj";
            Node first = Node.start(db, clock);
            ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
            CompletableFuture<Void> loader;
            long setupEvents;
            try {
                expect(
                        first.post("/api/v1/providers", provider(PROVIDER, uscc("91330100MA2C", 5), "COMPUTE", null)),
                        201,
                        "accredit");
                expect(first.post("/api/v1/programs", computeProgram(program, "CN-ZJ", 365)), 201, "launch");
                expect(
                        first.post(
                                "/api/v1/programs/" + program + "/appropriations",
                                appropriation("5000000.00", "line-1")),
                        200,
                        "appropriate");
                for (int k = 0; k < 4; k++) {
                    expect(
                            first.post(
                                    "/api/v1/programs/" + program + "/vouchers",
                                    issue("rs-v-" + k, uscc("91330100MA2H", k), "300000.00")),
                            201,
                            "issue rs-v-" + k);
                }
                setupEvents = db.eventCount();

                AtomicInteger answered = new AtomicInteger();
                Node target = first;
                loader = CompletableFuture.runAsync(() -> load(target, program, sent, answered));
                // stop the node while the load runs: after 40 answers, bounded by a deadline
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (answered.get() < 40 && !loader.isDone() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                if (loader.isDone()) {
                    loader.get(); // surfaces what stopped the load early
                }
                assertThat(loader.isDone())
                        .as("the load was still running when the node was stopped")
                        .isFalse();
                assertThat(answered.get()).as("answers before the stop").isGreaterThanOrEqualTo(40);
            } finally {
                first.close();
            }
            loader.get(90, TimeUnit.SECONDS);
            List<Sent> outcomes = List.copyOf(sent);
            long failures = outcomes.stream().filter(s -> s.failure() != null).count();
            System.out.printf(
                    "restart load: %d sent, %d answered 2xx, %d refused, %d lost with the node %s%n",
                    outcomes.size(),
                    outcomes.stream()
                            .filter(s -> s.response() != null && s.response().ok())
                            .count(),
                    outcomes.stream()
                            .filter(s -> s.response() != null && !s.response().ok())
                            .count(),
                    failures,
                    outcomes.stream()
                            .filter(s -> s.failure() != null)
                            .map(Sent::failure)
                            .toList());
            assertThat(failures).as("the load ran into the stopped node").isPositive();

            try (Node second = Node.start(db, clock)) {
                List<StoredEvent> events = db.events();
                Set<String> ours = new HashSet<>();
                for (Sent s : outcomes) {
                    ours.add(s.id());
                    List<StoredEvent> logged = events.stream()
                            .filter(e -> s.kind().equals("issue")
                                    ? e.type().equals("VoucherIssued") && s.id().equals(e.text("voucherId"))
                                    : e.type().equals("ComputeRedeemed") && s.id().equals(e.text("redemptionId")))
                            .toList();
                    if (s.response() != null && s.response().ok()) {
                        assertThat(logged)
                                .as("event of %s %s answered %s before the stop", s.kind(), s.id(), s.response())
                                .hasSize(1);
                    } else if (s.response() != null) {
                        assertThat(logged)
                                .as("events of refused %s %s", s.kind(), s.id())
                                .isEmpty();
                    } else {
                        assertThat(logged)
                                .as("events of %s %s lost with the node", s.kind(), s.id())
                                .hasSizeLessThan(2);
                    }
                }
                // nothing in the log that no command asked for
                for (StoredEvent e : events.subList((int) setupEvents, events.size())) {
                    String id = e.type().equals("VoucherIssued") ? e.text("voucherId") : e.text("redemptionId");
                    assertThat(ours)
                            .as("event no command of the load asked for: %s %s", e.type(), e.payload())
                            .contains(id);
                }
                assertContiguousSequences(events);
                assertInvoicesAndContractsPaidOnce(events);
                assertThat(countWhere(db, "SELECT COUNT(*) FROM invoice_payment"))
                        .as("invoice rows = redemptions")
                        .isEqualTo(events.stream()
                                .filter(e -> e.type().equals("ComputeRedeemed"))
                                .count());
                assertThat(countWhere(db, "SELECT COUNT(*) FROM voucher_location"))
                        .as("voucher rows = issues")
                        .isEqualTo(events.stream()
                                .filter(e -> e.type().equals("VoucherIssued"))
                                .count());
                figuresFromLog(events, program)
                        .assertMatches(
                                expect(second.get("/api/v1/programs/" + program), 200, "program after restart"),
                                program);

                // the restarted ledger takes new commands
                long before = db.eventCount();
                expect(
                        second.post(
                                "/api/v1/programs/" + program + "/vouchers",
                                issue("rs-after", uscc("91330100MA2J", 1), "1000.00")),
                        201,
                        "issue after restart");
                expect(
                        second.post(
                                "/api/v1/vouchers/rs-v-0/compute-redemptions",
                                redeem("rs-after-r", "c-rs-v-0", "inv-rs-after", PROVIDER, "100.00")),
                        201,
                        "redeem after restart");
                assertThat(db.eventCount()).isEqualTo(before + 2);
                figuresFromLog(db.events(), program)
                        .assertMatches(expect(second.get("/api/v1/programs/" + program), 200, "program"), program);
            }
        }
    }

    /**
     * Issues and redemptions one after another until the node goes away (an I/O failure), at most 2,000 of them.
     * Every answer must be a 2xx or one of SPEC's refusals, also while the node shuts down.
     */
    private static void load(Node node, String program, ConcurrentLinkedQueue<Sent> sent, AtomicInteger answered) {
        Random random = new Random(42);
        for (int j = 0; j < 2000; j++) {
            boolean issue = j % 2 == 0;
            String id = (issue ? "rs-iss-" : "rs-red-") + j;
            String voucherId = issue ? id : "rs-v-" + random.nextInt(4);
            String path = issue
                    ? "/api/v1/programs/" + program + "/vouchers"
                    : "/api/v1/vouchers/" + voucherId + "/compute-redemptions";
            String body = issue
                    ? issue(id, uscc("91330100MA2K", j), (1000 + random.nextInt(4000)) + ".00")
                    : redeem(id, "c-" + voucherId, "inv-" + id, PROVIDER, (5000 + random.nextInt(15000)) + ".00");
            try {
                Response r = node.sendOrThrow(HttpRequest.newBuilder(node.uri(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
                if (!r.ok()) {
                    String code = assertProblem(r, id + " while the node runs or stops");
                    assertThat(code)
                            .as("refusal of %s: %s", id, r)
                            .isIn("BUDGET_EXCEEDED", "VOUCHER_EXHAUSTED", "OVERLOADED");
                } else {
                    assertThat(r.status()).as("%s: %s", id, r).isEqualTo(201);
                }
                sent.add(new Sent(issue ? "issue" : "redeem", id, r, null));
                answered.incrementAndGet();
            } catch (IOException e) {
                sent.add(new Sent(issue ? "issue" : "redeem", id, null, e.toString()));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("the load sent 2,000 commands and the node never went away");
    }

    @Test
    void vouchersExpireAndHousingMonthsLapseOnStartWhenTheirTimePassedWhileTheLedgerWasDown() {
        try (Database db = Database.create("ledger_expiry")) {
            MutableClock clock = new MutableClock(LoadSupport.START); // 2026-03-10T02:00Z, March 2026 in Asia/Shanghai
            String vouchers = "exp-zj";
            String housing = "lapse-gd";
            try (Node first = Node.start(db, clock)) {
                expect(
                        first.post("/api/v1/providers", provider(PROVIDER, uscc("91330100MA2C", 6), "COMPUTE", null)),
                        201,
                        "accredit");
                expect(first.post("/api/v1/programs", computeProgram(vouchers, "CN-ZJ", 1)), 201, "launch");
                expect(
                        first.post(
                                "/api/v1/programs/" + vouchers + "/appropriations",
                                appropriation("100000.00", "line-1")),
                        200,
                        "appropriate");
                expect(
                        first.post(
                                "/api/v1/programs/" + vouchers + "/vouchers",
                                issue("exp-v", uscc("91330100MA2L", 1), "10000.00")),
                        201,
                        "issue");
                JsonNode redeemed = expect(
                        first.post(
                                "/api/v1/vouchers/exp-v/compute-redemptions",
                                redeem("exp-r", "c-exp", "inv-exp", PROVIDER, "10000.00")),
                        201,
                        "redeem");
                assertThat(redeemed.get("status").asText()).isEqualTo("ACTIVE");
                assertThat(redeemed.get("remaining").get("amount").asText()).isEqualTo("7000.00");
                assertThat(redeemed.get("expiresAt").asText()).isEqualTo("2026-03-11T02:00:00Z");

                expect(first.post("/api/v1/programs", housingProgram(housing, 1)), 201, "launch housing");
                expect(
                        first.post(
                                "/api/v1/programs/" + housing + "/appropriations",
                                appropriation("1000000.00", "line-2")),
                        200,
                        "appropriate housing");
                JsonNode grant = expect(
                        first.post(
                                "/api/v1/programs/" + housing + "/housing-grants",
                                "{\"grantId\":\"g-lapse\",\"recipient\":{\"personRef\":\"talent-1\",\"category\":"
                                        + "\"GRADUATE\"},\"startMonth\":\"2026-03\",\"monthlyRent\":" + money("4000.00")
                                        + "}"),
                        201,
                        "grant");
                assertThat(grant.get("schedule")).hasSize(36); // 12 × 4,000 + 12 × 2,800 + 12 × 2,000 = 105,600
                expect(
                        first.post("/api/v1/housing-grants/g-lapse/claims", claim("2026-03", "4000.00")),
                        200,
                        "claim March");
            }
            assertThat(countOf(db, "VoucherExpired"))
                    .as("no expiry while the voucher was valid")
                    .isZero();
            assertThat(countOf(db, "HousingMonthsLapsed"))
                    .as("nothing lapsed while the windows were open")
                    .isZero();

            // 2026-06-10: the voucher expired on 2026-03-11; April's claim window (claimWindowMonths 1) closed at
            // the start of June in Shanghai, May's is still open
            clock.advance(Duration.ofDays(92));
            try (Node second = Node.start(db, clock)) {
                // the scheduled sweep runs hourly (LoadSupport): only the sweep on start can append these
                StoredEvent expired = awaitEvent(db, "VoucherExpired", Duration.ofSeconds(10));
                StoredEvent lapsed = awaitEvent(db, "HousingMonthsLapsed", Duration.ofSeconds(10));

                assertThat(expired.text("voucherId")).isEqualTo("exp-v");
                assertThat(expired.money("released")).isEqualByComparingTo("7000.00");
                assertThat(expired.money("redeemed")).isEqualByComparingTo("3000.00");
                assertThat(Instant.parse(expired.text("expiresAt"))).isEqualTo(Instant.parse("2026-03-11T02:00:00Z"));
                assertThat(countOf(db, "VoucherExpired")).as("expired once").isEqualTo(1);
                JsonNode voucher = expect(second.get("/api/v1/vouchers/exp-v"), 200, "voucher after restart");
                assertThat(voucher.get("status").asText())
                        .as("status: %s", voucher)
                        .isEqualTo("EXPIRED");
                assertThat(new BigDecimal(voucher.get("remaining").get("amount").asText()))
                        .as("remaining: %s", voucher)
                        .isEqualByComparingTo("0");
                assertThat(new BigDecimal(voucher.get("released").get("amount").asText()))
                        .as("released: %s", voucher)
                        .isEqualByComparingTo("7000.00");
                assertThat(new BigDecimal(voucher.get("redeemed").get("amount").asText()))
                        .isEqualByComparingTo("3000.00");
                JsonNode view = expect(second.get("/api/v1/programs/" + vouchers), 200, "program");
                assertThat(new BigDecimal(view.get("figures").get("released").asText()))
                        .isEqualByComparingTo("7000.00");
                assertThat(new BigDecimal(view.get("figures").get("committed").asText()))
                        .isEqualByComparingTo("0");
                assertThat(new BigDecimal(view.get("figures").get("available").asText()))
                        .isEqualByComparingTo("97000.00");
                figuresFromLog(db.events(), vouchers).assertMatches(view, vouchers);

                assertThat(lapsed.text("grantId")).isEqualTo("g-lapse");
                assertThat(lapsed.payload().get("months"))
                        .as("lapsed months: %s", lapsed.payload())
                        .hasSize(1);
                assertThat(lapsed.payload().get("months").get(0).get("month").asText())
                        .isEqualTo("2026-04");
                assertThat(lapsed.money("released")).isEqualByComparingTo("4000.00");
                assertThat(countOf(db, "HousingMonthsLapsed")).as("lapsed once").isEqualTo(1);
                JsonNode grantView = expect(second.get("/api/v1/housing-grants/g-lapse"), 200, "grant after restart");
                assertThat(monthOf(grantView, "2026-03").get("status").asText()).isEqualTo("PAID");
                JsonNode april = monthOf(grantView, "2026-04");
                assertThat(april.get("status").asText()).as("April: %s", april).isEqualTo("LAPSED");
                assertThat(new BigDecimal(april.get("released").get("amount").asText()))
                        .isEqualByComparingTo("4000.00");
                assertThat(monthOf(grantView, "2026-05").get("status").asText()).isEqualTo("COMMITTED");
                JsonNode housingView = expect(second.get("/api/v1/programs/" + housing), 200, "housing program");
                assertThat(new BigDecimal(
                                housingView.get("figures").get("released").asText()))
                        .isEqualByComparingTo("4000.00");
                assertThat(new BigDecimal(
                                housingView.get("figures").get("committed").asText()))
                        .isEqualByComparingTo("97600.00");
                figuresFromLog(db.events(), housing).assertMatches(housingView, housing);

                // what ended stays ended, what is still open still works
                long before = db.eventCount();
                Response late = second.post(
                        "/api/v1/vouchers/exp-v/compute-redemptions",
                        redeem("exp-r2", "c-exp", "inv-exp-2", PROVIDER, "100.00"));
                assertThat(assertProblem(late, "redemption after expiry")).isEqualTo("VOUCHER_EXPIRED");
                Response lateClaim = second.post("/api/v1/housing-grants/g-lapse/claims", claim("2026-04", "4000.00"));
                assertThat(assertProblem(lateClaim, "claim of a lapsed month")).isEqualTo("MONTH_NOT_COVERED");
                assertThat(db.eventCount())
                        .as("the refused commands appended nothing")
                        .isEqualTo(before);
                expect(
                        second.post("/api/v1/housing-grants/g-lapse/claims", claim("2026-05", "3500.00")),
                        200,
                        "claim May, still in its window");
                figuresFromLog(db.events(), housing)
                        .assertMatches(
                                expect(second.get("/api/v1/programs/" + housing), 200, "housing program"), housing);
            }
        }
    }

    private static String claim(String month, String rentPaid) {
        return "{\"month\":\"" + month + "\",\"rentPaid\":" + money(rentPaid) + ",\"leaseRef\":\"lease-1\"}";
    }

    private static long countOf(Database db, String type) {
        return db.events().stream().filter(e -> e.type().equals(type)).count();
    }

    /** Bounded polling for the first event of a type; fails after the deadline. */
    private static StoredEvent awaitEvent(Database db, String type, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<StoredEvent> found =
                    db.events().stream().filter(e -> e.type().equals(type)).toList();
            if (!found.isEmpty()) {
                return found.get(0);
            }
            assertThat(System.nanoTime())
                    .as("%s appended within %s of the start", type, within)
                    .isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static JsonNode monthOf(JsonNode grantView, String month) {
        List<String> months = new ArrayList<>();
        for (JsonNode m : grantView.get("schedule")) {
            months.add(m.get("month").asText());
            if (month.equals(m.get("month").asText())) {
                return m;
            }
        }
        throw new AssertionError("month " + month + " not in the schedule " + months);
    }
}
