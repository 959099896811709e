package org.subsidyledger.api.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.LedgerApplication;
import org.subsidyledger.api.budget.BudgetQueries;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.api.support.Processors;
import org.subsidyledger.projections.budget.ProgramFigures;

/**
 * The demo loader (SPEC §10) into a fresh ledger: the real application on a database of its own, the loader run once
 * with a fixed seed and end instant in {@link #loadDemo()}, then its history checked — its size and variety, its
 * refusal to load into a ledger that is not empty, its determinism (a second fresh store, an H2 file, gets the same
 * events with the same times), the budget identity of every program on the read side against the fold of the log,
 * Henan's program run dry, and the event history the voucher and grant views now carry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DemoLoaderContract {
    static final Instant END = Instant.parse("2026-11-28T08:00:00Z");
    static final long SEED = 4242L;
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final String NATIONAL =
            "Basic " + Base64.getEncoder().encodeToString("national:demo".getBytes(StandardCharsets.UTF_8));

    final MutableClock clock = new MutableClock(END);
    ConfigurableApplicationContext context;
    JdbcTemplate jdbc;
    String base;
    DemoReport report;
    /** The events the demo appended, as the log stores them, in log order. */
    List<Map<String, Object>> demoEvents;
    /** The global index of the demo's last event. */
    long demoHead;

    @TempDir
    static Path scratch;

    /** Creates this class's database; returns the Spring properties that point the application at it. */
    abstract Map<String, Object> openDatabase();

    abstract void closeDatabase();

    /** SQL reading a bytes column as UTF-8 text. */
    abstract String utf8(String column);

    /** Further properties of the node (Kafka on or off). */
    Map<String, Object> extraProperties() {
        return Map.of("ledger.kafka.enabled", "false");
    }

    @BeforeAll
    void loadDemo() {
        Map<String, Object> properties = new LinkedHashMap<>(openDatabase());
        properties.putAll(extraProperties());
        properties.put("server.port", "0");
        properties.put("server.address", "127.0.0.1");
        context = start(properties, true);
        jdbc = context.getBean(JdbcTemplate.class);
        base = "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port") + "/api/v1";
        report = context.getBean(DemoLoader.class).load(SEED, END);
        demoEvents = events(jdbc, utf8("payload"));
        demoHead = jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry", Long.class);
    }

    @AfterAll
    void stop() {
        try {
            if (context != null) {
                context.close();
            }
        } finally {
            closeDatabase();
        }
    }

    ConfigurableApplicationContext start(Map<String, Object> properties, boolean web) {
        Map<String, Object> all = new LinkedHashMap<>(properties);
        all.put("ledger.expiry.enabled", "false");
        all.put("spring.main.banner-mode", "off");
        all.put("axon.eventhandling.processors.budget.token-claim-interval", "200");
        all.put("ledger.processing.heartbeat-interval", "100ms");
        String[] arguments = all.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(LedgerApplication.class)
                .web(web ? WebApplicationType.SERVLET : WebApplicationType.NONE)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .run(arguments);
    }

    static List<Map<String, Object>> events(JdbcTemplate jdbc, String payloadText) {
        return jdbc.queryForList("SELECT aggregate_identifier, sequence_number, payload_type, time_stamp, "
                + payloadText + " AS payload FROM domain_event_entry ORDER BY global_index");
    }

    // ================================================================ the history

    @Test
    void appendsASubstantialHistoryOfEveryKindOverTwoYearsEndingAtTheChosenInstant() {
        assertThat(report.loaded()).as("report %s", report).isTrue();
        assertThat(report.from()).isEqualTo(END.minus(Duration.ofDays(730)));
        assertThat(report.events()).isEqualTo(demoEvents.size()).isGreaterThan(2500);
        Map<String, Long> byType = new TreeMap<>();
        for (Map<String, Object> e : demoEvents) {
            String type = (String) e.get("payload_type");
            byType.merge(type.substring(type.lastIndexOf('$') + 1), 1L, Long::sum);
        }
        assertThat(byType)
                .as("events by type")
                .containsKeys(
                        "ProgramLaunched",
                        "FundsAppropriated",
                        "FundsRescinded",
                        "ProgramClosed",
                        "ProviderAccredited",
                        "ProviderAccreditationWithdrawn",
                        "ModelRegistered",
                        "ModelDeregistered",
                        "VoucherIssued",
                        "ComputeRedeemed",
                        "ModelAccessRedeemed",
                        "RedemptionSettled",
                        "VoucherRevoked",
                        "VoucherExpired",
                        "HousingSubsidyGranted",
                        "HousingSubsidyPaid",
                        "HousingMonthsLapsed",
                        "HousingGrantTerminated",
                        "ApprovalRequested",
                        "ApprovalGranted",
                        "ApprovalRejected");
        assertThat(byType.get("ProgramLaunched")).isEqualTo(11);
        assertThat(byType.get("VoucherIssued")).isGreaterThan(400);
        assertThat(byType.get("ComputeRedeemed") + byType.get("ModelAccessRedeemed"))
                .isGreaterThan(500);
        assertThat(byType.get("VoucherExpired")).isGreaterThan(50);
        assertThat(byType.get("HousingSubsidyPaid")).isGreaterThan(500);
        // every event time lies within the two years, in log order
        Instant previous = report.from();
        for (Map<String, Object> e : demoEvents) {
            Instant at = Instant.parse((String) e.get("time_stamp"));
            assertThat(at).as("event time").isAfterOrEqualTo(previous).isBeforeOrEqualTo(END);
            previous = at;
        }
        assertThat(Instant.parse((String) demoEvents.get(0).get("time_stamp")))
                .isBefore(END.minus(Duration.ofDays(720)));
        assertThat(report.rejected()).as("rejections by code").containsKeys("BUDGET_EXCEEDED", "PROGRAM_CLOSED");
        assertThat(report.duration()).as("load time").isLessThan(Duration.ofSeconds(120));
        // every event names the demo (or the ledger's own sweep) as its principal
        List<String> principals = jdbc
                .queryForList(
                        "SELECT DISTINCT " + utf8("meta_data") + " FROM domain_event_entry WHERE global_index <= ?",
                        String.class,
                        demoHead)
                .stream()
                .map(m -> read(m).path("principal").asText())
                .distinct()
                .sorted()
                .toList();
        assertThat(principals)
                .as("the maker, the checker of four eyes, the sweeps")
                .containsExactly("demo", "demo-checker", "system");
    }

    @Test
    void refusesToLoadIntoALedgerThatIsNotEmpty() {
        long before = count();
        DemoReport again = context.getBean(DemoLoader.class).load(SEED, END);
        assertThat(again.loaded()).isFalse();
        assertThat(again.refusal()).contains("not empty");
        assertThat(count()).as("events after the refused load").isEqualTo(before);
        assertThat(context.getBean(DemoLoader.class)
                        .load(SEED, END.plusSeconds(3600 * 24 * 365))
                        .loaded())
                .as("an end in the future")
                .isFalse();
        assertThat(count()).isEqualTo(before);
    }

    // ================================================================ the read side

    @Test
    void theBudgetIdentityHoldsOnTheReadSideForEveryProgramAndEqualsTheFold() {
        awaitProcessor("budget");
        Map<String, BigDecimal> issued = new HashMap<>();
        for (Map<String, Object> e : events(jdbc, utf8("payload"))) {
            String type = (String) e.get("payload_type");
            JsonNode payload = read((String) e.get("payload"));
            if (type.endsWith("$VoucherIssued")) {
                issued.merge(payload.path("programId").asText(), amount(payload.path("faceValue")), BigDecimal::add);
            } else if (type.endsWith("$HousingSubsidyGranted")) {
                issued.merge(payload.path("programId").asText(), amount(payload.path("committed")), BigDecimal::add);
            }
        }
        BudgetQueries queries = context.getBean(BudgetQueries.class);
        int programs = 0;
        for (JsonNode province : getOk("/provinces").path("provinces")) {
            String code = province.path("province").asText();
            JsonNode live = getOk("/provinces/" + code + "/budget");
            assertThat(live).as("budget of %s", code).isEqualTo(getOk("/provinces/" + code + "/budget?asOf=" + END));
            Map<String, ProgramFigures> folded = new HashMap<>();
            queries.foldAsOf(code, END)
                    .programs()
                    .forEach(p -> folded.put(p.program().programId().value(), p));
            for (JsonNode item : getOk("/programs?province=" + code).path("programs")) {
                programs++;
                String id = item.path("programId").asText();
                JsonNode f = item.path("figures");
                BigDecimal committed = new BigDecimal(f.path("committed").asText());
                BigDecimal disbursed = new BigDecimal(f.path("disbursed").asText());
                BigDecimal released = new BigDecimal(f.path("released").asText());
                assertThat(committed.add(disbursed).add(released))
                        .as("identity of %s", id)
                        .isEqualByComparingTo(issued.getOrDefault(id, BigDecimal.ZERO));
                assertThat(new BigDecimal(f.path("available").asText()))
                        .as("available of %s", id)
                        .isEqualByComparingTo(
                                new BigDecimal(f.path("appropriated").asText())
                                        .subtract(committed)
                                        .subtract(disbursed));
                assertThat(getOk("/programs/" + id).path("figures"))
                        .as("aggregate figures of %s", id)
                        .isEqualTo(f);
                ProgramFigures fold = folded.get(id);
                assertThat(fold).as("fold of %s", id).isNotNull();
                assertThat(fold.figures().committed().amount()).isEqualByComparingTo(committed);
                assertThat(fold.figures().disbursed().amount()).isEqualByComparingTo(disbursed);
                assertThat(fold.figures().released().amount()).isEqualByComparingTo(released);
                assertThat(fold.figures().paid().amount())
                        .isEqualByComparingTo(f.path("paid").asText());
                assertThat(fold.figures().appropriated().amount())
                        .isEqualByComparingTo(f.path("appropriated").asText());
            }
        }
        assertThat(programs).isGreaterThanOrEqualTo(11);
    }

    @Test
    void henanRunsDryAndBeijingIsClosed() {
        JsonNode henan = getOk("/programs/ha-compute-2025");
        BigDecimal appropriated =
                new BigDecimal(henan.at("/figures/appropriated").asText());
        BigDecimal available = new BigDecimal(henan.at("/figures/available").asText());
        assertThat(available.divide(appropriated, 4, RoundingMode.HALF_UP))
                .as("share of Henan's appropriation still available")
                .isLessThan(new BigDecimal("0.05"));
        assertThat(report.rejected().get("BUDGET_EXCEEDED")).isPositive();
        assertThat(getOk("/programs/bj-compute-2025").path("status").asText()).isEqualTo("CLOSED");
        JsonNode shModel = getOk("/programs/sh-model-2025");
        assertThat(shModel.at("/figures/appropriated").asText())
                .as("Shanghai models after the rescission")
                .isEqualTo("410000000.00");
    }

    /**
     * Four eyes in the demo: Hangzhou's and Zhuhai's large commitments were approved by a second person during the
     * history, and at its end one request waits for approval and one was rejected.
     */
    @Test
    void theDemoShowsApprovedPendingAndRejectedRequests() {
        JsonNode pending = getOk("/approvals?status=PENDING");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).path("action").asText()).isEqualTo("AppropriateFunds");
        assertThat(pending.get(0).path("maker").asText()).isEqualTo("demo");
        assertThat(pending.get(0).path("programId").asText()).isEqualTo("zj-hangzhou-compute-2026");
        JsonNode rejected = getOk("/approvals?status=REJECTED");
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).path("checker").asText()).isEqualTo(DemoLoader.CHECKER);
        JsonNode approved = getOk("/approvals?status=APPROVED");
        assertThat(approved.size()).isPositive();
        approved.forEach(a -> assertThat(a.path("checker").asText()).isEqualTo(DemoLoader.CHECKER));
        assertThat(getOk("/programs/zj-hangzhou-compute-2026")
                        .path("pendingApprovals")
                        .asInt())
                .isEqualTo(1);
        assertThat(getOk("/programs/zj-hangzhou-compute-2026")
                        .at("/rules/approvalThreshold/amount")
                        .asText())
                .isEqualTo("5000000.00");
    }

    // ================================================================ views with their history

    @Test
    void aVoucherViewListsEveryEventOfTheVoucherInOrder() {
        String voucher = someEntity("$VoucherExpired", "voucherId");
        JsonNode view = getOk("/vouchers/" + voucher);
        assertThat(view.path("status").asText()).isEqualTo("EXPIRED");
        JsonNode history = view.path("history");
        List<Map<String, Object>> own = jdbc.queryForList(
                "SELECT global_index, sequence_number, payload_type," + " time_stamp FROM domain_event_entry WHERE "
                        + utf8("payload") + " LIKE ? ORDER BY global_index",
                "%\"voucherId\":\"" + voucher + "\"%");
        assertThat(history).hasSize(own.size());
        for (int i = 0; i < own.size(); i++) {
            JsonNode entry = history.get(i);
            assertThat(entry.path("globalIndex").asLong())
                    .isEqualTo(((Number) own.get(i).get("global_index")).longValue());
            assertThat(entry.path("sequence").asLong())
                    .isEqualTo(((Number) own.get(i).get("sequence_number")).longValue());
            assertThat(Instant.parse(entry.path("eventTime").asText()))
                    .isEqualTo(Instant.parse((String) own.get(i).get("time_stamp")));
            assertThat((String) own.get(i).get("payload_type"))
                    .endsWith("$" + entry.path("type").asText());
        }
        assertThat(history.get(0).path("type").asText()).isEqualTo("VoucherIssued");
        assertThat(history.get(0).path("principal").asText()).isEqualTo("demo");
        assertThat(history.get(0).at("/data/faceValue/amount").asText())
                .isEqualTo(view.at("/faceValue/amount").asText());
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.path("type").asText()).isEqualTo("VoucherExpired");
        assertThat(last.path("principal").asText()).isEqualTo("system");
        assertThat(last.at("/data/released/amount").asText())
                .isEqualTo(view.at("/released/amount").asText());
        assertThat(last.path("data").has("programId"))
                .as("fields the view shows once")
                .isFalse();
    }

    @Test
    void aTerminatedGrantViewListsTheGrantItsPaymentsLapsesAndTermination() {
        String grant = someEntity("$HousingGrantTerminated", "grantId");
        JsonNode view = getOk("/housing-grants/" + grant);
        assertThat(view.path("status").asText()).isEqualTo("TERMINATED");
        assertThat(view.path("schedule"))
                .as("the month-by-month schedule stays")
                .hasSizeGreaterThanOrEqualTo(12);
        List<String> types = new ArrayList<>();
        view.path("history").forEach(e -> types.add(e.path("type").asText()));
        assertThat(types.get(0)).isEqualTo("HousingSubsidyGranted");
        assertThat(types).contains("HousingGrantTerminated");
        Long own = jdbc.queryForObject(
                "SELECT COUNT(*) FROM domain_event_entry WHERE " + utf8("payload") + " LIKE ?",
                Long.class,
                "%\"grantId\":\"" + grant + "\"%");
        assertThat((long) types.size()).isEqualTo(own);
        JsonNode termination = view.path("history").get(types.indexOf("HousingGrantTerminated"));
        assertThat(termination.at("/data/reason").asText()).isNotBlank();
        assertThat(termination.at("/data/effectiveMonth").asText())
                .isEqualTo(view.path("effectiveMonth").asText());
    }

    // ================================================================ projections: list, lag, refusals

    @Test
    void listsTheProcessorsWithTheirPositionHeadAndLag() {
        awaitProcessor("budget");
        long head = jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry", Long.class);
        // The listing reads the stored tokens, which a pooled processor's quiet segments store only every few
        // seconds: ask again (bounded) until they show the position the processor already reached.
        Map<String, JsonNode> byName = new HashMap<>();
        JsonNode listing;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            listing = getOk("/admin/projections");
            byName.clear();
            listing.path("processors").forEach(p -> byName.put(p.path("name").asText(), p));
            if (byName.get("budget").path("position").asLong() == head) {
                break;
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(listing.path("head").asLong()).isEqualTo(head);
        JsonNode budget = byName.get("budget");
        assertThat(budget.path("mode").asText()).isEqualTo("pooled");
        assertThat(budget.path("replayable").asBoolean()).isTrue();
        assertThat(budget.path("running").asBoolean()).isTrue();
        assertThat(budget.path("replaying").asBoolean()).isFalse();
        assertThat(budget.path("position").asLong()).isEqualTo(head);
        assertThat(budget.path("lag").asLong()).isZero();
        assertThat(budget.path("segmentsHere")).hasSize(4);
        JsonNode index = byName.get("ledger-index");
        assertThat(index.path("mode").asText()).isEqualTo("subscribing");
        assertThat(index.path("replayable").asBoolean()).isFalse();
        assertThat(index.path("refusal").asText()).contains("subscribing");
        Gauge gauge = context.getBean(MeterRegistry.class)
                .find("ledger.processor.lag")
                .tag("processor", "budget")
                .gauge();
        assertThat(gauge).as("the lag gauge of the budget processor").isNotNull();
        assertThat(gauge.value()).isZero();
    }

    @Test
    void refusesToReplayASubscribingOrUnknownProcessorAndChangesNothing() {
        long before = count();
        Answer index = send("POST", "/admin/projections/ledger-index/replay", null);
        assertThat(index.status()).isEqualTo(409);
        assertThat(index.contentType()).startsWith("application/problem+json");
        assertThat(index.body().path("code").asText()).isEqualTo("REPLAY_REFUSED");
        assertThat(index.body().path("detail").asText()).contains("subscribing");
        Answer unknown = send("POST", "/admin/projections/no-such-projection/replay", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(count()).isEqualTo(before);
    }

    private String someEntity(String typeSuffix, String field) {
        for (Map<String, Object> e : demoEvents) {
            if (((String) e.get("payload_type")).endsWith(typeSuffix)) {
                return read((String) e.get("payload")).path(field).asText();
            }
        }
        throw new AssertionError("the demo appended no " + typeSuffix);
    }

    // ================================================================ helpers

    long count() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        return n == null ? 0 : n;
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static BigDecimal amount(JsonNode money) {
        return new BigDecimal(money.path("amount").asText());
    }

    record Answer(int status, String contentType, JsonNode body) {}

    Answer send(String method, String path, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", NATIONAL)
                    .timeout(Duration.ofSeconds(60));
            request = body == null
                    ? request.method(method, HttpRequest.BodyPublishers.noBody())
                    : request.header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body().isEmpty() ? null : JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    JsonNode getOk(String path) {
        Answer answer = send("GET", path, null);
        if (answer.status() != 200) {
            fail("GET " + path + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    /** Waits (bounded) until every segment of the processor on this node has reached the head of the log. */
    void awaitProcessor(String name) {
        Processors.awaitReplayed(Duration.ofSeconds(90), name, context);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
