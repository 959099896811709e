package org.subsidyledger.api.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.budget.BudgetNode;
import org.subsidyledger.api.budget.BudgetNode.Answer;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.core.shared.Uscc;

/**
 * Four eyes through the HTTP API of the running application (SPEC §3, §11): thresholds at, below and above, maker
 * and checker, roles and provinces, approval decided against the budget as it is then, rejection, expiry, the listing,
 * and both principals in the audit export. Every refusal is checked to have appended nothing. One application per
 * class, on a database of its own; the tests run in order on one Zhejiang program.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ApprovalContract {
    private static final String PROGRAM = "zj-four-eyes";
    private static final String MAKER = "officer-cn-zj";
    private static final String CHECKER = "national";

    final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T02:00:00Z"));
    BudgetNode node;

    abstract Map<String, Object> createDatabase();

    abstract void dropDatabase();

    @BeforeAll
    void startLedger() {
        node = BudgetNode.start(createDatabase(), clock, true);
    }

    @AfterAll
    void stopLedger() {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            dropDatabase();
        }
    }

    private static String money(String amount) {
        return "{\"amount\": \"" + amount + "\", \"currency\": \"CNY\"}";
    }

    private static String program(String id, String threshold) {
        return """
                {"programId": "%s", "name": "Hangzhou compute vouchers", "kind": "COMPUTE_VOUCHER",
                 "province": "CN-ZJ", "city": "Hangzhou", "currency": "CNY",
                 "rules": {"coverageRatio": "0.30", "maxVoucherValue": %s, "capPerBeneficiaryPerYear": %s,
                           "validityDays": 365, "eligibleSectors": ["software"], "payee": "BENEFICIARY"%s}}
                """.formatted(
                        id,
                        money("8000000.00"),
                        money("8000000.00"),
                        threshold == null ? "" : ", \"approvalThreshold\": " + threshold);
    }

    private static String issue(String voucherId, String uscc, String faceValue) {
        return """
                {"voucherId": "%s", "beneficiary": {"id": "%s", "name": "Firm %s", "sector": "software"},
                 "faceValue": %s}
                """.formatted(voucherId, uscc, voucherId, money(faceValue));
    }

    /** A valid USCC with the given 8-digit serial (organisation code part), Zhejiang. */
    private static String uscc(int serial) {
        String first17 = "913301%08dMA2X".formatted(serial).substring(0, 17);
        return first17 + Uscc.checkCharacter(first17);
    }

    private long entries() {
        return node.bean(JdbcTemplate.class).queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
    }

    private JsonNode programView() {
        return node.getOk("/programs/" + PROGRAM);
    }

    private static void assertRefused(Answer answer, int status, String code) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body().get("code").asText()).isEqualTo(code);
    }

    private String requestedId = null;

    @Test
    @Order(1)
    void aThresholdThatIsNotPositiveMoneyInTheProgramsCurrencyIsRefused() {
        long before = entries();
        assertRefused(node.post("/programs", program("zj-bad-1", money("0.00")), CHECKER), 400, "VALIDATION_FAILED");
        assertRefused(
                node.post("/programs", program("zj-bad-2", "{\"amount\": \"1.00\", \"currency\": \"USD\"}"), CHECKER),
                422,
                "CURRENCY_MISMATCH");
        assertThat(entries()).isEqualTo(before);
        Answer launched = node.post("/programs", program(PROGRAM, money("100000.00")), MAKER);
        assertThat(launched.status()).as("%s", launched.body()).isEqualTo(201);
        assertThat(launched.body().at("/rules/approvalThreshold/amount").asText())
                .isEqualTo("100000.00");
    }

    @Test
    @Order(2)
    void anAppropriationAtTheThresholdBecomesAPendingRequestThatCommitsNothing() {
        Answer answer = node.post(
                "/programs/" + PROGRAM + "/appropriations",
                "{\"amount\": " + money("100000.00") + ", \"reference\": \"ZJ-2026-1\"}",
                MAKER);
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(202);
        JsonNode request = answer.body();
        requestedId = request.get("requestId").asText();
        assertThat(request.get("status").asText()).isEqualTo("PENDING");
        assertThat(request.get("action").asText()).isEqualTo("AppropriateFunds");
        assertThat(request.get("maker").asText()).isEqualTo(MAKER);
        assertThat(request.at("/command/amount/amount").asText()).isEqualTo("100000.00");
        assertThat(Instant.parse(request.get("expiresAt").asText()))
                .isEqualTo(clock.instant().plus(Duration.ofDays(14)));
        assertThat(programView().at("/figures/appropriated").asText()).isEqualTo("0.00");
        assertThat(programView().get("pendingApprovals").asInt()).isEqualTo(1);

        JsonNode read = node.getOk("/approvals/" + requestedId);
        assertThat(read).as("the 202 answer is the request as it is read").isEqualTo(request);
        assertThat(read.get("status").asText()).isEqualTo("PENDING");
        assertThat(read.get("ageSeconds").asLong()).isZero();
        // Below the threshold an appropriation is made at once.
        Answer small = node.post(
                "/programs/" + PROGRAM + "/appropriations",
                "{\"amount\": " + money("99999.99") + ", \"reference\": \"ZJ-2026-0\"}",
                MAKER);
        assertThat(small.status()).as("%s", small.body()).isEqualTo(200);
        assertThat(small.body().at("/figures/appropriated").asText()).isEqualTo("99999.99");
    }

    @Test
    @Order(3)
    void onlyAnotherEntitledPersonOfTheProvinceMayApprove() {
        String path = "/approvals/" + requestedId + "/approval";
        long before = entries();
        assertRefused(node.post(path, null, MAKER), 403, "FOUR_EYES_REQUIRED");
        assertRefused(node.post(path, null, "auditor"), 403, "FORBIDDEN");
        assertRefused(node.post(path, "{}", "officer-cn-gd"), 404, "NOT_FOUND");
        assertRefused(node.post("/approvals/no-such-request/approval", null, CHECKER), 404, "NOT_FOUND");
        assertRefused(node.post(path, "{\"note\": \"x\"}", CHECKER), 400, "VALIDATION_FAILED");
        assertThat(entries()).as("no refusal appended anything").isEqualTo(before);

        clock.set(clock.instant().plus(Duration.ofHours(2)));
        List<String> listed = new ArrayList<>();
        node.get("/approvals?status=PENDING", MAKER)
                .body()
                .forEach(x -> listed.add(x.get("requestId").asText()));
        assertThat(listed).containsExactly(requestedId);
        assertThat(node.get("/approvals?status=PENDING", MAKER)
                        .body()
                        .get(0)
                        .get("ageSeconds")
                        .asLong())
                .isEqualTo(7200);
        assertThat(node.get("/approvals?status=PENDING", "officer-cn-gd").body())
                .isEmpty();
        assertRefused(node.get("/approvals?province=CN-ZJ", "officer-cn-gd"), 404, "NOT_FOUND");
        assertRefused(node.get("/approvals?status=LATE", CHECKER), 400, "VALIDATION_FAILED");
    }

    @Test
    @Order(4)
    void theCheckerApprovesAndTheAppropriationIsMadeWithBothPrincipalsOnRecord() {
        Answer approved = node.post("/approvals/" + requestedId + "/approval", null, CHECKER);
        assertThat(approved.status()).as("%s", approved.body()).isEqualTo(200);
        assertThat(approved.body().get("status").asText()).isEqualTo("APPROVED");
        assertThat(approved.body().get("checker").asText()).isEqualTo(CHECKER);
        assertThat(approved.body().get("result").asText()).isEqualTo("/api/v1/programs/" + PROGRAM);
        assertThat(programView().at("/figures/appropriated").asText()).isEqualTo("199999.99");
        assertThat(programView().get("pendingApprovals").asInt()).isZero();

        long before = entries();
        assertRefused(
                node.post("/approvals/" + requestedId + "/approval", null, "officer-cn-zj"), 403, "FOUR_EYES_REQUIRED");
        assertRefused(node.post("/approvals/" + requestedId + "/approval", null, CHECKER), 409, "REQUEST_DECIDED");
        assertRefused(
                node.post("/approvals/" + requestedId + "/rejection", "{\"reason\": \"late\"}", CHECKER),
                409,
                "REQUEST_DECIDED");
        assertThat(entries()).isEqualTo(before);

        List<JsonNode> audit = auditOfProgram();
        JsonNode granted = audit.get(audit.size() - 2);
        JsonNode appropriated = audit.get(audit.size() - 1);
        assertThat(granted.get("type").asText()).isEqualTo("ApprovalGranted");
        assertThat(granted.at("/payload/maker").asText()).isEqualTo(MAKER);
        assertThat(granted.at("/payload/checker").asText()).isEqualTo(CHECKER);
        assertThat(appropriated.get("type").asText()).isEqualTo("FundsAppropriated");
        assertThat(appropriated.at("/metadata/principal").asText()).isEqualTo(CHECKER);
        assertThat(appropriated.at("/metadata/maker").asText()).isEqualTo(MAKER);
        assertThat(appropriated.at("/metadata/approvalRequestId").asText()).isEqualTo(requestedId);
    }

    @Test
    @Order(5)
    void approvalIsDecidedAgainstTheBudgetAsItIsThenAndARefusalLeavesTheRequestPending() {
        // 199,999.99 appropriated; a voucher of 150,000.00 needs approval, then vouchers below the threshold take
        // 99,999.99 of the budget before the checker looks: only 100,000.00 is left.
        Answer requested =
                node.post("/programs/" + PROGRAM + "/vouchers", issue("zj-v-big", uscc(1), "150000.00"), MAKER);
        assertThat(requested.status()).as("%s", requested.body()).isEqualTo(202);
        String id = requested.body().get("requestId").asText();
        assertThat(requested.body().at("/command/voucherId").asText()).isEqualTo("zj-v-big");
        assertRefused(node.get("/vouchers/zj-v-big"), 404, "NOT_FOUND");
        Answer small =
                node.post("/programs/" + PROGRAM + "/vouchers", issue("zj-v-small", uscc(2), "99999.99"), CHECKER);
        assertThat(small.status()).as("%s", small.body()).isEqualTo(201);

        long before = entries();
        assertRefused(node.post("/approvals/" + id + "/approval", null, CHECKER), 422, "BUDGET_EXCEEDED");
        assertThat(entries()).as("a refused approval appends nothing").isEqualTo(before);
        assertThat(node.getOk("/approvals/" + id).get("status").asText()).isEqualTo("PENDING");

        Answer rejected = node.post("/approvals/" + id + "/rejection", "{\"reason\": \"budget spent\"}", CHECKER);
        assertThat(rejected.status()).as("%s", rejected.body()).isEqualTo(200);
        assertThat(rejected.body().get("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.body().get("reason").asText()).isEqualTo("budget spent");
        assertThat(rejected.body().get("result").isNull()).isTrue();
        assertRefused(node.get("/vouchers/zj-v-big"), 404, "NOT_FOUND");
        assertThat(programView().at("/figures/committed").asText()).isEqualTo("99999.99");
    }

    @Test
    @Order(6)
    void anApprovedVoucherIsIssuedAndAPendingOneIsNotACommitmentOfTheBudgetView() {
        Answer requested =
                node.post("/programs/" + PROGRAM + "/vouchers", issue("zj-v-ok", uscc(3), "100000.00"), MAKER);
        assertThat(requested.status()).as("%s", requested.body()).isEqualTo(202);
        assertThat(requested.body().get("status").asText()).isEqualTo("PENDING");
        String id = requested.body().get("requestId").asText();
        BudgetNode.awaitProjection(node);
        JsonNode budget = node.getOk("/provinces/CN-ZJ/budget").at("/currencies/0");
        assertThat(budget.at("/committed").asText()).isEqualTo("99999.99");

        Answer approved = node.post("/approvals/" + id + "/approval", "{}", CHECKER);
        assertThat(approved.status()).as("%s", approved.body()).isEqualTo(200);
        assertThat(approved.body().get("result").asText()).isEqualTo("/api/v1/vouchers/zj-v-ok");
        JsonNode voucher = node.getOk("/vouchers/zj-v-ok");
        assertThat(voucher.at("/faceValue/amount").asText()).isEqualTo("100000.00");
        BudgetNode.awaitProjection(node);
        assertThat(node.getOk("/provinces/CN-ZJ/budget")
                        .at("/currencies/0/committed")
                        .asText())
                .isEqualTo("199999.99");
        assertThat(node.getOk("/provinces/CN-ZJ/budget")
                        .at("/currencies/0/available")
                        .asText())
                .isEqualTo("0.00");
    }

    @Test
    @Order(7)
    void aRequestExpiresAfterFourteenDaysAndIsListedAsExpired() {
        Answer requested = node.post(
                "/programs/" + PROGRAM + "/appropriations",
                "{\"amount\": " + money("500000.00") + ", \"reference\": \"ZJ-2026-2\"}",
                MAKER);
        assertThat(requested.status()).isEqualTo(202);
        String id = requested.body().get("requestId").asText();
        assertThat(programView().get("pendingApprovals").asInt()).isEqualTo(1);
        clock.set(clock.instant().plus(Duration.ofDays(14)));
        assertThat(programView().get("pendingApprovals").asInt())
                .as("an expired request no longer waits, though no event followed it")
                .isZero();
        long before = entries();
        assertRefused(node.post("/approvals/" + id + "/approval", null, CHECKER), 409, "REQUEST_EXPIRED");
        assertRefused(
                node.post("/approvals/" + id + "/rejection", "{\"reason\": \"too late\"}", CHECKER),
                409,
                "REQUEST_EXPIRED");
        assertThat(entries()).isEqualTo(before);
        List<String> expired = new ArrayList<>();
        node.getOk("/approvals?status=EXPIRED")
                .forEach(x -> expired.add(x.get("requestId").asText()));
        assertThat(expired).containsExactly(id);
        assertThat(node.getOk("/approvals?status=PENDING")).isEmpty();
        assertThat(node.getOk("/approvals?status=REJECTED")).hasSize(1);
        assertThat(node.getOk("/approvals?status=APPROVED")).hasSize(2);
        assertThat(programView().at("/figures/appropriated").asText()).isEqualTo("199999.99");
    }

    @Test
    @Order(11)
    void theWholeLogVerifiesWithEveryCommitmentAboveTheThresholdApproved() {
        JsonNode verified = node.get("/audit/verify", "auditor").body();
        assertThat(verified.get("verified").asBoolean()).as("%s", verified).isTrue();
    }

    /**
     * Sixteen checkers approve one request at once: exactly one approval is granted and one appropriation made; every
     * other answer is 409 REQUEST_DECIDED (or 503 to be retried), never a second appropriation.
     */
    @Test
    @Order(9)
    void manyCheckersApprovingAtOnceGrantOneApprovalAndOneAppropriation() throws Exception {
        Answer requested = node.post(
                "/programs/" + PROGRAM + "/appropriations",
                "{\"amount\": " + money("300000.00") + ", \"reference\": \"ZJ-2026-3\"}",
                MAKER);
        assertThat(requested.status()).isEqualTo(202);
        String id = requested.body().get("requestId").asText();
        String before = programView().at("/figures/appropriated").asText();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> node.post("/approvals/" + id + "/approval", null, CHECKER)));
            }
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            for (Future<Answer> answer : answers) {
                statuses.merge(answer.get(60, TimeUnit.SECONDS).status(), 1, Integer::sum);
            }
            assertThat(statuses.get(200)).as("%s", statuses).isEqualTo(1);
            assertThat(statuses.keySet()).as("%s", statuses).isSubsetOf(200, 409, 503);
        } finally {
            pool.shutdownNow();
        }
        List<JsonNode> granted = auditOfProgram().stream()
                .filter(e -> e.get("type").asText().equals("ApprovalGranted")
                        && e.at("/payload/requestId").asText().equals(id))
                .toList();
        assertThat(granted).hasSize(1);
        assertThat(new java.math.BigDecimal(
                                programView().at("/figures/appropriated").asText())
                        .subtract(new java.math.BigDecimal(before)))
                .isEqualByComparingTo("300000.00");
    }

    /**
     * The same voucher under two requests: the first approved issues it; approving the second is ALREADY_EXISTS and
     * appends nothing. A request retried with its Idempotency-Key is the same request, not a second one.
     */
    @Test
    @Order(10)
    void theSameVoucherUnderTwoRequestsIsIssuedOnceAndARetriedRequestIsNotASecond() {
        node.post(
                "/programs/" + PROGRAM + "/appropriations",
                "{\"amount\": " + money("99999.99") + ", \"reference\": \"ZJ-2026-4\"}",
                CHECKER);
        node.post(
                "/programs/" + PROGRAM + "/appropriations",
                "{\"amount\": " + money("99999.99") + ", \"reference\": \"ZJ-2026-5\"}",
                CHECKER);
        String body = issue("zj-v-twice", uscc(4), "100000.00");
        Answer first = node.post("/programs/" + PROGRAM + "/vouchers", body, MAKER);
        Answer second = node.post("/programs/" + PROGRAM + "/vouchers", body, MAKER);
        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(node.post("/approvals/" + first.body().get("requestId").asText() + "/approval", null, CHECKER)
                        .status())
                .isEqualTo(200);
        long before = entries();
        assertRefused(
                node.post("/approvals/" + second.body().get("requestId").asText() + "/approval", null, CHECKER),
                409,
                "ALREADY_EXISTS");
        assertThat(entries()).isEqualTo(before);

        long pending = node.getOk("/approvals?status=PENDING").size();
        Answer keyed = node.postWithKey(
                "/programs/" + PROGRAM + "/appropriations",
                "{\"amount\": " + money("400000.00") + ", \"reference\": \"ZJ-2026-6\"}",
                MAKER,
                "four-eyes-key-1");
        Answer retried = node.postWithKey(
                "/programs/" + PROGRAM + "/appropriations",
                "{\"amount\": " + money("400000.00") + ", \"reference\": \"ZJ-2026-6\"}",
                MAKER,
                "four-eyes-key-1");
        assertThat(keyed.status()).isEqualTo(202);
        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.body().get("requestId").asText())
                .isEqualTo(keyed.body().get("requestId").asText());
        assertThat(node.getOk("/approvals?status=PENDING").size()).isEqualTo(pending + 1);
    }

    private List<JsonNode> auditOfProgram() {
        return node.getLines("/audit/events?aggregateId=" + PROGRAM, "auditor");
    }
}
