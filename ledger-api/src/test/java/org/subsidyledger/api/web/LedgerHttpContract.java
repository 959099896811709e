package org.subsidyledger.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.api.web.RequestBodies.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.LedgerApplication;
import org.subsidyledger.api.command.LedgerCommands;
import org.subsidyledger.api.command.RequestContext;
import org.subsidyledger.api.expiry.ExpirySweeper;
import org.subsidyledger.api.history.HistoryBackfill;
import org.subsidyledger.api.idempotency.IdempotencyFilter;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.core.housing.HousingCommands;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * The REST API over real HTTP (SPEC §3, §5, §11): the real Spring Boot application on a random port, on one real
 * database per subclass, driven with {@link HttpClient} and JSON strings. One application per test class; every test
 * uses ids of its own, so tests do not see each other's programs. The application's {@link Clock} is a
 * {@link MutableClock} the tests move (expiry, housing months); it is set back to {@link #START} before each test.
 *
 * <p>The scheduled expiry sweep is switched off ({@code ledger.expiry.enabled=false}) so that nothing is appended in
 * the background while a test counts the rows of {@code domain_event_entry}; SPEC §11 decides a redemption's expiry by
 * time anyway, and the one test of automatic expiry and lapse runs the application's sweeper itself. No Kafka broker
 * is started ({@code ledger.kafka.enabled=false}): these tests are about HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LedgerHttpContract {
    /** 10:00 on 14 August 2026 in Asia/Shanghai: month "2026-08" in every CN jurisdiction. */
    static final Instant START = Instant.parse("2026-08-14T02:00:00Z");

    static final String API = "/api/v1";
    static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The codes of SPEC §3's Rejections table that arrive with later features (security, load shedding, four eyes),
     * each answered over HTTP by that feature's own contract ({@code ApprovalContract} for four eyes).
     */
    static final Set<RejectionCode> ARRIVE_LATER = EnumSet.of(
            RejectionCode.UNAUTHENTICATED,
            RejectionCode.FORBIDDEN,
            RejectionCode.OVERLOADED,
            RejectionCode.FOUR_EYES_REQUIRED,
            RejectionCode.REQUEST_DECIDED,
            RejectionCode.REQUEST_EXPIRED);

    /** SPEC §3's Rejections table, by status, as written there. */
    static final Map<Integer, List<String>> SPEC_CODES = Map.of(
            400, List.of("VALIDATION_FAILED"),
            401, List.of("UNAUTHENTICATED"),
            403, List.of("FORBIDDEN", "FOUR_EYES_REQUIRED"),
            404, List.of("NOT_FOUND"),
            409,
                    List.of(
                            "IDEMPOTENCY_CONFLICT",
                            "IDEMPOTENCY_IN_PROGRESS",
                            "ALREADY_EXISTS",
                            "REQUEST_DECIDED",
                            "REQUEST_EXPIRED"),
            503, List.of("OVERLOADED"),
            422,
                    List.of(
                            "PROGRAM_CLOSED",
                            "WRONG_PROGRAM_KIND",
                            "CURRENCY_MISMATCH",
                            "BUDGET_EXCEEDED",
                            "BUDGET_COMMITTED",
                            "BENEFICIARY_CAP_EXCEEDED",
                            "VOUCHER_VALUE_CAP_EXCEEDED",
                            "INELIGIBLE_SECTOR",
                            "VOUCHER_EXPIRED",
                            "VOUCHER_REVOKED",
                            "VOUCHER_EXHAUSTED",
                            "WRONG_VOUCHER_KIND",
                            "DUPLICATE_INVOICE",
                            "DUPLICATE_CONTRACT",
                            "DUPLICATE_GRANT",
                            "PROVIDER_NOT_ACCREDITED",
                            "RELATED_PARTY",
                            "MODEL_NOT_REGISTERED",
                            "GRANT_TERMINATED",
                            "MONTH_NOT_COVERED",
                            "DUPLICATE_CLAIM",
                            "CLAIM_IN_FUTURE",
                            "RECIPIENT_CAP_EXCEEDED",
                            "ALREADY_SETTLED",
                            "SUBSIDY_ROUNDS_TO_ZERO"));

    final MutableClock clock = new MutableClock(START);
    private final AtomicInteger sequence = new AtomicInteger();
    private ConfigurableApplicationContext context;
    private JdbcTemplate jdbc;
    /** Security is on (SPEC §9): every request authenticates as the national user unless it says otherwise. */
    static final String NATIONAL_BASIC =
            "Basic " + Base64.getEncoder().encodeToString("national:demo".getBytes(StandardCharsets.UTF_8));

    private HttpClient http;
    private String base;

    /** Prepares this class's database and returns the Spring properties that point the application at it. */
    abstract Map<String, Object> openDatabase();

    /** Removes this class's database, after the application has stopped. */
    void closeDatabase() {}

    /** SQL that reads a bytes column as UTF-8 text, as an auditor would. */
    abstract String utf8(String column);

    // ================================================================ lifecycle

    @BeforeAll
    void startLedger() {
        Map<String, Object> properties = new LinkedHashMap<>(openDatabase());
        properties.put("server.port", "0");
        properties.put("server.address", "127.0.0.1");
        properties.put("ledger.expiry.enabled", "false");
        properties.put("ledger.kafka.enabled", "false");
        properties.put("spring.main.banner-mode", "off");
        String[] arguments = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        context = new SpringApplicationBuilder(LedgerApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .run(arguments);
        jdbc = context.getBean(JdbcTemplate.class);
        base = "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    void stopLedger() {
        try {
            if (context != null) {
                context.close();
            }
        } finally {
            closeDatabase();
        }
    }

    @BeforeEach
    void resetClock() {
        clock.set(START);
    }

    // ================================================================ 1. every endpoint, exact figures

    @Test
    void computeVoucherLifecycleThroughEveryProgramAndVoucherEndpoint() {
        String programId = uid("hz-compute");
        Reply launched = expect(
                201,
                post(
                        "/programs",
                        voucherProgramJson(
                                programId,
                                "COMPUTE_VOUCHER",
                                "CN-ZJ",
                                "Hangzhou",
                                "0.30",
                                "8000000.00",
                                "8000000.00",
                                365)));
        assertThat(launched.header("Location")).isEqualTo(API + "/programs/" + programId);
        JsonNode program = launched.json();
        assertThat(program.get("programId").asText()).isEqualTo(programId);
        assertThat(program.get("kind").asText()).isEqualTo("COMPUTE_VOUCHER");
        assertThat(program.get("province").asText()).isEqualTo("CN-ZJ");
        assertThat(program.get("city").asText()).isEqualTo("Hangzhou");
        assertThat(program.get("currency").asText()).isEqualTo("CNY");
        assertThat(program.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(program.at("/rules/coverageRatio").asText()).isEqualTo("0.30");
        assertMoney(program.at("/rules/maxVoucherValue"), "8000000.00");
        assertFigures(program, "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", null);
        assertThat(expect(200, getLocation(launched)).json()).isEqualTo(program);

        assertFigures(
                expect(
                                200,
                                post(
                                        "/programs/" + programId + "/appropriations",
                                        appropriationJson("250000000.00", "HZ-2026-compute-pool")))
                        .json(),
                "250000000.00",
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "250000000.00",
                "0.0000");

        String providerUscc = uscc();
        String providerId = uid("aliyun");
        Reply accredited =
                expect(201, post("/providers", accreditJson(providerId, "COMPUTE", providerUscc, "grp-cloud")));
        assertThat(accredited.header("Location")).isEqualTo(API + "/providers/" + providerId);
        assertThat(accredited.json().get("providerId").asText()).isEqualTo(providerId);
        assertThat(accredited.json().get("kind").asText()).isEqualTo("COMPUTE");
        assertThat(accredited.json().get("country").asText()).isEqualTo("CN");
        assertThat(accredited.json().get("accredited").asBoolean()).isTrue();

        String voucherId = uid("v-hz");
        String firm = uscc();
        Reply issued = expect(
                201,
                post(
                        "/programs/" + programId + "/vouchers",
                        issueJson(voucherId, firm, "software", null, "1000000.00")));
        assertThat(issued.header("Location")).isEqualTo(API + "/vouchers/" + voucherId);
        JsonNode voucher = issued.json();
        assertThat(voucher.get("voucherId").asText()).isEqualTo(voucherId);
        assertThat(voucher.get("programId").asText()).isEqualTo(programId);
        assertThat(voucher.get("status").asText()).isEqualTo("ACTIVE");
        assertMoney(voucher.get("faceValue"), "1000000.00");
        assertMoney(voucher.get("redeemed"), "0.00");
        assertMoney(voucher.get("remaining"), "1000000.00");
        assertThat(voucher.get("expiresAt").asText()).isEqualTo("2027-08-14T02:00:00Z");
        assertThat(voucher.get("redemptions")).isEmpty();
        assertThat(expect(200, getLocation(issued)).json()).isEqualTo(voucher);
        assertFigures(
                expect(200, get("/programs/" + programId)).json(),
                "250000000.00",
                "1000000.00",
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "249000000.00",
                "0.0000");

        // 333.35 × 0.30 = 100.005 → 100.01 (half-up, once)
        String redemptionId = uid("r");
        Reply redeemed = expect(
                201,
                post(
                        "/vouchers/" + voucherId + "/compute-redemptions",
                        computeRedemptionJson(redemptionId, "contract-1", "inv-1", providerId, "333.35")));
        assertThat(redeemed.header("Location"))
                .isEqualTo(API + "/vouchers/" + voucherId + "/redemptions/" + redemptionId);
        voucher = redeemed.json();
        assertMoney(voucher.get("redeemed"), "100.01");
        assertMoney(voucher.get("remaining"), "999899.99");
        assertThat(voucher.get("redemptions")).hasSize(1);
        JsonNode redemption = voucher.get("redemptions").get(0);
        assertThat(redemption.get("redemptionId").asText()).isEqualTo(redemptionId);
        assertThat(redemption.get("providerId").asText()).isEqualTo(providerId);
        assertMoney(redemption.get("subsidy"), "100.01");
        assertThat(redemption.get("status").asText()).isEqualTo("PAYABLE");
        assertFigures(
                expect(200, get("/programs/" + programId)).json(),
                "250000000.00",
                "999899.99",
                "100.01",
                "0.00",
                "100.01",
                "0.00",
                "249000000.00",
                "0.0000");

        voucher = expect(
                        200,
                        post(
                                "/vouchers/" + voucherId + "/redemptions/" + redemptionId + "/settlement",
                                "{\"paymentRef\": \"PAY-2026-0001\"}"))
                .json();
        assertThat(voucher.at("/redemptions/0/status").asText()).isEqualTo("PAID");
        assertFigures(
                expect(200, get("/programs/" + programId)).json(),
                "250000000.00",
                "999899.99",
                "100.01",
                "100.01",
                "0.00",
                "0.00",
                "249000000.00",
                "0.0000");

        assertFigures(
                expect(
                                200,
                                post(
                                        "/programs/" + programId + "/rescissions",
                                        "{\"amount\": " + money("1000000.00")
                                                + ", \"reason\": \"mid-year budget cut\"}"))
                        .json(),
                "249000000.00",
                "999899.99",
                "100.01",
                "100.01",
                "0.00",
                "0.00",
                "248000000.00",
                "0.0000");

        voucher = expect(
                        200,
                        post(
                                "/vouchers/" + voucherId + "/revocation",
                                "{\"reason\": \"beneficiary left the province\"}"))
                .json();
        assertThat(voucher.get("status").asText()).isEqualTo("REVOKED");
        assertMoney(voucher.get("remaining"), "0.00");
        assertMoney(voucher.get("released"), "999899.99");
        assertMoney(voucher.get("redeemed"), "100.01");
        assertThat(expect(200, get("/vouchers/" + voucherId)).json()).isEqualTo(voucher);

        JsonNode closed = expect(200, post("/programs/" + programId + "/closure", "{\"reason\": \"measure ended\"}"))
                .json();
        assertThat(closed.get("status").asText()).isEqualTo("CLOSED");
        assertFigures(
                closed, "249000000.00", "0.00", "100.01", "100.01", "0.00", "999899.99", "248999899.99", "0.0000");
        assertThat(closed.at("/vouchers/REVOKED").asLong()).isEqualTo(1);
        assertThat(expect(200, get("/programs/" + programId)).json()).isEqualTo(closed);

        JsonNode withdrawn = expect(
                        200, post("/providers/" + providerId + "/withdrawal", "{\"reason\": \"accreditation lapsed\"}"))
                .json();
        assertThat(withdrawn.get("providerId").asText()).isEqualTo(providerId);
        assertThat(withdrawn.get("accredited").asBoolean()).isFalse();
    }

    @Test
    void modelVoucherLifecycleWithTheModelRegistry() {
        String vendorId = accredit("MODEL_VENDOR", uscc(), null);
        String filingNo = uid("Beijing-WangXin-20240001");
        Reply registered = expect(
                201,
                post(
                        "/models",
                        "{\"filingNo\": \"" + filingNo + "\", \"name\": \"Zhipu GLM\", \"vendorId\": \"" + vendorId
                                + "\"}"));
        assertThat(registered.header("Location")).isEqualTo(API + "/models/" + filingNo);
        assertThat(registered.json().get("filingNo").asText()).isEqualTo(filingNo);
        assertThat(registered.json().get("vendorId").asText()).isEqualTo(vendorId);
        assertThat(registered.json().get("registered").asBoolean()).isTrue();

        String programId = launchModel("3000.00");
        String voucherId = issue(programId, uscc(), "finance", "500.00");
        // 1000.00 × 0.20 = 200.00
        String redemptionId = uid("r-model");
        Reply redeemed = expect(
                201,
                post(
                        "/vouchers/" + voucherId + "/model-redemptions",
                        modelRedemptionJson(redemptionId, "m-contract-1", "m-inv-1", vendorId, filingNo, "1000.00")));
        assertThat(redeemed.header("Location"))
                .isEqualTo(API + "/vouchers/" + voucherId + "/redemptions/" + redemptionId);
        assertMoney(redeemed.json().get("redeemed"), "200.00");
        assertMoney(redeemed.json().get("remaining"), "300.00");
        assertThat(redeemed.json().get("status").asText()).isEqualTo("ACTIVE");
        // executionRate = 200.00 / 3000.00 = 0.06666… → 0.0667
        assertFigures(
                expect(200, get("/programs/" + programId)).json(),
                "3000.00",
                "300.00",
                "200.00",
                "0.00",
                "200.00",
                "0.00",
                "2500.00",
                "0.0667");

        JsonNode deregistered = expect(
                        200, post("/models/" + filingNo + "/deregistration", "{\"reason\": \"filing withdrawn\"}"))
                .json();
        assertThat(deregistered.get("filingNo").asText()).isEqualTo(filingNo);
        assertThat(deregistered.get("registered").asBoolean()).isFalse();
    }

    @Test
    void housingGrantLifecycleWithClaimsInTheirMonthsAndATermination() {
        String programId = uid("gd-zhuhai-housing");
        JsonNode program = expect(201, post("/programs", housingProgramJson(programId, "5000.00", "120000.00", 36)))
                .json();
        assertThat(program.get("kind").asText()).isEqualTo("HOUSING_SUBSIDY");
        assertFigures(program, "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", null);
        appropriate(programId, "10000000.00");

        String grantId = uid("g");
        Reply granted = expect(
                201,
                post(
                        "/programs/" + programId + "/housing-grants",
                        grantJson(grantId, "talent-" + grantId, "2026-08", "4000.00")));
        assertThat(granted.header("Location")).isEqualTo(API + "/housing-grants/" + grantId);
        JsonNode grant = granted.json();
        assertThat(grant.get("grantId").asText()).isEqualTo(grantId);
        assertThat(grant.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(grant.get("startMonth").asText()).isEqualTo("2026-08");
        // 12 × 4000.00 + 12 × 2800.00 + 12 × 2000.00 = 105600.00 ≤ 120000.00
        JsonNode schedule = grant.get("schedule");
        assertThat(schedule).hasSize(36);
        assertMonth(schedule.get(0), "2026-08", 1, "1.0", "4000.00", "0.00", "0.00", "COMMITTED");
        assertMonth(schedule.get(12), "2027-08", 2, "0.7", "2800.00", "0.00", "0.00", "COMMITTED");
        assertMonth(schedule.get(35), "2029-07", 3, "0.5", "2000.00", "0.00", "0.00", "COMMITTED");
        assertThat(expect(200, getLocation(granted)).json()).isEqualTo(grant);
        assertFigures(
                expect(200, get("/programs/" + programId)).json(),
                "10000000.00",
                "105600.00",
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "9894400.00",
                "0.0000");

        // The current month may be claimed: min(2500.00, 4000.00, 5000.00) × 1.0; the 1500.00 shortfall is released.
        grant = expect(200, post("/housing-grants/" + grantId + "/claims", claimJson("2026-08", "2500.00")))
                .json();
        assertMonth(grant.get("schedule").get(0), "2026-08", 1, "1.0", "4000.00", "2500.00", "1500.00", "PAID");
        // executionRate 2500.00 / 10000000.00 = 0.00025 → 0.0003 (half-up, where half-even would give 0.0002)
        assertFigures(
                expect(200, get("/programs/" + programId)).json(),
                "10000000.00",
                "101600.00",
                "2500.00",
                "2500.00",
                "0.00",
                "1500.00",
                "9895900.00",
                "0.0003");

        clock.set(Instant.parse("2026-09-10T02:00:00Z"));
        grant = expect(200, post("/housing-grants/" + grantId + "/claims", claimJson("2026-09", "4200.00")))
                .json();
        assertMonth(grant.get("schedule").get(1), "2026-09", 1, "1.0", "4000.00", "4000.00", "0.00", "PAID");
        // 6500.00 / 10000000.00 = 0.00065 → 0.0007
        assertFigures(
                expect(200, get("/programs/" + programId)).json(),
                "10000000.00",
                "97600.00",
                "6500.00",
                "6500.00",
                "0.00",
                "1500.00",
                "9895900.00",
                "0.0007");

        grant = expect(
                        200,
                        post(
                                "/housing-grants/" + grantId + "/termination",
                                "{\"reason\": \"left Zhuhai\", \"effectiveMonth\": \"2026-10\"}"))
                .json();
        assertThat(grant.get("status").asText()).isEqualTo("TERMINATED");
        assertThat(grant.get("effectiveMonth").asText()).isEqualTo("2026-10");
        assertMonth(grant.get("schedule").get(2), "2026-10", 1, "1.0", "4000.00", "0.00", "4000.00", "RELEASED");
        assertMonth(grant.get("schedule").get(35), "2029-07", 3, "0.5", "2000.00", "0.00", "2000.00", "RELEASED");
        assertThat(expect(200, get("/housing-grants/" + grantId)).json()).isEqualTo(grant);
        // released = 1500.00 + (105600.00 − 8000.00); disbursed = 2500.00 + 4000.00
        assertFigures(
                expect(200, get("/programs/" + programId)).json(),
                "10000000.00",
                "0.00",
                "6500.00",
                "6500.00",
                "0.00",
                "99100.00",
                "9993500.00",
                "0.0007");
        // clawbackDue = 6500.00 − 6500.00 × 2 / 36 = 6138.888… → 6138.89 (SPEC §11)
        JsonNode terminated = lastEventOf("HousingGrantTerminated");
        assertThat(terminated.get("grantId").asText()).isEqualTo(grantId);
        assertMoney(terminated.get("clawbackDue"), "6138.89");
    }

    // ================================================================ 1b. the history of a voucher and of a grant

    /**
     * A voucher's whole history a page at a time ({@code GET /vouchers/{id}/history?after=&limit=}): pages in global
     * order, {@code next} to continue from and null on the last page, the same entries as the view; bad paging is
     * VALIDATION_FAILED before an unknown voucher is NOT_FOUND. A redemption's answer is the state the command left.
     */
    @Test
    void historyIsPagedInGlobalOrder() {
        String programId = launchCompute("0.30", "1000000.00", "1000000.00", 365, "5000000.00");
        String providerId = accredit("COMPUTE", uscc(), null);
        String voucherId = issue(programId, uscc(), "software", "1000.00");
        JsonNode last = null;
        for (int i = 0; i < 4; i++) {
            last = expect(
                            201,
                            post(
                                    "/vouchers/" + voucherId + "/compute-redemptions",
                                    "{\"contractRef\": \"C-"
                                            + voucherId + "\", \"invoiceRef\": \"IP" + i + "-" + voucherId
                                            + "\", \"providerId\": \""
                                            + providerId
                                            + "\", \"invoiceAmount\": {\"amount\": \"100.00\", \"currency\": \"CNY\"}}"))
                    .json();
        }
        assertMoney(last.get("redeemed"), "120.00");
        assertThat(last.get("redemptions")).hasSize(4);
        assertThat(last.get("history"))
                .as("the answer lists what the command appended")
                .hasSize(5);
        JsonNode view = expect(200, get("/vouchers/" + voucherId)).json();
        assertThat(view).isEqualTo(last);

        List<JsonNode> paged = new ArrayList<>();
        JsonNode page =
                expect(200, get("/vouchers/" + voucherId + "/history?limit=2")).json();
        int pages = 1;
        page.get("items").forEach(paged::add);
        while (!page.get("next").isNull()) {
            assertThat(page.get("items")).hasSize(2);
            page = expect(
                            200,
                            get("/vouchers/" + voucherId + "/history?limit=2&after="
                                    + page.get("next").asLong()))
                    .json();
            page.get("items").forEach(paged::add);
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(paged).containsExactlyElementsOf(view.get("history"));
        JsonNode all = expect(200, get("/vouchers/" + voucherId + "/history")).json();
        assertThat(all.get("items")).hasSize(5);
        assertThat(all.get("next").isNull()).isTrue();
        assertThat(expect(
                                200,
                                get("/vouchers/" + voucherId + "/history?after="
                                        + view.get("history")
                                                .get(4)
                                                .get("globalIndex")
                                                .asLong()))
                        .json()
                        .get("items"))
                .isEmpty();

        for (String bad : List.of("limit=0", "limit=501", "limit=x", "after=-1", "after=1.5")) {
            assertProblem(get("/vouchers/" + voucherId + "/history?" + bad), RejectionCode.VALIDATION_FAILED);
            // 400 before 404
            assertProblem(get("/vouchers/no-such-" + voucherId + "/history?" + bad), RejectionCode.VALIDATION_FAILED);
        }
        assertProblem(get("/vouchers/no-such-" + voucherId + "/history"), RejectionCode.NOT_FOUND);
        assertProblem(get("/housing-grants/no-such-" + voucherId + "/history"), RejectionCode.NOT_FOUND);
    }

    /**
     * A voucher's and a grant's view list every event of it, in the order of the log, with its event time, global
     * index, sequence in the program's stream, principal and data; the answer to a command already lists the event it
     * appended, and another voucher's or grant's events of the same program never appear.
     */
    @Test
    void voucherAndGrantViewsCarryTheirHistoryInLogOrder() {
        String programId = launchCompute("0.30", "1000000.00", "1000000.00", 365, "5000000.00");
        String providerId = accredit("COMPUTE", uscc(), null);
        String voucherId = issue(programId, uscc(), "software", "1000.00");
        String neighbour = issue(programId, uscc(), "software", "500.00");
        clock.set(START.plus(Duration.ofDays(2)));
        String r1 = redeem(voucherId, "C-" + voucherId, "I1-" + voucherId, providerId, "1000.00");
        redeem(neighbour, "C-" + neighbour, "I1-" + neighbour, providerId, "100.00");
        clock.set(START.plus(Duration.ofDays(3)));
        JsonNode settled = expect(
                        200,
                        post(
                                "/vouchers/" + voucherId + "/redemptions/" + r1 + "/settlement",
                                "{\"paymentRef\": \"PAY-" + voucherId + "\"}"))
                .json();
        assertThat(settled.get("history"))
                .as("the answer lists the settlement it appended")
                .hasSize(3);
        clock.set(START.plus(Duration.ofDays(4)));
        JsonNode voucher = expect(
                        200,
                        post("/vouchers/" + voucherId + "/revocation", "{\"reason\": \"moved out of the province\"}"))
                .json();
        JsonNode history = voucher.get("history");
        assertThat(history).hasSize(4);
        assertThat(history.findValuesAsText("type"))
                .containsExactly("VoucherIssued", "ComputeRedeemed", "RedemptionSettled", "VoucherRevoked");
        assertThat(history.findValuesAsText("eventTime"))
                .containsExactly(
                        START.toString(),
                        START.plus(Duration.ofDays(2)).toString(),
                        START.plus(Duration.ofDays(3)).toString(),
                        START.plus(Duration.ofDays(4)).toString());
        List<Map<String, Object>> stored = jdbc.queryForList(
                "SELECT global_index, sequence_number FROM"
                        + " domain_event_entry WHERE aggregate_identifier = ? AND " + utf8("payload") + " LIKE ?"
                        + " ORDER BY global_index",
                programId,
                "%\"voucherId\":\"" + voucherId + "\"%");
        assertThat(stored).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(history.get(i).get("globalIndex").asLong())
                    .isEqualTo(((Number) stored.get(i).get("global_index")).longValue());
            assertThat(history.get(i).get("sequence").asLong())
                    .isEqualTo(((Number) stored.get(i).get("sequence_number")).longValue());
            assertThat(history.get(i).get("principal").asText()).isEqualTo("national");
        }
        assertMoney(history.get(0).at("/data/faceValue"), "1000.00");
        assertThat(history.get(1).at("/data/invoiceRef").asText()).isEqualTo("I1-" + voucherId);
        assertMoney(history.get(1).at("/data/subsidy"), "300.00");
        assertThat(history.get(2).at("/data/paymentRef").asText()).isEqualTo("PAY-" + voucherId);
        assertThat(history.get(3).at("/data/reason").asText()).isEqualTo("moved out of the province");
        assertMoney(history.get(3).at("/data/released"), "700.00");
        assertThat(history.get(3).get("data").has("programId"))
                .as("shown once, by the view")
                .isFalse();
        assertThat(expect(200, get("/vouchers/" + neighbour))
                        .json()
                        .get("history")
                        .findValuesAsText("type"))
                .containsExactly("VoucherIssued", "ComputeRedeemed");

        // A grant: granted, months paid, one lapsed (after its claim window), then terminated.
        clock.set(START);
        String housing = uid("gd-zhuhai-housing");
        expect(201, post("/programs", housingProgramJson(housing, "5000.00", "120000.00", null)));
        appropriate(housing, "1000000.00");
        String grantId = grant(housing, "talent-" + housing, "2026-08", "4000.00");
        grant(housing, "talent-other-" + housing, "2026-08", "3000.00");
        expect(200, post("/housing-grants/" + grantId + "/claims", claimJson("2026-08", "4000.00")));
        clock.set(Instant.parse("2027-01-02T02:00:00Z"));
        for (String month : List.of("2026-10", "2026-11", "2026-12")) {
            expect(200, post("/housing-grants/" + grantId + "/claims", claimJson(month, "4000.00")));
        }
        // the lapse the sweep would send, for this grant alone (a sweep would reach other tests' grants too)
        context.getBean(LedgerCommands.class)
                .send(
                        new HousingCommands.LapseHousingMonths(ProgramId.of(housing), GrantId.of(grantId)),
                        new RequestContext("system", null, null, uid("lapse")));
        JsonNode grant = expect(
                        200,
                        post(
                                "/housing-grants/" + grantId + "/termination",
                                "{\"reason\": \"left Zhuhai\", \"effectiveMonth\": \"2027-02\"}"))
                .json();
        assertThat(grant.get("schedule")).hasSize(36);
        assertThat(grant.get("history").findValuesAsText("type"))
                .containsExactly(
                        "HousingSubsidyGranted",
                        "HousingSubsidyPaid",
                        "HousingSubsidyPaid",
                        "HousingSubsidyPaid",
                        "HousingSubsidyPaid",
                        "HousingMonthsLapsed",
                        "HousingGrantTerminated");
        JsonNode lapsed = grant.get("history").get(5);
        assertThat(lapsed.get("principal").asText()).isEqualTo("system");
        assertThat(lapsed.at("/data/months/0/month").asText()).isEqualTo("2026-09");
        assertThat(grant.get("history").get(0).get("data").has("schedule"))
                .as("the schedule is shown once")
                .isFalse();
        assertThat(grant.get("history").get(6).at("/data/effectiveMonth").asText())
                .isEqualTo("2027-02");
        assertThat(expect(200, get("/housing-grants/" + grantId)).json()).isEqualTo(grant);

        // A ledger recorded before the history table existed gets it filled once, at start-up.
        jdbc.update("DELETE FROM entity_event");
        assertThat(expect(200, get("/vouchers/" + voucherId)).json().get("history"))
                .isEmpty();
        context.getBean(HistoryBackfill.class).backfill();
        assertThat(expect(200, get("/vouchers/" + voucherId)).json()).isEqualTo(voucher);
        assertThat(expect(200, get("/housing-grants/" + grantId)).json()).isEqualTo(grant);
    }

    // ================================================================ 2. every rejection code over HTTP

    Stream<RejectionCode> codesReachableOverHttp() {
        return Arrays.stream(RejectionCode.values()).filter(code -> !ARRIVE_LATER.contains(code));
    }

    @Test
    void theCodesTestedAreSpecsCodesExceptThoseOfLaterFeatures() {
        Set<String> spec = SPEC_CODES.values().stream().flatMap(List::stream).collect(Collectors.toSet());
        assertThat(Arrays.stream(RejectionCode.values()).map(Enum::name))
                .as("RejectionCode holds exactly the codes of SPEC §3")
                .containsExactlyInAnyOrderElementsOf(spec);
        Set<RejectionCode> tested = codesReachableOverHttp().collect(Collectors.toCollection(HashSet::new));
        assertThat(tested).hasSize(spec.size() - ARRIVE_LATER.size());
        assertThat(scenarios().keySet()).as("an HTTP scenario for each code").isEqualTo(tested);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codesReachableOverHttp")
    void everyRejectionCodeIsAnsweredOverHttpAsAProblemAndAppendsNothing(RejectionCode code) {
        Supplier<Call> scenario = scenarios().get(code);
        assertThat(scenario).as("an HTTP scenario for %s", code).isNotNull();
        assertRejected(scenario.get(), code);
    }

    /** For each code, a request (after its setup, made over HTTP) that the ledger must refuse with that code. */
    private Map<RejectionCode, Supplier<Call>> scenarios() {
        Map<RejectionCode, Supplier<Call>> s = new EnumMap<>(RejectionCode.class);
        s.put(RejectionCode.VALIDATION_FAILED, () -> {
            String programId = launchCompute();
            return postCall(
                    "/programs/" + programId + "/appropriations",
                    "{\"amount\": " + money("1000.001") + ", \"reference\": \"three decimals\"}");
        });
        s.put(
                RejectionCode.NOT_FOUND,
                () -> postCall("/vouchers/" + uid("no-such-voucher") + "/revocation", "{\"reason\": \"fraud\"}"));
        s.put(RejectionCode.ALREADY_EXISTS, () -> {
            String programId = launchCompute();
            return postCall(
                    "/programs",
                    voucherProgramJson(
                            programId,
                            "COMPUTE_VOUCHER",
                            "CN-ZJ",
                            "Hangzhou",
                            "0.30",
                            "8000000.00",
                            "8000000.00",
                            365));
        });
        s.put(RejectionCode.IDEMPOTENCY_CONFLICT, () -> {
            String programId = launchCompute();
            String key = uid("key");
            expect(
                    200,
                    post(
                            "/programs/" + programId + "/appropriations",
                            appropriationJson("1000.00", "first"),
                            "Idempotency-Key",
                            key));
            return postCall(
                    "/programs/" + programId + "/appropriations",
                    appropriationJson("2000.00", "first"),
                    "Idempotency-Key",
                    key);
        });
        s.put(RejectionCode.IDEMPOTENCY_IN_PROGRESS, () -> {
            String programId = launchCompute();
            String key = uid("key");
            String path = API + "/programs/" + programId + "/appropriations";
            String body = appropriationJson("1000.00", "still running");
            jdbc.update(
                    "INSERT INTO idempotency_record (principal, http_method, path, idempotency_key, body_sha256,"
                            + " state, created_at) VALUES (?, ?, ?, ?, ?, 'IN_PROGRESS', ?)",
                    "national",
                    "POST",
                    path,
                    key,
                    canonicalSha256(body),
                    clock.instant().atOffset(ZoneOffset.UTC));
            return postCall("/programs/" + programId + "/appropriations", body, "Idempotency-Key", key);
        });
        s.put(RejectionCode.PROGRAM_CLOSED, () -> {
            String programId = launchCompute();
            expect(200, post("/programs/" + programId + "/closure", "{\"reason\": \"measure ended\"}"));
            return postCall("/programs/" + programId + "/appropriations", appropriationJson("1.00", "top-up"));
        });
        s.put(RejectionCode.WRONG_PROGRAM_KIND, () -> {
            String programId = launchHousing("10000000.00");
            return postCall(
                    "/programs/" + programId + "/vouchers", issueJson(uid("v"), uscc(), "software", null, "1000.00"));
        });
        s.put(RejectionCode.CURRENCY_MISMATCH, () -> {
            String programId = launchCompute();
            return postCall(
                    "/programs/" + programId + "/appropriations",
                    "{\"amount\": " + money("1.00", "USD") + ", \"reference\": \"wrong currency\"}");
        });
        s.put(RejectionCode.BUDGET_EXCEEDED, () -> {
            String programId = launchCompute("0.30", "8000000.00", "8000000.00", 365, "999.99");
            return postCall(
                    "/programs/" + programId + "/vouchers", issueJson(uid("v"), uscc(), "software", null, "1000.00"));
        });
        s.put(RejectionCode.BUDGET_COMMITTED, () -> {
            String programId = launchCompute("0.30", "8000000.00", "8000000.00", 365, "1500.00");
            issue(programId, uscc(), "software", "1000.00");
            return postCall(
                    "/programs/" + programId + "/rescissions",
                    "{\"amount\": " + money("500.01") + ", \"reason\": \"cut\"}");
        });
        s.put(RejectionCode.BENEFICIARY_CAP_EXCEEDED, () -> {
            String programId = launchCompute("0.30", "2000.00", "2000.00", 365, "250000000.00");
            String firm = uscc();
            issue(programId, firm, "software", "2000.00");
            return postCall(
                    "/programs/" + programId + "/vouchers", issueJson(uid("v"), firm, "software", null, "0.01"));
        });
        s.put(RejectionCode.VOUCHER_VALUE_CAP_EXCEEDED, () -> {
            String programId = launchCompute();
            return postCall(
                    "/programs/" + programId + "/vouchers",
                    issueJson(uid("v"), uscc(), "software", null, "8000000.01"));
        });
        s.put(RejectionCode.INELIGIBLE_SECTOR, () -> {
            String programId = launchCompute();
            return postCall(
                    "/programs/" + programId + "/vouchers", issueJson(uid("v"), uscc(), "gaming", null, "1000.00"));
        });
        s.put(RejectionCode.VOUCHER_EXPIRED, () -> {
            String programId = launchCompute();
            String provider = accredit("COMPUTE", uscc(), null);
            String voucherId = issue(programId, uscc(), "software", "1000.00");
            clock.advance(Duration.ofDays(365)); // exactly expiresAt: "at or after" is expired (SPEC §11)
            return postCall(
                    "/vouchers/" + voucherId + "/compute-redemptions",
                    computeRedemptionJson(null, "c-1", uid("inv"), provider, "100.00"));
        });
        s.put(RejectionCode.VOUCHER_REVOKED, () -> {
            String programId = launchCompute();
            String provider = accredit("COMPUTE", uscc(), null);
            String voucherId = issue(programId, uscc(), "software", "1000.00");
            expect(200, post("/vouchers/" + voucherId + "/revocation", "{\"reason\": \"fraud\"}"));
            return postCall(
                    "/vouchers/" + voucherId + "/compute-redemptions",
                    computeRedemptionJson(null, "c-1", uid("inv"), provider, "100.00"));
        });
        s.put(RejectionCode.VOUCHER_EXHAUSTED, () -> {
            String programId = launchCompute();
            String provider = accredit("COMPUTE", uscc(), null);
            String voucherId = issue(programId, uscc(), "software", "1000.00");
            redeem(voucherId, "c-1", uid("inv"), provider, "5000.00"); // 1500.00 covered, 1000.00 paid
            return postCall(
                    "/vouchers/" + voucherId + "/compute-redemptions",
                    computeRedemptionJson(null, "c-1", uid("inv"), provider, "100.00"));
        });
        s.put(RejectionCode.SUBSIDY_ROUNDS_TO_ZERO, () -> {
            String programId = launchCompute();
            String provider = accredit("COMPUTE", uscc(), null);
            String voucherId = issue(programId, uscc(), "software", "1000.00");
            // 0.01 × 0.30 = 0.003 → 0.00
            return postCall(
                    "/vouchers/" + voucherId + "/compute-redemptions",
                    computeRedemptionJson(null, "c-1", uid("inv"), provider, "0.01"));
        });
        s.put(RejectionCode.WRONG_VOUCHER_KIND, () -> {
            String programId = launchCompute();
            String vendor = accredit("MODEL_VENDOR", uscc(), null);
            String filingNo = registerModel(vendor);
            String voucherId = issue(programId, uscc(), "software", "1000.00");
            return postCall(
                    "/vouchers/" + voucherId + "/model-redemptions",
                    modelRedemptionJson(null, "c-1", uid("inv"), vendor, filingNo, "100.00"));
        });
        s.put(RejectionCode.DUPLICATE_INVOICE, () -> {
            String programId = launchCompute();
            String provider = accredit("COMPUTE", uscc(), null);
            String first = issue(programId, uscc(), "software", "1000.00");
            String second = issue(programId, uscc(), "healthcare", "1000.00");
            String invoice = uid("inv");
            redeem(first, "c-1", invoice, provider, "100.00");
            return postCall(
                    "/vouchers/" + second + "/compute-redemptions",
                    computeRedemptionJson(null, "c-2", invoice, provider, "100.00"));
        });
        s.put(RejectionCode.DUPLICATE_CONTRACT, () -> {
            String programId = launchCompute();
            String provider = accredit("COMPUTE", uscc(), null);
            String first = issue(programId, uscc(), "software", "1000.00");
            String second = issue(programId, uscc(), "healthcare", "1000.00");
            redeem(first, "c-1", uid("inv"), provider, "100.00");
            return postCall(
                    "/vouchers/" + second + "/compute-redemptions",
                    computeRedemptionJson(null, "c-1", uid("inv"), provider, "100.00"));
        });
        s.put(RejectionCode.PROVIDER_NOT_ACCREDITED, () -> {
            String programId = launchCompute();
            String provider = accredit("COMPUTE", uscc(), null);
            expect(200, post("/providers/" + provider + "/withdrawal", "{\"reason\": \"audit failed\"}"));
            String voucherId = issue(programId, uscc(), "software", "1000.00");
            return postCall(
                    "/vouchers/" + voucherId + "/compute-redemptions",
                    computeRedemptionJson(null, "c-1", uid("inv"), provider, "100.00"));
        });
        s.put(RejectionCode.RELATED_PARTY, () -> {
            String programId = launchCompute();
            String firm = uscc();
            String provider = accredit("COMPUTE", firm, null); // the beneficiary itself
            String voucherId = issue(programId, firm, "software", "1000.00");
            return postCall(
                    "/vouchers/" + voucherId + "/compute-redemptions",
                    computeRedemptionJson(null, "c-1", uid("inv"), provider, "100.00"));
        });
        s.put(RejectionCode.MODEL_NOT_REGISTERED, () -> {
            String vendor = accredit("MODEL_VENDOR", uscc(), null);
            String filingNo = registerModel(vendor);
            expect(200, post("/models/" + filingNo + "/deregistration", "{\"reason\": \"filing withdrawn\"}"));
            String programId = launchModel("1000000.00");
            String voucherId = issue(programId, uscc(), "finance", "1000.00");
            return postCall(
                    "/vouchers/" + voucherId + "/model-redemptions",
                    modelRedemptionJson(null, "c-1", uid("inv"), vendor, filingNo, "100.00"));
        });
        s.put(RejectionCode.GRANT_TERMINATED, () -> {
            String grantId = grant(launchHousing("10000000.00"), uid("talent"), "2026-08", "4000.00");
            expect(
                    200,
                    post(
                            "/housing-grants/" + grantId + "/termination",
                            "{\"reason\": \"left\", \"effectiveMonth\": \"2026-08\"}"));
            return postCall("/housing-grants/" + grantId + "/claims", claimJson("2026-08", "4000.00"));
        });
        s.put(RejectionCode.MONTH_NOT_COVERED, () -> {
            String grantId = grant(launchHousing("10000000.00"), uid("talent"), "2026-08", "4000.00");
            return postCall("/housing-grants/" + grantId + "/claims", claimJson("2026-07", "4000.00"));
        });
        s.put(RejectionCode.DUPLICATE_CLAIM, () -> {
            String grantId = grant(launchHousing("10000000.00"), uid("talent"), "2026-08", "4000.00");
            expect(200, post("/housing-grants/" + grantId + "/claims", claimJson("2026-08", "4000.00")));
            return postCall("/housing-grants/" + grantId + "/claims", claimJson("2026-08", "4000.00"));
        });
        s.put(RejectionCode.CLAIM_IN_FUTURE, () -> {
            String grantId = grant(launchHousing("10000000.00"), uid("talent"), "2026-08", "4000.00");
            return postCall("/housing-grants/" + grantId + "/claims", claimJson("2026-09", "4000.00"));
        });
        s.put(RejectionCode.RECIPIENT_CAP_EXCEEDED, () -> {
            String programId = launchHousing("10000000.00");
            String person = uid("talent");
            // min(20000.00, 5000.00) × (12 × 1.0 + 12 × 0.7 + …) reaches the 120000.00 cap within the third year;
            // the second grant starts after the first one's three years (an overlap would be DUPLICATE_GRANT).
            grant(programId, person, "2026-08", "20000.00");
            return postCall(
                    "/programs/" + programId + "/housing-grants", grantJson(uid("g"), person, "2029-08", "4000.00"));
        });
        s.put(RejectionCode.DUPLICATE_GRANT, () -> {
            String programId = launchHousing("10000000.00");
            String person = uid("talent");
            grant(programId, person, "2026-08", "2000.00");
            return postCall(
                    "/programs/" + programId + "/housing-grants", grantJson(uid("g"), person, "2026-08", "2000.00"));
        });
        s.put(RejectionCode.ALREADY_SETTLED, () -> {
            String programId = launchCompute();
            String provider = accredit("COMPUTE", uscc(), null);
            String voucherId = issue(programId, uscc(), "software", "1000.00");
            String redemptionId = redeem(voucherId, "c-1", uid("inv"), provider, "100.00");
            String settlement = "/vouchers/" + voucherId + "/redemptions/" + redemptionId + "/settlement";
            expect(200, post(settlement, "{\"paymentRef\": \"PAY-1\"}"));
            return postCall(settlement, "{\"paymentRef\": \"PAY-2\"}");
        });
        return s;
    }

    Stream<Named<Supplier<Call>>> malformedRequests() {
        return Stream.of(
                Named.of(
                        "malformed JSON",
                        () -> postCall("/programs", "{\"programId\": \"" + uid("p") + "\", \"name\": ")),
                Named.of(
                        "trailing content after the object",
                        () -> postCall("/programs/" + launchCompute() + "/closure", "{\"reason\": \"x\"} {}")),
                Named.of(
                        "a JSON array instead of an object",
                        () -> postCall("/programs/" + launchCompute() + "/closure", "[{\"reason\": \"x\"}]")),
                Named.of("empty body", () -> postCall("/programs/" + launchCompute() + "/closure", "")),
                Named.of(
                        "unknown field",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/appropriations",
                                "{\"amount\": " + money("1000.00") + ", \"reference\": \"r\", \"note\": \"x\"}")),
                Named.of(
                        "unknown field inside money",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/appropriations",
                                "{\"amount\": {\"amount\": \"1000.00\", \"currency\": \"CNY\", \"scale\": 2},"
                                        + " \"reference\": \"r\"}")),
                Named.of(
                        "duplicated key",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/closure",
                                "{\"reason\": \"first\", \"reason\": \"second\"}")),
                Named.of(
                        "duplicated key inside money",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/appropriations",
                                "{\"amount\": {\"amount\": \"1.00\", \"amount\": \"2.00\", \"currency\": \"CNY\"},"
                                        + " \"reference\": \"r\"}")),
                Named.of(
                        "a JSON number where the amount string is required",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/appropriations",
                                "{\"amount\": {\"amount\": 1000.00, \"currency\": \"CNY\"}, \"reference\": \"r\"}")),
                Named.of(
                        "a JSON integer where the amount string is required",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/appropriations",
                                "{\"amount\": {\"amount\": 1000, \"currency\": \"CNY\"}, \"reference\": \"r\"}")),
                Named.of(
                        "an amount with 3 decimals",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/appropriations",
                                "{\"amount\": " + money("1000.001") + ", \"reference\": \"r\"}")),
                Named.of(
                        "a zero amount",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/appropriations",
                                "{\"amount\": " + money("0.00") + ", \"reference\": \"r\"}")),
                Named.of(
                        "a negative amount",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/appropriations",
                                "{\"amount\": " + money("-5.00") + ", \"reference\": \"r\"}")),
                Named.of(
                        "an amount with a leading zero",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/appropriations",
                                "{\"amount\": " + money("01.00") + ", \"reference\": \"r\"}")),
                Named.of(
                        "an unknown currency",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/appropriations",
                                "{\"amount\": " + money("1.00", "EUR") + ", \"reference\": \"r\"}")),
                Named.of(
                        "free text longer than 200 characters",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/closure",
                                "{\"reason\": \"" + "x".repeat(201) + "\"}")),
                Named.of(
                        "free text with a control character",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/closure", "{\"reason\": \"line\\u0007bell\"}")),
                Named.of(
                        "JSON nested deeper than any request needs",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/closure",
                                "{\"reason\": " + "[".repeat(40) + "]".repeat(40) + "}")),
                Named.of("gpuHours of 1e999", () -> {
                    String provider = accredit("COMPUTE", uscc(), null);
                    String voucherId = issue(launchCompute(), uscc(), "software", "1000.00");
                    return postCall(
                            "/vouchers/" + voucherId + "/compute-redemptions",
                            computeRedemptionJson(null, "c-1", uid("inv"), provider, "100.00")
                                    .replace("\"gpuHours\": 120.5", "\"gpuHours\": 1e999"));
                }),
                Named.of(
                        "an unknown ISO province",
                        () -> postCall(
                                "/programs",
                                voucherProgramJson(
                                        uid("p"),
                                        "COMPUTE_VOUCHER",
                                        "CN-XX",
                                        "Hangzhou",
                                        "0.30",
                                        "8000000.00",
                                        "8000000.00",
                                        365))),
                Named.of(
                        "a coverage ratio above 1",
                        () -> postCall(
                                "/programs",
                                voucherProgramJson(
                                        uid("p"),
                                        "COMPUTE_VOUCHER",
                                        "CN-ZJ",
                                        "Hangzhou",
                                        "1.5",
                                        "8000000.00",
                                        "8000000.00",
                                        365))),
                Named.of("a USCC with a wrong check character", () -> {
                    String valid = uscc();
                    String wrong = valid.substring(0, 17) + (valid.charAt(17) == '0' ? '1' : '0');
                    return postCall(
                            "/programs/" + launchCompute() + "/vouchers",
                            issueJson(uid("v"), wrong, "software", null, "1000.00"));
                }),
                Named.of(
                        "a program id with a space in the path",
                        () -> postCall("/programs/a%20b/appropriations", appropriationJson("1000.00", "r"))),
                Named.of(
                        "a program id of 65 characters in the path",
                        () -> postCall(
                                "/programs/" + "p".repeat(65) + "/appropriations", appropriationJson("1000.00", "r"))),
                Named.of(
                        "a voucher id with a space in the path",
                        () -> postCall("/vouchers/a%20b/revocation", "{\"reason\": \"r\"}")),
                Named.of(
                        "a voucher id of 65 characters in the body",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/vouchers",
                                issueJson("v".repeat(65), uscc(), "software", null, "1000.00"))),
                Named.of(
                        "a start month whose schedule runs past the year 9999",
                        () -> postCall(
                                "/programs/" + launchHousing("10000000.00") + "/housing-grants",
                                grantJson(uid("g"), uid("talent"), "9998-01", "4000.00"))),
                Named.of(
                        "an Idempotency-Key of 256 characters",
                        () -> postCall(
                                "/programs/" + launchCompute() + "/appropriations",
                                appropriationJson("1000.00", "r"),
                                "Idempotency-Key",
                                "k".repeat(256))),
                Named.of(
                        "a path of 1100 characters with an Idempotency-Key",
                        () -> postCall(
                                "/programs/" + "p".repeat(1100) + "/appropriations",
                                appropriationJson("1000.00", "r"),
                                "Idempotency-Key",
                                uid("key"))),
                Named.of(
                        "month 2026-13 in a claim",
                        () -> postCall(
                                "/housing-grants/"
                                        + grant(launchHousing("10000000.00"), uid("talent"), "2026-08", "4000.00")
                                        + "/claims",
                                claimJson("2026-13", "4000.00"))),
                Named.of(
                        "month 2026-13 as a start month",
                        () -> postCall(
                                "/programs/" + launchHousing("10000000.00") + "/housing-grants",
                                grantJson(uid("g"), uid("talent"), "2026-13", "4000.00"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void malformedRequestsAreValidationFailedAndAppendNothing(Supplier<Call> scenario) {
        assertRejected(scenario.get(), RejectionCode.VALIDATION_FAILED);
    }

    Stream<Named<Supplier<Call>>> missingThings() {
        return Stream.of(
                Named.of("GET unknown voucher", () -> getCall("/vouchers/" + uid("nope"))),
                Named.of(
                        "redeem on an unknown voucher",
                        () -> postCall(
                                "/vouchers/" + uid("nope") + "/compute-redemptions",
                                computeRedemptionJson(null, "c", "i", "prov", "10.00"))),
                Named.of("GET unknown program", () -> getCall("/programs/" + uid("nope"))),
                Named.of(
                        "appropriate to an unknown program",
                        () -> postCall(
                                "/programs/" + uid("nope") + "/appropriations", appropriationJson("1000.00", "r"))),
                Named.of(
                        "issue in an unknown program",
                        () -> postCall(
                                "/programs/" + uid("nope") + "/vouchers",
                                issueJson(uid("v"), uscc(), "software", null, "1000.00"))),
                Named.of(
                        "grant in an unknown program",
                        () -> postCall(
                                "/programs/" + uid("nope") + "/housing-grants",
                                grantJson(uid("g"), uid("talent"), "2026-08", "4000.00"))),
                Named.of("GET unknown housing grant", () -> getCall("/housing-grants/" + uid("nope"))),
                Named.of(
                        "claim on an unknown housing grant",
                        () -> postCall("/housing-grants/" + uid("nope") + "/claims", claimJson("2026-08", "4000.00"))),
                Named.of("settle an unknown redemption", () -> {
                    String voucherId = issue(launchCompute(), uscc(), "software", "1000.00");
                    return postCall(
                            "/vouchers/" + voucherId + "/redemptions/" + uid("nope") + "/settlement",
                            "{\"paymentRef\": \"PAY-1\"}");
                }),
                Named.of(
                        "withdraw an unknown provider",
                        () -> postCall("/providers/" + uid("nope") + "/withdrawal", "{\"reason\": \"r\"}")),
                Named.of(
                        "deregister an unknown model",
                        () -> postCall("/models/" + uid("nope") + "/deregistration", "{\"reason\": \"r\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingThings")
    void missingThingsAreNotFound(Supplier<Call> scenario) {
        assertRejected(scenario.get(), RejectionCode.NOT_FOUND);
    }

    Stream<Named<Supplier<Call>>> reusedIds() {
        return Stream.of(
                Named.of("program id", () -> {
                    String programId = launchCompute();
                    return postCall(
                            "/programs",
                            voucherProgramJson(
                                    programId, "MODEL_VOUCHER", "CN-BJ", "Beijing", "0.20", "1000.00", "1000.00", 30));
                }),
                Named.of("voucher id reused in another program", () -> {
                    String voucherId = issue(launchCompute(), uscc(), "software", "1000.00");
                    return postCall(
                            "/programs/" + launchCompute() + "/vouchers",
                            issueJson(voucherId, uscc(), "software", null, "1000.00"));
                }),
                Named.of("voucher id reused in its own program", () -> {
                    String programId = launchCompute();
                    String voucherId = issue(programId, uscc(), "software", "1000.00");
                    return postCall(
                            "/programs/" + programId + "/vouchers",
                            issueJson(voucherId, uscc(), "software", null, "1000.00"));
                }),
                Named.of("grant id reused in another program", () -> {
                    String grantId = grant(launchHousing("10000000.00"), uid("talent"), "2026-08", "4000.00");
                    return postCall(
                            "/programs/" + launchHousing("10000000.00") + "/housing-grants",
                            grantJson(grantId, uid("talent"), "2026-08", "4000.00"));
                }),
                Named.of("redemption id reused on its voucher", () -> {
                    String provider = accredit("COMPUTE", uscc(), null);
                    String voucherId = issue(launchCompute(), uscc(), "software", "1000.00");
                    String redemptionId = redeem(voucherId, "c-1", uid("inv"), provider, "100.00");
                    return postCall(
                            "/vouchers/" + voucherId + "/compute-redemptions",
                            computeRedemptionJson(redemptionId, "c-1", uid("inv"), provider, "100.00"));
                }),
                Named.of("provider accredited twice", () -> {
                    String provider = accredit("COMPUTE", uscc(), null);
                    return postCall("/providers", accreditJson(provider, "COMPUTE", uscc(), null));
                }),
                Named.of("model registered twice", () -> {
                    String vendor = accredit("MODEL_VENDOR", uscc(), null);
                    String filingNo = registerModel(vendor);
                    return postCall(
                            "/models",
                            "{\"filingNo\": \"" + filingNo + "\", \"name\": \"again\"," + " \"vendorId\": \"" + vendor
                                    + "\"}");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reusedIds")
    void reusedIdsAreAlreadyExists(Supplier<Call> scenario) {
        assertRejected(scenario.get(), RejectionCode.ALREADY_EXISTS);
    }

    /** SPEC §11 precedence: 400, then 404, then 409, then 422 in the order of the list. */
    Stream<Arguments> precedenceCases() {
        return Stream.of(
                Arguments.of(
                        Named.of(
                                "a malformed body under a key used before with another body is 400, not 409", (Supplier<
                                                Call>)
                                        () -> {
                                            String programId = launchCompute();
                                            String key = uid("key");
                                            expect(
                                                    200,
                                                    post(
                                                            "/programs/" + programId + "/appropriations",
                                                            appropriationJson("10.00", "r"),
                                                            "Idempotency-Key",
                                                            key));
                                            return postCall(
                                                    "/programs/" + programId + "/appropriations",
                                                    "{\"amount\": " + money("10.001") + ", \"reference\": \"r\"}",
                                                    "Idempotency-Key",
                                                    key);
                                        }),
                        RejectionCode.VALIDATION_FAILED),
                Arguments.of(
                        Named.of("a malformed body for an unknown voucher is 400, not 404", (Supplier<Call>)
                                () -> postCall("/vouchers/" + uid("nope") + "/revocation", "{\"reason\": 42}")),
                        RejectionCode.VALIDATION_FAILED),
                Arguments.of(
                        Named.of("a voucher id of another program with an invalid USCC is 400, not 409", (Supplier<
                                        Call>)
                                () -> {
                                    String voucherId = issue(launchCompute(), uscc(), "software", "1000.00");
                                    String valid = uscc();
                                    String wrong = valid.substring(0, 17) + (valid.charAt(17) == '0' ? '1' : '0');
                                    return postCall(
                                            "/programs/" + launchCompute() + "/vouchers",
                                            issueJson(voucherId, wrong, "software", null, "1000.00"));
                                }),
                        RejectionCode.VALIDATION_FAILED),
                Arguments.of(
                        Named.of(
                                "a voucher id of another program, issued by an unknown program, is 404, not 409",
                                (Supplier<Call>) () -> {
                                    String voucherId = issue(launchCompute(), uscc(), "software", "1000.00");
                                    return postCall(
                                            "/programs/" + uid("nope") + "/vouchers",
                                            issueJson(voucherId, uscc(), "software", null, "1000.00"));
                                }),
                        RejectionCode.NOT_FOUND),
                Arguments.of(
                        Named.of(
                                "a grant id of another program, granted by an unknown program, is 404, not 409",
                                (Supplier<Call>) () -> {
                                    String grantId =
                                            grant(launchHousing("1000000.00"), uid("talent"), "2026-08", "4000.00");
                                    return postCall(
                                            "/programs/" + uid("nope") + "/housing-grants",
                                            grantJson(grantId, uid("talent"), "2026-08", "4000.00"));
                                }),
                        RejectionCode.NOT_FOUND),
                Arguments.of(
                        Named.of(
                                "a voucher id of another program, issued by a closed program, is 409, not 422",
                                (Supplier<Call>) () -> {
                                    String voucherId = issue(launchCompute(), uscc(), "software", "1000.00");
                                    String closed = launchCompute();
                                    expect(200, post("/programs/" + closed + "/closure", "{\"reason\": \"ended\"}"));
                                    return postCall(
                                            "/programs/" + closed + "/vouchers",
                                            issueJson(voucherId, uscc(), "software", null, "1000.00"));
                                }),
                        RejectionCode.ALREADY_EXISTS),
                Arguments.of(
                        Named.of(
                                "a closed housing program asked for a voucher is PROGRAM_CLOSED before"
                                        + " WRONG_PROGRAM_KIND",
                                (Supplier<Call>) () -> {
                                    String housing = launchHousing("1000000.00");
                                    expect(200, post("/programs/" + housing + "/closure", "{\"reason\": \"ended\"}"));
                                    return postCall(
                                            "/programs/" + housing + "/vouchers",
                                            issueJson(uid("v"), uscc(), "software", null, "1000.00"));
                                }),
                        RejectionCode.PROGRAM_CLOSED),
                Arguments.of(
                        Named.of(
                                "a revoked voucher past its expiry is VOUCHER_REVOKED before VOUCHER_EXPIRED",
                                (Supplier<Call>) () -> {
                                    String provider = accredit("COMPUTE", uscc(), null);
                                    String voucherId = issue(launchCompute(), uscc(), "software", "1000.00");
                                    expect(
                                            200,
                                            post("/vouchers/" + voucherId + "/revocation", "{\"reason\": \"fraud\"}"));
                                    clock.advance(Duration.ofDays(400));
                                    return postCall(
                                            "/vouchers/" + voucherId + "/compute-redemptions",
                                            computeRedemptionJson(null, "c-1", uid("inv"), provider, "100.00"));
                                }),
                        RejectionCode.VOUCHER_REVOKED),
                Arguments.of(
                        Named.of(
                                "a related, non-accredited provider is PROVIDER_NOT_ACCREDITED before"
                                        + " RELATED_PARTY",
                                (Supplier<Call>) () -> {
                                    String firm = uscc();
                                    String provider = accredit("COMPUTE", firm, null);
                                    expect(200, post("/providers/" + provider + "/withdrawal", "{\"reason\": \"r\"}"));
                                    String voucherId = issue(launchCompute(), firm, "software", "1000.00");
                                    return postCall(
                                            "/vouchers/" + voucherId + "/compute-redemptions",
                                            computeRedemptionJson(null, "c-1", uid("inv"), provider, "100.00"));
                                }),
                        RejectionCode.PROVIDER_NOT_ACCREDITED),
                Arguments.of(
                        Named.of("a claim beyond the schedule of a terminated grant is GRANT_TERMINATED", (Supplier<
                                        Call>)
                                () -> {
                                    String grantId =
                                            grant(launchHousing("1000000.00"), uid("talent"), "2026-08", "4000.00");
                                    expect(
                                            200,
                                            post(
                                                    "/housing-grants/" + grantId + "/termination",
                                                    "{\"reason\": \"left\", \"effectiveMonth\": \"2026-09\"}"));
                                    return postCall(
                                            "/housing-grants/" + grantId + "/claims", claimJson("2031-01", "4000.00"));
                                }),
                        RejectionCode.GRANT_TERMINATED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("precedenceCases")
    void theRuleOfHighestPrecedenceIsReported(Supplier<Call> scenario, RejectionCode expected) {
        assertRejected(scenario.get(), expected);
    }

    /** Program, provider and model ids are separate kinds of id: one never reads or writes another's record. */
    Stream<Named<Supplier<Call>>> idsOfOtherKinds() {
        return Stream.of(
                Named.of(
                        "GET a program by a provider's id",
                        () -> getCall("/programs/" + accredit("COMPUTE", uscc(), null))),
                Named.of(
                        "appropriate to a program by a provider's id",
                        () -> postCall(
                                "/programs/" + accredit("COMPUTE", uscc(), null) + "/appropriations",
                                appropriationJson("10.00", "r"))),
                Named.of(
                        "GET a program by a model's filing number",
                        () -> getCall("/programs/" + registerModel(accredit("MODEL_VENDOR", uscc(), null)))),
                Named.of(
                        "issue a voucher in a program by a model's filing number",
                        () -> postCall(
                                "/programs/" + registerModel(accredit("MODEL_VENDOR", uscc(), null)) + "/vouchers",
                                issueJson(uid("v"), uscc(), "software", null, "10.00"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idsOfOtherKinds")
    void theIdOfAnotherKindOfThingIsNotAProgram(Supplier<Call> scenario) {
        assertRejected(scenario.get(), RejectionCode.NOT_FOUND);
    }

    record Collision(Call call, String existing) {}

    Stream<Named<Supplier<Collision>>> idsTakenByAnotherKind() {
        return Stream.of(
                Named.of("launch a program with a provider's id", () -> {
                    String provider = accredit("COMPUTE", uscc(), null);
                    return new Collision(
                            postCall(
                                    "/programs",
                                    voucherProgramJson(
                                            provider,
                                            "COMPUTE_VOUCHER",
                                            "CN-ZJ",
                                            "Hangzhou",
                                            "0.30",
                                            "1000.00",
                                            "1000.00",
                                            30)),
                            "/providers/" + provider);
                }),
                Named.of("accredit a provider with a program's id", () -> {
                    String programId = launchCompute();
                    return new Collision(
                            postCall("/providers", accreditJson(programId, "COMPUTE", uscc(), null)),
                            "/programs/" + programId);
                }),
                Named.of("register a model with a program's id", () -> {
                    String programId = launchCompute();
                    String vendor = accredit("MODEL_VENDOR", uscc(), null);
                    return new Collision(
                            postCall(
                                    "/models",
                                    "{\"filingNo\": \"" + programId + "\", \"name\": \"m\", \"vendorId\": \"" + vendor
                                            + "\"}"),
                            "/programs/" + programId);
                }),
                Named.of("register a model with a provider's id", () -> {
                    String vendor = accredit("MODEL_VENDOR", uscc(), null);
                    return new Collision(
                            postCall(
                                    "/models",
                                    "{\"filingNo\": \"" + vendor + "\", \"name\": \"m\", \"vendorId\": \"" + vendor
                                            + "\"}"),
                            "/providers/" + vendor);
                }));
    }

    /** No 5xx (SPEC §3): the new thing is created beside the other, or refused as ALREADY_EXISTS appending nothing. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("idsTakenByAnotherKind")
    void anIdTakenByAnotherKindOfThingIsCreatedBesideItOrRefusedCleanly(Supplier<Collision> scenario) {
        Collision collision = scenario.get();
        JsonNode before = expect(200, get(collision.existing())).json();
        long events = eventCount();
        Reply reply = send(collision.call());
        if (reply.status() == 201) {
            expect(201, reply);
            assertThat(eventCount()).isEqualTo(events + 1);
            assertThat(expect(200, getLocation(reply)).json()).isEqualTo(reply.json());
        } else {
            assertProblem(reply, RejectionCode.ALREADY_EXISTS);
            assertThat(eventCount()).isEqualTo(events);
        }
        assertThat(expect(200, get(collision.existing())).json()).isEqualTo(before);
    }

    @Test
    void aRefusalIsProblemJsonEvenWhenTheClientAcceptsOnlyJson() {
        String programId = launchCompute();
        assertRejected(
                postCall(
                        "/programs/" + programId + "/appropriations",
                        "{\"amount\": " + money("1.00", "USD") + ", \"reference\": \"r\"}",
                        "Accept",
                        "application/json"),
                RejectionCode.CURRENCY_MISMATCH);
        assertRejected(
                postCall("/programs/" + programId + "/appropriations", "{\"amount\": 1}", "Accept", "application/json"),
                RejectionCode.VALIDATION_FAILED);
    }

    // ================================================================ 3. idempotency

    @Test
    void theSameKeyAndBodyAnswerTheFirstResponseAgainAndAppendNothing() {
        String programId = uid("idem");
        String key = uid("key");
        String first = voucherProgramJson(
                programId, "COMPUTE_VOUCHER", "CN-ZJ", "Hangzhou", "0.30", "8000000.00", "8000000.00", 365);
        // The same JSON with its keys in another order and other whitespace: RFC 8785 makes it the same body.
        String same = ("{ \"rules\":{\"payee\":\"PROVIDER\",\"validityDays\":365,"
                        + "\"eligibleSectors\":[\"software\",\"healthcare\",\"finance\"],"
                        + "\"capPerBeneficiaryPerYear\":{\"currency\":\"CNY\",\"amount\":\"8000000.00\"},"
                        + "\"maxVoucherValue\":{\"currency\":\"CNY\",\"amount\":\"8000000.00\"},\"coverageRatio\":\"0.30\"},\n"
                        + "\t\"currency\":\"CNY\",\"city\":\"Hangzhou\",\"province\":\"CN-ZJ\",\"kind\":\"COMPUTE_VOUCHER\","
                        + "\"name\":\"%s vouchers\",\"programId\":\"%s\"   }\n")
                .formatted(programId, programId);
        Reply created = expect(201, post("/programs", first, "Idempotency-Key", key));
        assertThat(created.header("Idempotent-Replay")).isNull();
        long events = eventCount();

        Reply replayed = post("/programs", same, "Idempotency-Key", key);
        assertThat(replayed.status()).isEqualTo(201);
        assertThat(replayed.body()).isEqualTo(created.body());
        assertThat(replayed.header("Location"))
                .isEqualTo(created.header("Location"))
                .isEqualTo(API + "/programs/" + programId);
        assertThat(replayed.mediaType()).isEqualTo(created.mediaType());
        assertThat(replayed.header("Idempotent-Replay")).isEqualTo("true");
        assertThat(eventCount()).isEqualTo(events);

        // The replay is the first answer, not a new decision: the program exists, a new key is ALREADY_EXISTS.
        assertRejected(postCall("/programs", same, "Idempotency-Key", uid("key")), RejectionCode.ALREADY_EXISTS);
    }

    @Test
    void a422OutcomeIsKeptAndReplayedEvenWhenTheStateChanged() {
        String programId = launchCompute("0.30", "8000000.00", "8000000.00", 365, "1000.00");
        String key = uid("key");
        String rescission = "{\"amount\": " + money("1500.00") + ", \"reason\": \"cut\"}";
        Reply refused = post("/programs/" + programId + "/rescissions", rescission, "Idempotency-Key", key);
        assertProblem(refused, RejectionCode.BUDGET_COMMITTED);

        appropriate(programId, "1000.00"); // now 1500.00 could be rescinded
        long events = eventCount();
        Reply replayed = post("/programs/" + programId + "/rescissions", rescission, "Idempotency-Key", key);
        assertThat(replayed.status()).isEqualTo(422);
        assertThat(replayed.body()).isEqualTo(refused.body());
        assertThat(replayed.mediaType()).isEqualTo(PROBLEM_JSON);
        assertThat(replayed.header("Idempotent-Replay")).isEqualTo("true");
        assertThat(eventCount()).isEqualTo(events);
        assertFigures(
                expect(200, get("/programs/" + programId)).json(),
                "2000.00",
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "2000.00",
                "0.0000");

        // Under another key the same request is decided afresh.
        assertFigures(
                expect(200, post("/programs/" + programId + "/rescissions", rescission, "Idempotency-Key", uid("key")))
                        .json(),
                "500.00",
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "500.00",
                "0.0000");
    }

    @Test
    void a400OutcomeIsNotKeptSoTheKeyCanBeRetriedWithAFixedBody() {
        String programId = launchCompute("0.30", "8000000.00", "8000000.00", 365, null);
        String key = uid("key");
        assertRejected(
                postCall(
                        "/programs/" + programId + "/appropriations",
                        "{\"amount\": " + money("1000.001") + ", \"reference\": \"typo\"}",
                        "Idempotency-Key",
                        key),
                RejectionCode.VALIDATION_FAILED);

        long events = eventCount();
        Reply fixed = expect(
                200,
                post(
                        "/programs/" + programId + "/appropriations",
                        appropriationJson("1000.00", "typo"),
                        "Idempotency-Key",
                        key));
        assertThat(fixed.header("Idempotent-Replay")).isNull();
        assertThat(eventCount()).isEqualTo(events + 1);
        assertFigures(fixed.json(), "1000.00", "0.00", "0.00", "0.00", "0.00", "0.00", "1000.00", "0.0000");

        Reply again = expect(
                200,
                post(
                        "/programs/" + programId + "/appropriations",
                        appropriationJson("1000.00", "typo"),
                        "Idempotency-Key",
                        key));
        assertThat(again.header("Idempotent-Replay")).isEqualTo("true");
        assertThat(again.body()).isEqualTo(fixed.body());
        assertThat(eventCount()).isEqualTo(events + 1);
    }

    @Test
    void aClaimLeftBehindByADeadRequestIsTakenOverAfterFifteenSecondsAndItsCommandRunsOnce() {
        String programId = launchCompute("0.30", "8000000.00", "8000000.00", 365, null);
        String path = API + "/programs/" + programId + "/appropriations";
        String body = appropriationJson("1000.00", "claim left behind");
        long events = eventCount();

        // a request that died 14 s ago (its node killed, or its database gone before it could free the key)
        String recent = uid("key");
        jdbc.update(
                "INSERT INTO idempotency_record (principal, http_method, path, idempotency_key, body_sha256,"
                        + " state, created_at) VALUES (?, ?, ?, ?, ?, 'IN_PROGRESS', ?)",
                "national",
                "POST",
                path,
                recent,
                canonicalSha256(body),
                clock.instant().minusSeconds(14).atOffset(ZoneOffset.UTC));
        assertRejected(
                postCall("/programs/" + programId + "/appropriations", body, "Idempotency-Key", recent),
                RejectionCode.IDEMPOTENCY_IN_PROGRESS);
        assertThat(eventCount()).isEqualTo(events);

        // one that died 16 s ago: the retry runs the command, once, and its outcome is kept
        String stale = uid("key");
        jdbc.update(
                "INSERT INTO idempotency_record (principal, http_method, path, idempotency_key, body_sha256,"
                        + " state, created_at) VALUES (?, ?, ?, ?, ?, 'IN_PROGRESS', ?)",
                "national",
                "POST",
                path,
                stale,
                canonicalSha256(body),
                clock.instant().minusSeconds(16).atOffset(ZoneOffset.UTC));
        Reply retried = expect(200, post("/programs/" + programId + "/appropriations", body, "Idempotency-Key", stale));
        assertThat(retried.header("Idempotent-Replay")).isNull();
        assertThat(eventCount()).isEqualTo(events + 1);
        Reply again = expect(200, post("/programs/" + programId + "/appropriations", body, "Idempotency-Key", stale));
        assertThat(again.header("Idempotent-Replay")).isEqualTo("true");
        assertThat(eventCount()).isEqualTo(events + 1);
        assertThat(expect(200, get("/programs/" + programId))
                        .json()
                        .at("/figures/appropriated")
                        .asText())
                .isEqualTo("1000.00");
    }

    @Test
    void keysAreScopedPerPath() {
        String programA = launchCompute("0.30", "8000000.00", "8000000.00", 365, null);
        String programB = launchCompute("0.30", "8000000.00", "8000000.00", 365, null);
        String key = uid("key");
        String body = appropriationJson("700.00", "same key, same body");
        long events = eventCount();

        Reply a = expect(200, post("/programs/" + programA + "/appropriations", body, "Idempotency-Key", key));
        Reply b = expect(200, post("/programs/" + programB + "/appropriations", body, "Idempotency-Key", key));
        assertThat(b.header("Idempotent-Replay")).isNull();
        assertThat(b.json().get("programId").asText()).isEqualTo(programB);
        assertThat(eventCount()).isEqualTo(events + 2);
        assertThat(expect(200, get("/programs/" + programA))
                        .json()
                        .at("/figures/appropriated")
                        .asText())
                .isEqualTo("700.00");
        assertThat(expect(200, get("/programs/" + programB))
                        .json()
                        .at("/figures/appropriated")
                        .asText())
                .isEqualTo("700.00");

        // With another body the key conflicts on its own path only.
        assertRejected(
                postCall(
                        "/programs/" + programA + "/appropriations",
                        appropriationJson("1.00", "other"),
                        "Idempotency-Key",
                        key),
                RejectionCode.IDEMPOTENCY_CONFLICT);
        Reply replayA = post("/programs/" + programA + "/appropriations", body, "Idempotency-Key", key);
        assertThat(replayA.header("Idempotent-Replay")).isEqualTo("true");
        assertThat(replayA.body()).isEqualTo(a.body());
    }

    @Test
    void keptOutcomesAreReplayedForAtLeastThirtyDays() {
        String programId = launchCompute("0.30", "8000000.00", "8000000.00", 365, null);
        String key = uid("key");
        String body = appropriationJson("100.00", "kept");
        Reply first = expect(200, post("/programs/" + programId + "/appropriations", body, "Idempotency-Key", key));
        long events = eventCount();

        clock.set(START.plus(Duration.ofDays(30)).minusSeconds(60));
        context.getBean(IdempotencyFilter.class).purge();
        Reply again = post("/programs/" + programId + "/appropriations", body, "Idempotency-Key", key);
        assertThat(again.status()).as(again.describe()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replay")).isEqualTo("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(eventCount()).isEqualTo(events);
    }

    /** RFC 3986 §6.2.2.2: a percent-encoded unreserved character is the same path, so the same key scope. */
    @Test
    void aPathSpelledWithAPercentEncodedLetterIsTheSamePathForItsKey() {
        String programId = launchCompute("0.30", "8000000.00", "8000000.00", 365, null);
        assertThat(programId).startsWith("h");
        String key = uid("key");
        String body = appropriationJson("100.00", "once");
        Reply first = expect(200, post("/programs/" + programId + "/appropriations", body, "Idempotency-Key", key));
        long events = eventCount();

        Reply again = post("/programs/%68" + programId.substring(1) + "/appropriations", body, "Idempotency-Key", key);
        assertThat(again.status()).as(again.describe()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replay")).as(again.describe()).isEqualTo("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(eventCount()).isEqualTo(events);
        assertThat(expect(200, get("/programs/" + programId))
                        .json()
                        .at("/figures/appropriated")
                        .asText())
                .isEqualTo("100.00");
    }

    /**
     * SPEC §11: a command under one key commits at most once under every crash timing. The state a crash between
     * the commit and the stored answer leaves (the events and the commit mark in the log, the key still IN_PROGRESS,
     * or the key freed) is made here by hand; the process-level drill is IdempotencyCrashIT.
     */
    @Test
    void aRetryAfterTheCommandCommittedButItsAnswerWasLostAppendsNothing() {
        String programId = launchCompute("0.30", "8000000.00", "8000000.00", 365, null);
        String key = uid("key");
        String path = "/programs/" + programId + "/appropriations";
        String body = appropriationJson("1000.00", "once");
        expect(200, post(path, body, "Idempotency-Key", key));
        long events = eventCount();

        // the node died after the commit: the key is still IN_PROGRESS and its answer was never stored
        forgetAnswer(API + path, key, false);
        Reply retried = expect(200, post(path, body, "Idempotency-Key", key));
        assertThat(retried.json().at("/figures/appropriated").asText()).isEqualTo("1000.00");
        assertThat(eventCount()).isEqualTo(events);
        // that answer is now kept
        assertThat(post(path, body, "Idempotency-Key", key).header("Idempotent-Replay"))
                .isEqualTo("true");

        // the claim was also taken over as stale (or freed): the command still does not run again
        forgetAnswer(API + path, key, true);
        expect(200, post(path, body, "Idempotency-Key", key));
        assertThat(eventCount()).isEqualTo(events);
        assertThat(expect(200, get("/programs/" + programId))
                        .json()
                        .at("/figures/appropriated")
                        .asText())
                .isEqualTo("1000.00");
    }

    @Test
    void aRetriedIssueWithoutAClientIdNamesTheVoucherTheFirstRunIssued() {
        String programId = launchCompute();
        String key = uid("key");
        String path = "/programs/" + programId + "/vouchers";
        String body = issueJson("x", uscc(), "software", null, "5000.00").replace("\"voucherId\": \"x\", ", "");
        assertThat(body).doesNotContain("voucherId");
        Reply first = expect(201, post(path, body, "Idempotency-Key", key));
        long events = eventCount();

        forgetAnswer(API + path, key, true);
        Reply retried = expect(201, post(path, body, "Idempotency-Key", key));
        assertThat(retried.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retried.json().get("voucherId").asText())
                .isEqualTo(first.json().get("voucherId").asText());
        assertThat(eventCount()).isEqualTo(events);
        assertThat(expect(200, get("/programs/" + programId))
                        .json()
                        .at("/figures/committed")
                        .asText())
                .isEqualTo("5000.00");
    }

    /** Puts a kept outcome back to the state a crash after the commit leaves: in progress, or freed entirely. */
    private void forgetAnswer(String path, String key, boolean freed) {
        int rows = freed
                ? jdbc.update("DELETE FROM idempotency_record WHERE path = ? AND idempotency_key = ?", path, key)
                : jdbc.update(
                        "UPDATE idempotency_record SET state = 'IN_PROGRESS', response_status = NULL,"
                                + " response_body = NULL, content_type = NULL, location = NULL WHERE path = ? AND idempotency_key = ?",
                        path,
                        key);
        assertThat(rows).as("the kept outcome of %s", path).isEqualTo(1);
    }

    // ================================================================ 400 before 404 (SPEC §11)

    /** Every endpoint whose path names a thing parses and validates its body before looking the thing up. */
    @Test
    void aMalformedBodyIs400EvenWhenThePathNamesNothing() {
        String amount = money("1.234");
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put(
                "/housing-grants/" + uid("nope") + "/claims",
                "{\"month\": \"2026-13\", \"rentPaid\": " + money("1000.00") + ", \"leaseRef\": \"lease-1\"}");
        requests.put(
                "/housing-grants/" + uid("nope") + "/termination",
                "{\"reason\": \"moved\", \"effectiveMonth\": \"2027-00\"}");
        requests.put(
                "/vouchers/" + uid("nope") + "/compute-redemptions",
                computeRedemptionJson(null, "c-1", uid("inv"), "prov-1", "1.234"));
        requests.put(
                "/vouchers/" + uid("nope") + "/model-redemptions",
                "{\"contractRef\": \"c-1\", \"invoiceRef\":"
                        + " \"inv-1\", \"providerId\": \"prov-1\", \"filingNo\": \"Beijing-X-1\", \"invoiceAmount\": "
                        + amount + ", \"usage\": \"API_ACCESS\"}");
        requests.put("/vouchers/" + uid("nope") + "/redemptions/r-1/settlement", "{\"paymentRef\": \"\"}");
        requests.put("/vouchers/" + uid("nope") + "/revocation", "{\"reason\": \"\"}");
        requests.put(
                "/programs/" + uid("nope") + "/appropriations", "{\"amount\": " + amount + ", \"reference\": \"r\"}");
        requests.put("/programs/" + uid("nope") + "/rescissions", "{\"amount\": " + amount + ", \"reason\": \"r\"}");
        requests.put("/programs/" + uid("nope") + "/closure", "{\"reason\": \"\\u0007\"}");
        requests.put("/providers/" + uid("nope") + "/withdrawal", "{\"reason\": \"\"}");
        requests.put("/models/" + uid("nope") + "/deregistration", "{\"reason\": \"\"}");
        requests.forEach((path, body) -> assertRejected(postCall(path, body), RejectionCode.VALIDATION_FAILED));
        // and a well-formed body to the same kind of path is the 404
        assertRejected(
                postCall(
                        "/housing-grants/" + uid("nope") + "/claims",
                        "{\"month\": \"2026-03\", \"rentPaid\": " + money("1000.00") + ", \"leaseRef\": \"lease-1\"}"),
                RejectionCode.NOT_FOUND);
    }

    @Test
    void anOfficerSendingABadAmountToAnotherProvincesVoucherGets400NotTheHiding404() {
        String programId = launchCompute(); // CN-ZJ
        String provider = accredit("COMPUTE", uscc(), null);
        String voucherId = issue(programId, uscc(), "software", "1000.00");
        String officer =
                "Basic " + Base64.getEncoder().encodeToString("officer-cn-bj:demo".getBytes(StandardCharsets.UTF_8));
        assertRejected(
                postCall(
                        "/vouchers/" + voucherId + "/compute-redemptions",
                        computeRedemptionJson(null, "c-1", uid("inv"), provider, "1.234"),
                        "Authorization",
                        officer),
                RejectionCode.VALIDATION_FAILED);
        assertRejected(
                postCall(
                        "/vouchers/" + voucherId + "/compute-redemptions",
                        computeRedemptionJson(null, "c-1", uid("inv"), provider, "1.23"),
                        "Authorization",
                        officer),
                RejectionCode.NOT_FOUND);
        assertRejected(
                postCall(
                        "/programs/" + programId + "/appropriations",
                        "{\"amount\": " + money("1.234") + ", \"reference\": \"r\"}",
                        "Authorization",
                        officer),
                RejectionCode.VALIDATION_FAILED);
    }

    /** SPEC §11: a subsidy that rounds to 0.00 is a 422 after the duplicates, never a late 400. */
    @Test
    void aSubsidyThatRoundsToZeroIs422AfterTheDuplicates() {
        String programId = launchCompute();
        String provider = accredit("COMPUTE", uscc(), null);
        String voucherId = issue(programId, uscc(), "software", "1000.00");
        String invoice = uid("inv");
        redeem(voucherId, "c-1", invoice, provider, "100.00");
        assertRejected(
                postCall(
                        "/vouchers/" + voucherId + "/compute-redemptions",
                        computeRedemptionJson(null, "c-1", uid("inv"), provider, "0.01")),
                RejectionCode.SUBSIDY_ROUNDS_TO_ZERO);
        assertRejected(
                postCall(
                        "/vouchers/" + voucherId + "/compute-redemptions",
                        computeRedemptionJson(null, "c-1", invoice, provider, "0.01")),
                RejectionCode.DUPLICATE_INVOICE);
        // 0.02 × 0.30 = 0.006 → 0.01: the smallest amount that pays
        expect(
                201,
                post(
                        "/vouchers/" + voucherId + "/compute-redemptions",
                        computeRedemptionJson(null, "c-1", uid("inv"), provider, "0.02")));
    }

    // ================================================================ ids, time zones, sweeps, clawback

    @Test
    void idsAreGeneratedWhenTheClientSuppliesNone() {
        String body = voucherProgramJson(
                        "x", "COMPUTE_VOUCHER", "CN-ZJ", "Hangzhou", "0.30", "8000000.00", "8000000.00", 365)
                .replace("\"programId\": \"x\", ", "");
        assertThat(body).doesNotContain("programId");
        Reply launched = expect(201, post("/programs", body));
        String programId = launched.json().get("programId").asText();
        assertThat(programId).matches("[A-Za-z0-9._-]{1,64}");
        assertThat(launched.header("Location")).isEqualTo(API + "/programs/" + programId);
        assertThat(expect(200, getLocation(launched)).json()).isEqualTo(launched.json());
        String other =
                expect(201, post("/programs", body)).json().get("programId").asText();
        assertThat(other).isNotEqualTo(programId);
        appropriate(programId, "10000.00");

        Reply issued = expect(
                201,
                post(
                        "/programs/" + programId + "/vouchers",
                        issueJson("x", uscc(), "software", null, "1000.00").replace("\"voucherId\": \"x\", ", "")));
        String voucherId = issued.json().get("voucherId").asText();
        assertThat(voucherId).matches("[A-Za-z0-9._-]{1,64}");
        assertThat(issued.header("Location")).isEqualTo(API + "/vouchers/" + voucherId);

        String provider = accredit("COMPUTE", uscc(), null);
        Reply redeemed = expect(
                201,
                post(
                        "/vouchers/" + voucherId + "/compute-redemptions",
                        computeRedemptionJson(null, "c-1", uid("inv"), provider, "100.00")));
        String redemptionId = redeemed.json().at("/redemptions/0/redemptionId").asText();
        assertThat(redemptionId).matches("[A-Za-z0-9._-]{1,64}");
        assertThat(redeemed.header("Location"))
                .isEqualTo(API + "/vouchers/" + voucherId + "/redemptions/" + redemptionId);
        JsonNode settled = expect(
                        200,
                        post(
                                "/vouchers/" + voucherId + "/redemptions/" + redemptionId + "/settlement",
                                "{\"paymentRef\": \"PAY-1\"}"))
                .json();
        assertThat(settled.at("/redemptions/0/status").asText()).isEqualTo("PAID");

        String housing = launchHousing("1000000.00");
        Reply granted = expect(
                201,
                post(
                        "/programs/" + housing + "/housing-grants",
                        grantJson("x", uid("talent"), "2026-08", "4000.00").replace("\"grantId\": \"x\", ", "")));
        String grantId = granted.json().get("grantId").asText();
        assertThat(grantId).matches("[A-Za-z0-9._-]{1,64}");
        assertThat(granted.header("Location")).isEqualTo(API + "/housing-grants/" + grantId);
        assertThat(expect(200, getLocation(granted)).json()).isEqualTo(granted.json());
    }

    @Test
    void monthsAreThoseOfTheProgramsTimeZone() {
        String grantId = grant(launchHousing("1000000.00"), uid("talent"), "2026-08", "4000.00");
        clock.set(Instant.parse("2026-08-31T15:59:59Z")); // 23:59:59 on 31 August in Zhuhai
        assertRejected(
                postCall("/housing-grants/" + grantId + "/claims", claimJson("2026-09", "4000.00")),
                RejectionCode.CLAIM_IN_FUTURE);
        clock.set(Instant.parse("2026-08-31T16:00:00Z")); // 1 September in Zhuhai, still August in UTC
        JsonNode grant = expect(200, post("/housing-grants/" + grantId + "/claims", claimJson("2026-09", "4000.00")))
                .json();
        assertMonth(grant.get("schedule").get(1), "2026-09", 1, "1.0", "4000.00", "4000.00", "0.00", "PAID");
    }

    @Test
    void dueExpiriesAndLapsesAreAppendedWithoutARequestAndShownInTheViews() {
        String programId = launchCompute("0.30", "8000000.00", "8000000.00", 1, "10000.00");
        String provider = accredit("COMPUTE", uscc(), null);
        String voucherId = issue(programId, uscc(), "software", "1000.00");
        redeem(voucherId, "c-1", uid("inv"), provider, "100.00"); // 30.00
        String housing = launchHousing("1000000.00");
        String grantId = grant(housing, uid("talent"), "2026-08", "4000.00");

        // August's claim window (3 months after it ends) closes at 2026-12-01T00:00 in Zhuhai.
        clock.set(Instant.parse("2026-11-30T16:00:00Z"));
        ExpirySweeper sweeper = context.getBean(ExpirySweeper.class);
        assertThat(sweeper.sweep()).as("commands the sweep sent").isGreaterThanOrEqualTo(2);

        JsonNode voucher = expect(200, get("/vouchers/" + voucherId)).json();
        assertThat(voucher.get("status").asText()).isEqualTo("EXPIRED");
        assertMoney(voucher.get("redeemed"), "30.00");
        assertMoney(voucher.get("remaining"), "0.00");
        assertMoney(voucher.get("released"), "970.00");
        assertFigures(
                expect(200, get("/programs/" + programId)).json(),
                "10000.00",
                "0.00",
                "30.00",
                "0.00",
                "30.00",
                "970.00",
                "9970.00",
                "0.0030");

        JsonNode schedule =
                expect(200, get("/housing-grants/" + grantId)).json().get("schedule");
        assertMonth(schedule.get(0), "2026-08", 1, "1.0", "4000.00", "0.00", "4000.00", "LAPSED");
        assertMonth(schedule.get(1), "2026-09", 1, "1.0", "4000.00", "0.00", "0.00", "COMMITTED");
        assertFigures(
                expect(200, get("/programs/" + housing)).json(),
                "1000000.00",
                "101600.00",
                "0.00",
                "0.00",
                "0.00",
                "4000.00",
                "898400.00",
                "0.0000");
        assertRejected(
                postCall("/housing-grants/" + grantId + "/claims", claimJson("2026-08", "4000.00")),
                RejectionCode.MONTH_NOT_COVERED);

        long events = eventCount();
        assertThat(sweeper.sweep()).as("a second sweep finds nothing due").isZero();
        assertThat(eventCount()).isEqualTo(events);
    }

    /** SPEC §11: clawbackDue is "reported as its own figure"; the termination answers with the grant's view. */
    @Test
    void aTerminationAnswersWithTheClawbackDue() {
        String programId = uid("zh-service");
        expect(201, post("/programs", housingProgramJson(programId, "5000.00", "120000.00", 12)));
        appropriate(programId, "1000000.00");
        String grantId = grant(programId, uid("talent"), "2026-08", "4000.00");
        expect(200, post("/housing-grants/" + grantId + "/claims", claimJson("2026-08", "4000.00")));
        clock.set(Instant.parse("2026-09-10T02:00:00Z"));
        // 4000.00 − 4000.00 × 1 / 12 = 3666.666… → 3666.67
        JsonNode grant = expect(
                        200,
                        post(
                                "/housing-grants/" + grantId + "/termination",
                                "{\"reason\": \"left early\", \"effectiveMonth\": \"2026-09\"}"))
                .json();
        assertMoney(lastEventOf("HousingGrantTerminated").get("clawbackDue"), "3666.67");
        assertThat(grant.has("clawbackDue"))
                .as("clawbackDue in the grant view %s", grant)
                .isTrue();
        assertMoney(grant.get("clawbackDue"), "3666.67");
        assertThat(expect(200, get("/housing-grants/" + grantId)).json()).isEqualTo(grant);
    }

    // ================================================================ issue 12: money leaks

    @Test
    void aLeaseMonthIsPaidOnceNationallyHoweverTheLeaseIsWritten() {
        String programId = launchHousing("10000000.00");
        String first = grant(programId, uid("talent"), "2026-08", "4000.00");
        String second = grant(launchHousing("10000000.00"), uid("talent"), "2026-08", "4000.00");
        String lease = uid("ZH-Lease");
        expect(200, post("/housing-grants/" + first + "/claims", claimJson("2026-08", "4000.00", lease + " 7")));
        assertRejected(
                postCall(
                        "/housing-grants/" + second + "/claims",
                        claimJson("2026-08", "4000.00", "  " + lease.toLowerCase() + "\u3000 7 ")),
                RejectionCode.DUPLICATE_CLAIM);
    }

    @Test
    void claimsAfterTheTerminationRaiseTheClawbackInTheGrantAndTheBudgetTables() {
        String programId = uid("hk-service");
        // in a province of its own (Hainan), so that the province's budget holds this program alone
        expect(
                201,
                post(
                        "/programs",
                        housingProgramJson(programId, "5000.00", "120000.00", 24)
                                .replace("\"CN-GD\"", "\"CN-HI\"")
                                .replace("Zhuhai", "Haikou")));
        appropriate(programId, "1000000.00");
        String grantId = grant(programId, uid("talent"), "2026-08", "4000.00");
        expect(200, post("/housing-grants/" + grantId + "/claims", claimJson("2026-08", "4000.00")));
        // Terminated effective 2027-01: 5 of 24 months served; 4000.00 × 19 / 24 = 3166.666… → 3166.67.
        JsonNode grant = expect(
                        200,
                        post(
                                "/housing-grants/" + grantId + "/termination",
                                "{\"reason\": \"moved\", \"effectiveMonth\": \"2027-01\"}"))
                .json();
        assertMoney(grant.get("clawbackDue"), "3166.67");
        clock.set(Instant.parse("2026-09-10T02:00:00Z"));
        // 2026-09 paid after the termination: 8000.00 × 19 / 24 = 6333.33, in the event, the view and the tables.
        grant = expect(200, post("/housing-grants/" + grantId + "/claims", claimJson("2026-09", "4000.00")))
                .json();
        assertMoney(grant.get("clawbackDue"), "6333.33");
        assertMoney(lastEventOf("HousingSubsidyPaid").get("clawbackDue"), "6333.33");
        assertThat(expect(200, get("/housing-grants/" + grantId)).json()).isEqualTo(grant);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        BigDecimal tables = null;
        while (System.nanoTime() < deadline) {
            // the budget processor runs behind the log: the grant's row may not be there yet
            tables = jdbc
                    .queryForList(
                            "SELECT p.clawback_due + g.clawback_due FROM budget_program p"
                                    + " JOIN budget_housing_grant g ON g.program_id = p.program_id WHERE g.grant_id = ?",
                            BigDecimal.class,
                            grantId)
                    .stream()
                    .findFirst()
                    .orElse(null);
            if (tables != null && tables.compareTo(new BigDecimal("12666.66")) == 0) {
                break;
            }
            LockSupport.parkNanos(50_000_000L);
        }
        assertThat(tables).as("clawback_due of the program plus the grant row").isEqualByComparingTo("12666.66");
        // The province's budget reports it too, from the read model and from the fold of the log (asOf), by city and
        // by kind. (Read until the budget processor has caught up.)
        String asOf = "/provinces/CN-HI/budget?asOf=" + clock.instant();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode live;
        JsonNode folded;
        do {
            live = cnyBudget(expect(200, get("/provinces/CN-HI/budget")).json());
            folded = cnyBudget(expect(200, get(asOf)).json());
        } while (!(live.equals(folded) && live.path("clawbackDue").asText().equals("6333.33"))
                && System.nanoTime() < deadline);
        assertThat(live).as("the read model's budget and the fold's").isEqualTo(folded);
        assertThat(live.get("clawbackDue").asText()).isEqualTo("6333.33");
        assertThat(live.get("byCity")).hasSize(1);
        assertThat(live.get("byCity").get(0).get("city").asText()).isEqualTo("Haikou");
        assertThat(live.get("byCity").get(0).get("clawbackDue").asText()).isEqualTo("6333.33");
        assertThat(live.get("byKind")).hasSize(1);
        assertThat(live.get("byKind").get(0).get("kind").asText()).isEqualTo("HOUSING_SUBSIDY");
        assertThat(live.get("byKind").get(0).get("clawbackDue").asText()).isEqualTo("6333.33");
    }

    private static JsonNode cnyBudget(JsonNode budget) {
        for (JsonNode currency : budget.get("currencies")) {
            if (currency.get("currency").asText().equals("CNY")) {
                return currency;
            }
        }
        throw new AssertionError("no CNY block in " + budget);
    }

    @Test
    void aGroupsCapCountsMembersBoundThroughAnotherProgramOfTheProvince() {
        // Issue 12 point 3 with a 1,500,000 cap: FIRM_A 1,000,000 ungrouped in program A; FIRM_A bound to the group
        // through program B; FIRM_B 1,000,000 under the group in program A exceeds the cap.
        String programA = launchCompute("0.30", "1000000.00", "1500000.00", 365, "250000000.00");
        String programB = launchCompute("0.30", "1000000.00", "1500000.00", 365, "250000000.00");
        String group = uid("grp");
        String firmA = uscc();
        issue(programA, firmA, "software", "1000000.00");
        expect(
                201,
                post("/programs/" + programB + "/vouchers", issueJson(uid("v"), firmA, "software", group, "1000.00")));
        assertRejected(
                postCall(
                        "/programs/" + programA + "/vouchers",
                        issueJson(uid("v"), uscc(), "software", group, "1000000.00")),
                RejectionCode.BENEFICIARY_CAP_EXCEEDED);
    }

    @Test
    void anInvoiceWrittenDifferentlyOrUnderASecondProviderIdIsPaidOnce() {
        String programId = launchCompute();
        String legalId = uscc();
        String provider = accredit("COMPUTE", legalId, null);
        String first = issue(programId, uscc(), "software", "1000.00");
        String second = issue(programId, uscc(), "software", "1000.00");
        String invoice = uid("INV");
        redeem(first, uid("c"), invoice, provider, "100.00");
        assertRejected(
                postCall(
                        "/vouchers/" + second + "/compute-redemptions",
                        computeRedemptionJson(null, uid("c"), " " + invoice.toLowerCase() + " ", provider, "100.00")),
                RejectionCode.DUPLICATE_INVOICE);
        // A second provider id for the same USCC and kind is refused; another kind is a provider id of its own.
        assertRejected(
                postCall("/providers", accreditJson(uid("prov"), "COMPUTE", legalId, null)),
                RejectionCode.ALREADY_EXISTS);
        accredit("MODEL_VENDOR", legalId, null);
    }

    @Test
    void aModelBoughtThroughAResellerFromTheBeneficiarysGroupIsRelatedParty() {
        String group = uid("grp");
        String vendor = accredit("MODEL_VENDOR", uscc(), group);
        String filingNo = registerModel(vendor);
        String reseller = accredit("MODEL_VENDOR", uscc(), null);
        String programId = launchModel("1000000.00");
        String voucherId = uid("v");
        expect(
                201,
                post(
                        "/programs/" + programId + "/vouchers",
                        issueJson(voucherId, uscc(), "finance", group, "1000.00")));
        assertRejected(
                postCall(
                        "/vouchers/" + voucherId + "/model-redemptions",
                        modelRedemptionJson(null, uid("c"), uid("inv"), reseller, filingNo, "100.00")),
                RejectionCode.RELATED_PARTY);
    }

    @Test
    void releasedSupportGivesTheRecipientCapBack() {
        // 5,000 a month commits the whole 120,000 cap; after one paid month and a termination, the new flat's
        // grant commits the 115,000 of headroom left (60,000 + 42,000 + 5 × 2,500 + 500).
        String programId = launchHousing("10000000.00");
        String person = uid("talent");
        String first = grant(programId, person, "2026-08", "5000.00");
        expect(200, post("/housing-grants/" + first + "/claims", claimJson("2026-08", "5000.00")));
        expect(
                200,
                post(
                        "/housing-grants/" + first + "/termination",
                        "{\"reason\": \"moved\", \"effectiveMonth\": \"2026-09\"}"));
        String second = grant(programId, person, "2026-09", "5000.00");
        JsonNode schedule = expect(200, get("/housing-grants/" + second)).json().get("schedule");
        BigDecimal committed = BigDecimal.ZERO;
        for (JsonNode month : schedule) {
            committed = committed.add(
                    new BigDecimal(month.get("committed").get("amount").asText()));
        }
        assertThat(committed).isEqualByComparingTo("115000.00");
    }

    // ================================================================ 4. metadata of appended events

    @Test
    void everyAppendedEventRecordsCommandPrincipalCorrelationAndIdempotencyKey() throws IOException {
        long since = maxGlobalIndex();
        String programId = uid("meta");
        String correlation1 = uid("corr");
        String key1 = uid("key");
        expect(
                201,
                post(
                        "/programs",
                        voucherProgramJson(
                                programId,
                                "COMPUTE_VOUCHER",
                                "CN-ZJ",
                                "Hangzhou",
                                "0.30",
                                "8000000.00",
                                "8000000.00",
                                365),
                        "X-Correlation-Id",
                        correlation1,
                        "Idempotency-Key",
                        key1));
        String correlation2 = uid("corr");
        expect(
                200,
                post(
                        "/programs/" + programId + "/appropriations",
                        appropriationJson("5000.00", "pool"),
                        "X-Correlation-Id",
                        correlation2));
        String correlation3 = uid("corr");
        String key3 = uid("key");
        expect(
                201,
                post(
                        "/programs/" + programId + "/vouchers",
                        issueJson(uid("v"), uscc(), "software", null, "1000.00"),
                        "X-Correlation-Id",
                        correlation3,
                        "Idempotency-Key",
                        key3));

        List<JsonNode> metadata = metadataSince(since);
        assertThat(metadata).as("one event per accepted command").hasSize(3);
        assertMetadata(metadata.get(0), correlation1, key1);
        assertMetadata(metadata.get(1), correlation2, null);
        assertMetadata(metadata.get(2), correlation3, key3);
        assertThat(metadata.stream().map(m -> m.path("commandId").asText()).distinct())
                .hasSize(3);

        // And every event appended so far carries the three fields that are always there (the expiry sweep, which
        // one test runs, sends as "system").
        for (JsonNode meta : metadataSince(0)) {
            assertThat(meta.path("commandId").asText())
                    .as("commandId of %s", meta)
                    .isNotBlank();
            assertThat(meta.path("principal").asText())
                    .as("principal of %s", meta)
                    .isIn("national", "system");
            assertThat(meta.path("correlationId").asText())
                    .as("correlationId of %s", meta)
                    .isNotBlank();
        }
    }

    private static void assertMetadata(JsonNode meta, String correlationId, String idempotencyKey) {
        assertThat(meta.path("commandId").asText()).as("commandId in %s", meta).isNotBlank();
        assertThat(meta.path("principal").asText()).as("principal in %s", meta).isEqualTo("national");
        assertThat(meta.path("correlationId").asText())
                .as("correlationId in %s", meta)
                .isEqualTo(correlationId);
        if (idempotencyKey == null) {
            assertThat(meta.path("idempotencyKey").isMissingNode()
                            || meta.path("idempotencyKey").isNull())
                    .as("no idempotencyKey in %s", meta)
                    .isTrue();
        } else {
            assertThat(meta.path("idempotencyKey").asText())
                    .as("idempotencyKey in %s", meta)
                    .isEqualTo(idempotencyKey);
        }
    }

    // ================================================================ 5. OpenAPI and health

    @Test
    void theOpenApiDocumentListsTheProgramsPath() {
        Reply docs = send(new Call("GET", "/v3/api-docs", null, Map.of()));
        assertThat(docs.status()).as(docs.describe()).isEqualTo(200);
        assertThat(docs.mediaType()).isEqualTo("application/json");
        JsonNode paths = docs.json().path("paths");
        assertThat(paths.has(API + "/programs")).as("paths of %s", docs.body()).isTrue();
        assertThat(paths.path(API + "/programs").has("post")).isTrue();

        // Usable from Swagger UI (issue 14): the ledger's title, both schemes for Authorize, tags by feature on every
        // operation, and the problem+json refusals with their SPEC codes.
        JsonNode doc = docs.json();
        assertThat(doc.at("/info/title").asText()).isEqualTo("Subsidy Ledger API");
        assertThat(doc.at("/info/description").asText()).contains("problem+json");
        assertThat(doc.at("/components/securitySchemes/basic/scheme").asText()).isEqualTo("basic");
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.at("/components/securitySchemes/bearer/bearerFormat").asText())
                .isEqualTo("JWT");
        List<String> tags = new ArrayList<>();
        doc.path("tags").forEach(t -> tags.add(t.path("name").asText()));
        assertThat(tags)
                .containsExactly(
                        "Programs",
                        "Vouchers",
                        "Housing",
                        "Approvals",
                        "Registries",
                        "Budget",
                        "Alerts",
                        "Audit",
                        "Admin");
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            if (!path.getKey().startsWith(API + "/")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                operations++;
                assertThat(op.getValue().path("tags"))
                        .as("tags of %s %s", op.getKey(), path.getKey())
                        .hasSize(1);
                assertThat(tags).contains(op.getValue().path("tags").get(0).asText());
                assertThat(op.getValue().at("/responses/401/content").has("application/problem+json"))
                        .as("401 of %s %s", op.getKey(), path.getKey())
                        .isTrue();
            }
        }
        assertThat(operations).isGreaterThan(30);
        JsonNode redeem =
                paths.path(API + "/vouchers/{voucherId}/compute-redemptions").path("post");
        assertThat(redeem.at("/responses/422/description").asText())
                .contains("DUPLICATE_INVOICE")
                .contains("VOUCHER_EXHAUSTED");
        assertThat(redeem.at("/responses/409/description").asText()).contains("IDEMPOTENCY_CONFLICT");
    }

    @Test
    void healthIsUpAndIncludesTheDatabase() {
        Reply health = send(new Call("GET", "/actuator/health", null, Map.of()));
        assertThat(health.status()).as(health.describe()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("UP");
        assertThat(health.json().at("/components/db/status").asText())
                .as("db component in %s", health.body())
                .isEqualTo("UP");
    }

    // ================================================================ assertions

    void assertRejected(Call call, RejectionCode code) {
        long before = eventCount();
        Reply reply = send(call);
        assertProblem(reply, code);
        assertThat(eventCount())
                .as("events appended by the rejected %s", reply.describe())
                .isEqualTo(before);
    }

    static void assertProblem(Reply reply, RejectionCode code) {
        int status = specStatus(code);
        assertThat(reply.status()).as(reply.describe()).isEqualTo(status);
        assertThat(reply.mediaType()).as("Content-Type of %s", reply.describe()).isEqualTo(PROBLEM_JSON);
        JsonNode problem = reply.json();
        assertThat(problem.path("code").asText()).as(reply.describe()).isEqualTo(code.name());
        assertThat(problem.path("type").isTextual()
                        && !problem.path("type").asText().isBlank())
                .as("type in %s", reply.body())
                .isTrue();
        assertThat(URI.create(problem.path("type").asText()).isAbsolute())
                .as("type is a URI: %s", reply.body())
                .isTrue();
        assertThat(problem.path("title").isTextual()
                        && !problem.path("title").asText().isBlank())
                .as("title in %s", reply.body())
                .isTrue();
        assertThat(problem.path("status").isInt())
                .as("status in %s", reply.body())
                .isTrue();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").isTextual()
                        && !problem.path("detail").asText().isBlank())
                .as("detail in %s", reply.body())
                .isTrue();
    }

    /** The status SPEC §3's table gives a code (not the enum's own mapping, which is under test). */
    static int specStatus(RejectionCode code) {
        return SPEC_CODES.entrySet().stream()
                .filter(e -> e.getValue().contains(code.name()))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError(code + " is not in SPEC §3's table"));
    }

    static void assertMoney(JsonNode money, String amount) {
        assertThat(money.path("amount").isTextual())
                .as("amount is a decimal string in %s", money)
                .isTrue();
        assertThat(money.path("amount").asText()).as("amount of %s", money).isEqualTo(amount);
        assertThat(money.path("currency").asText()).as("currency of %s", money).isEqualTo("CNY");
    }

    static void assertFigures(
            JsonNode program,
            String appropriated,
            String committed,
            String disbursed,
            String paid,
            String payable,
            String released,
            String available,
            String executionRate) {
        JsonNode f = program.path("figures");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("appropriated", appropriated);
        expected.put("committed", committed);
        expected.put("disbursed", disbursed);
        expected.put("paid", paid);
        expected.put("payable", payable);
        expected.put("released", released);
        expected.put("available", available);
        expected.forEach((name, value) -> {
            assertThat(f.path(name).isTextual())
                    .as("%s is a decimal string in %s", name, f)
                    .isTrue();
            assertThat(f.path(name).asText()).as("%s in %s", name, f).isEqualTo(value);
        });
        if (executionRate == null) {
            assertThat(f.has("executionRate") && f.get("executionRate").isNull())
                    .as("executionRate is null in %s", f)
                    .isTrue();
        } else {
            assertThat(f.path("executionRate").isTextual())
                    .as("executionRate is a string in %s", f)
                    .isTrue();
            assertThat(f.path("executionRate").asText())
                    .as("executionRate in %s", f)
                    .isEqualTo(executionRate);
        }
    }

    static void assertMonth(
            JsonNode month,
            String yearMonth,
            int grantYear,
            String rate,
            String committed,
            String paid,
            String released,
            String status) {
        assertThat(month.path("month").asText()).as("month of %s", month).isEqualTo(yearMonth);
        assertThat(month.path("grantYear").asInt()).as("grantYear of %s", month).isEqualTo(grantYear);
        assertThat(month.path("rate").asText()).as("rate of %s", month).isEqualTo(rate);
        assertMoney(month.path("committed"), committed);
        assertMoney(month.path("paid"), paid);
        assertMoney(month.path("released"), released);
        assertThat(month.path("status").asText()).as("status of %s", month).isEqualTo(status);
    }

    // ================================================================ database

    long eventCount() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        return count == null ? 0 : count;
    }

    private long maxGlobalIndex() {
        Long max = jdbc.queryForObject("SELECT COALESCE(MAX(global_index), 0) FROM domain_event_entry", Long.class);
        return max == null ? 0 : max;
    }

    private List<JsonNode> metadataSince(long globalIndex) throws IOException {
        List<String> rows = jdbc.queryForList(
                "SELECT " + utf8("meta_data") + " FROM domain_event_entry"
                        + " WHERE global_index > ? ORDER BY global_index",
                String.class,
                globalIndex);
        List<JsonNode> metadata = new ArrayList<>();
        for (String row : rows) {
            metadata.add(JSON.readTree(row));
        }
        return metadata;
    }

    private JsonNode lastEventOf(String simpleName) {
        List<String> payloads = jdbc.queryForList(
                "SELECT " + utf8("payload") + " FROM domain_event_entry"
                        + " WHERE payload_type LIKE ? ORDER BY global_index DESC",
                String.class,
                "%" + simpleName);
        assertThat(payloads).as("events of type %s", simpleName).isNotEmpty();
        return parse(payloads.get(0));
    }

    // ================================================================ fixtures (over HTTP)

    String uid(String prefix) {
        return prefix + "-" + sequence.incrementAndGet();
    }

    /** A fresh valid Unified Social Credit Code (GB 32100-2015 check character computed here, independently). */
    String uscc() {
        String first17 = "91330100" + String.format("%09d", sequence.incrementAndGet());
        return first17 + UsccCheck.of(first17);
    }

    /** A Hangzhou compute-voucher program: 30 %, 8M per voucher and per firm a year, 365 days, 250M appropriated. */
    String launchCompute() {
        return launchCompute("0.30", "8000000.00", "8000000.00", 365, "250000000.00");
    }

    String launchCompute(String ratio, String maxVoucherValue, String cap, int validityDays, String appropriation) {
        String programId = uid("hz");
        expect(
                201,
                post(
                        "/programs",
                        voucherProgramJson(
                                programId,
                                "COMPUTE_VOUCHER",
                                "CN-ZJ",
                                "Hangzhou",
                                ratio,
                                maxVoucherValue,
                                cap,
                                validityDays)));
        if (appropriation != null) {
            appropriate(programId, appropriation);
        }
        return programId;
    }

    /** A Beijing model-voucher program: 20 %, 2M per voucher and per firm a year. */
    String launchModel(String appropriation) {
        String programId = uid("bj-model");
        expect(
                201,
                post(
                        "/programs",
                        voucherProgramJson(
                                programId,
                                "MODEL_VOUCHER",
                                "CN-BJ",
                                "Beijing",
                                "0.20",
                                "2000000.00",
                                "2000000.00",
                                365)));
        appropriate(programId, appropriation);
        return programId;
    }

    /** A Zhuhai housing program: [1.0, 0.7, 0.5], rent cap 5000.00, 120000.00 per recipient, no minimum stay. */
    String launchHousing(String appropriation) {
        String programId = uid("zh-housing");
        expect(201, post("/programs", housingProgramJson(programId, "5000.00", "120000.00", null)));
        appropriate(programId, appropriation);
        return programId;
    }

    void appropriate(String programId, String amount) {
        expect(200, post("/programs/" + programId + "/appropriations", appropriationJson(amount, "budget line")));
    }

    String accredit(String kind, String legalId, String group) {
        String providerId = uid("prov");
        expect(201, post("/providers", accreditJson(providerId, kind, legalId, group)));
        return providerId;
    }

    String registerModel(String vendorId) {
        String filingNo = uid("Beijing-WangXin");
        expect(
                201,
                post(
                        "/models",
                        "{\"filingNo\": \"" + filingNo + "\", \"name\": \"A filed model\"," + " \"vendorId\": \""
                                + vendorId + "\"}"));
        return filingNo;
    }

    String issue(String programId, String uscc, String sector, String faceValue) {
        String voucherId = uid("v");
        expect(201, post("/programs/" + programId + "/vouchers", issueJson(voucherId, uscc, sector, null, faceValue)));
        return voucherId;
    }

    String redeem(String voucherId, String contractRef, String invoiceRef, String providerId, String amount) {
        String redemptionId = uid("r");
        expect(
                201,
                post(
                        "/vouchers/" + voucherId + "/compute-redemptions",
                        computeRedemptionJson(redemptionId, contractRef, invoiceRef, providerId, amount)));
        return redemptionId;
    }

    String grant(String programId, String personRef, String startMonth, String monthlyRent) {
        String grantId = uid("g");
        expect(
                201,
                post(
                        "/programs/" + programId + "/housing-grants",
                        grantJson(grantId, personRef, startMonth, monthlyRent)));
        return grantId;
    }

    // ================================================================ HTTP

    /** A request: method, path (under {@value #API} unless it starts with another root), body, header pairs. */
    record Call(String method, String path, String body, Map<String, String> headers) {}

    record Reply(String request, int status, HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The Content-Type without its parameters. */
        String mediaType() {
            String type = header("Content-Type");
            return type == null ? null : type.split(";")[0].trim().toLowerCase();
        }

        JsonNode json() {
            return parse(body);
        }

        String describe() {
            return request + " -> " + status + " " + body;
        }
    }

    static Call postCall(String path, String body, String... headers) {
        return new Call("POST", API + path, body, pairs(headers));
    }

    static Call getCall(String path) {
        return new Call("GET", API + path, null, Map.of());
    }

    Reply post(String path, String body, String... headers) {
        return send(postCall(path, body, headers));
    }

    Reply get(String path) {
        return send(getCall(path));
    }

    Reply getLocation(Reply created) {
        String location = created.header("Location");
        assertThat(location).as("Location of %s", created.describe()).isNotNull();
        return send(new Call("GET", URI.create(base).resolve(location).getRawPath(), null, Map.of()));
    }

    Reply send(Call call) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + call.path())).timeout(Duration.ofSeconds(30));
        if (call.body() != null) {
            request.header("Content-Type", "application/json")
                    .method(call.method(), HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
        } else {
            request.method(call.method(), HttpRequest.BodyPublishers.noBody());
        }
        if (call.headers().keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
            request.header("Authorization", NATIONAL_BASIC);
        }
        call.headers().forEach(request::header);
        String described = call.method() + " " + call.path() + (call.body() == null ? "" : " " + call.body());
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(described, response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + described, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + described, e);
        }
    }

    static Reply expect(int status, Reply reply) {
        assertThat(reply.status()).as(reply.describe()).isEqualTo(status);
        assertThat(reply.mediaType()).as("Content-Type of %s", reply.describe()).isEqualTo("application/json");
        return reply;
    }

    private static Map<String, String> pairs(String... headers) {
        assertThat(headers.length % 2).as("header names and values in pairs").isZero();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return map;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    @Test
    void theUsccFixtureAgreesWithSpecsExample() {
        // SPEC §1's example beneficiary id, so the fixture's USCCs are checked by an independent computation.
        assertThat(UsccCheck.of("91330100481998296")).isEqualTo('B');
    }
}
