package org.subsidyledger.api.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.subsidyledger.api.LedgerApplication;
import org.subsidyledger.core.shared.Uscc;

/**
 * What the load, restart and hostile-input tests share: a fresh PostgreSQL database, ledger nodes started as real
 * Spring Boot applications on a random HTTP port, an HTTP client speaking JSON strings, and an independent reading of
 * the log ({@code domain_event_entry}) that recomputes SPEC §4's figures from the stored JSON alone.
 */
final class LoadSupport {

    /** Security is on (SPEC §9): every request authenticates as the national user unless it says otherwise. */
    static final String NATIONAL_BASIC =
            "Basic " + Base64.getEncoder().encodeToString("national:demo".getBytes(StandardCharsets.UTF_8));

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String USER = "postgres";
    static final Instant START = Instant.parse("2026-03-10T02:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    /** SPEC §3's rejection codes with the HTTP status SPEC gives each. */
    static final Map<String, Integer> SPEC_CODES = specCodes();

    private LoadSupport() {}

    private static Map<String, Integer> specCodes() {
        Map<String, Integer> codes = new LinkedHashMap<>();
        codes.put("VALIDATION_FAILED", 400);
        codes.put("UNAUTHENTICATED", 401);
        codes.put("FORBIDDEN", 403);
        codes.put("NOT_FOUND", 404);
        for (String c : List.of("IDEMPOTENCY_CONFLICT", "IDEMPOTENCY_IN_PROGRESS", "ALREADY_EXISTS")) {
            codes.put(c, 409);
        }
        codes.put("OVERLOADED", 503);
        for (String c : List.of(
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
                "SUBSIDY_ROUNDS_TO_ZERO")) {
            codes.put(c, 422);
        }
        return Map.copyOf(codes);
    }

    // ---------------------------------------------------------------- PostgreSQL

    /** A database of its own on the local PostgreSQL server, dropped on close. Unreachable server: the test fails. */
    static final class Database implements AutoCloseable {
        final String name;

        private Database(String name) {
            this.name = name;
        }

        static Database create(String prefix) {
            String name =
                    prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            admin("CREATE DATABASE " + name);
            return new Database(name);
        }

        String url() {
            return SERVER + name;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url(), USER, "");
        }

        long eventCount() {
            return countWhere(this, "SELECT COUNT(*) FROM domain_event_entry");
        }

        /** Every stored event, in global-index order, with its payload parsed as JSON. */
        List<StoredEvent> events() {
            List<StoredEvent> events = new ArrayList<>();
            try (Connection c = connect();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT global_index, aggregate_identifier, sequence_number,"
                            + " payload_type, convert_from(payload, 'UTF8') AS payload FROM domain_event_entry"
                            + " ORDER BY global_index")) {
                while (rs.next()) {
                    String type = rs.getString("payload_type");
                    String simple = type.substring(Math.max(type.lastIndexOf('.'), type.lastIndexOf('$')) + 1);
                    events.add(new StoredEvent(
                            rs.getLong("global_index"),
                            rs.getString("aggregate_identifier"),
                            rs.getLong("sequence_number"),
                            simple,
                            JSON.readTree(rs.getString("payload"))));
                }
            } catch (SQLException | IOException e) {
                throw new AssertionError("could not read domain_event_entry: " + e.getMessage(), e);
            }
            return events;
        }

        @Override
        public void close() {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }

        private static void admin(String sql) {
            try (Connection connection = DriverManager.getConnection(SERVER + "postgres", USER, "");
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                fail(
                        "PostgreSQL is required at 127.0.0.1:5432 (user postgres, trust auth) and could not be used: "
                                + e.getMessage()
                                + ". Start it with `pg_ctlcluster --skip-systemctl-redirect <version> main"
                                + " start` (.ci/run does this) and run the tests again.",
                        e);
            }
        }
    }

    /** A row of domain_event_entry: its place in the log and its payload as the JSON an auditor reads. */
    record StoredEvent(long globalIndex, String aggregateId, long sequence, String type, JsonNode payload) {
        String text(String field) {
            JsonNode node = payload.get(field);
            return node == null || node.isNull() ? null : node.asText();
        }

        BigDecimal money(String field) {
            JsonNode node = payload.get(field);
            assertThat(node).as("%s.%s in %s", type, field, payload).isNotNull();
            return new BigDecimal(node.get("amount").asText());
        }
    }

    /** Runs a counting query on the test database, with parameters. */
    static long countWhere(Database db, String sql, Object... params) {
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError("query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- clock

    // ---------------------------------------------------------------- nodes and HTTP

    /** One running ledger: the Spring Boot application on a random port, on a given database and clock. */
    static final class Node implements AutoCloseable {
        final ConfigurableApplicationContext context;
        final URI base;
        final HttpClient http;

        private Node(ConfigurableApplicationContext context) {
            this.context = context;
            int port = ((ServletWebServerApplicationContext) context)
                    .getWebServer()
                    .getPort();
            this.base = URI.create("http://127.0.0.1:" + port);
            this.http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
        }

        /** Starts the application as an operator would, with settings as command-line arguments. */
        static Node start(Database database, Clock clock, String... extra) {
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=0",
                    "--spring.profiles.active=postgres",
                    "--LEDGER_DB_URL=" + database.url(),
                    "--LEDGER_DB_USER=" + USER,
                    // the scheduled sweep stays out of the way; the sweep on start is what the tests look at
                    "--ledger.expiry.interval=1h",
                    "--spring.main.banner-mode=off"));
            args.addAll(List.of(extra));
            long started = System.nanoTime();
            ConfigurableApplicationContext context = new SpringApplicationBuilder(LedgerApplication.class)
                    .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                    .run(args.toArray(String[]::new));
            Node node = new Node(context);
            System.out.printf(
                    "ledger node %s on %s started in %d ms%n",
                    node.base, database.name, (System.nanoTime() - started) / 1_000_000);
            return node;
        }

        Response post(String path, String json) {
            return send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
        }

        Response get(String path) {
            return send(HttpRequest.newBuilder(uri(path)).GET());
        }

        /** Sends a request; an I/O failure (the node went away) is thrown to the caller. */
        Response sendOrThrow(HttpRequest.Builder request) throws IOException, InterruptedException {
            HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
            if (built.headers().firstValue("Authorization").isEmpty()) {
                built = HttpRequest.newBuilder(built, (name, value) -> true)
                        .header("Authorization", NATIONAL_BASIC)
                        .build();
            }
            HttpResponse<String> response =
                    http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().map(), response.body());
        }

        /** Sends a request; an I/O failure fails the test. */
        Response send(HttpRequest.Builder request) {
            try {
                return sendOrThrow(request);
            } catch (IOException e) {
                throw new AssertionError("HTTP request to " + base + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        URI uri(String path) {
            return URI.create(base + path);
        }

        @Override
        public void close() {
            long started = System.nanoTime();
            context.close();
            System.out.printf("ledger node %s stopped in %d ms%n", base, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** An HTTP answer: status, headers and body as text. */
    record Response(int status, Map<String, List<String>> headers, String body) {
        Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst();
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        @Override
        public String toString() {
            return status + " "
                    + header("Content-Type").map(t -> "[" + t + "] ").orElse("")
                    + (body.length() > 600 ? body.substring(0, 600) + "…" : body);
        }
    }

    /**
     * A refusal must be RFC 9457 problem+json with one of SPEC §3's codes, at the status SPEC gives that code; 503
     * only as OVERLOADED with Retry-After. Returns the code.
     */
    static String assertProblem(Response response, String what) {
        assertThat(response.status())
                .as("never a 5xx other than 503 OVERLOADED, %s: %s", what, response)
                .isIn(400, 401, 403, 404, 409, 422, 503);
        assertThat(response.header("Content-Type"))
                .as("content type of %s: %s", what, response)
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode body = response.json();
        for (String field : List.of("type", "title", "status", "detail", "code")) {
            assertThat(body.hasNonNull(field))
                    .as("problem field '%s' of %s: %s", field, what, response)
                    .isTrue();
        }
        String code = body.get("code").asText();
        assertThat(SPEC_CODES).as("code of %s: %s", what, response).containsKey(code);
        assertThat(response.status())
                .as("SPEC status of %s for %s: %s", code, what, response)
                .isEqualTo(SPEC_CODES.get(code));
        assertThat(body.get("status").asInt())
                .as("problem status of %s: %s", what, response)
                .isEqualTo(response.status());
        if (response.status() == 503) {
            assertThat(code).as("a 503 is OVERLOADED: %s", response).isEqualTo("OVERLOADED");
            assertThat(response.header("Retry-After"))
                    .as("Retry-After of %s: %s", what, response)
                    .isPresent();
        }
        return code;
    }

    /** Checks the status of a request that must succeed (setup) and returns its JSON body. */
    static JsonNode expect(Response response, int status, String what) {
        assertThat(response.status()).as("%s: %s", what, response).isEqualTo(status);
        return response.json();
    }

    /**
     * Runs every task at once: all threads wait at a gate that opens when each is ready. Returns the results in task
     * order; a task that throws fails the test with its exception, and the whole race is bounded by {@code timeout}.
     */
    static <T> List<T> race(List<Callable<T>> tasks, Duration timeout) {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch ready = new CountDownLatch(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    if (!go.await(30, TimeUnit.SECONDS)) {
                        throw new AssertionError("the race never started");
                    }
                    return task.call();
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("all racers ready").isTrue();
            go.countDown();
            long deadline = System.nanoTime() + timeout.toNanos();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return results;
        } catch (ExecutionException e) {
            throw new AssertionError("a racer failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the race did not finish within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- request bodies

    /** A valid USCC (GB 32100-2015 check character) whose first 17 characters end in the given number. */
    static String uscc(String prefix12, int n) {
        String first17 = prefix12 + String.format("%05d", n);
        assertThat(first17).hasSize(17);
        return first17 + Uscc.checkCharacter(first17);
    }

    static String money(String amount) {
        return "{\"amount\":\"" + amount + "\",\"currency\":\"CNY\"}";
    }

    static String computeProgram(String programId, String province, int validityDays) {
        return "{\"programId\":\"" + programId + "\",\"name\":\"Compute vouchers " + programId + "\","
                + "\"kind\":\"COMPUTE_VOUCHER\",\"province\":\"" + province + "\",\"city\":\"Hangzhou\","
                + "\"currency\":\"CNY\",\"rules\":{\"coverageRatio\":\"0.30\",\"maxVoucherValue\":"
                + money("8000000.00") + ",\"capPerBeneficiaryPerYear\":" + money("8000000.00")
                + ",\"validityDays\":" + validityDays + ",\"eligibleSectors\":[\"software\",\"healthcare\"],"
                + "\"payee\":\"BENEFICIARY\"}}";
    }

    static String housingProgram(String programId, int claimWindowMonths) {
        return "{\"programId\":\"" + programId + "\",\"name\":\"Talent housing " + programId + "\","
                + "\"kind\":\"HOUSING_SUBSIDY\",\"province\":\"CN-GD\",\"city\":\"Zhuhai\",\"currency\":\"CNY\","
                + "\"rules\":{\"schedule\":[\"1.0\",\"0.7\",\"0.5\"],\"monthlyRentCap\":" + money("5000.00")
                + ",\"capPerRecipient\":" + money("120000.00") + ",\"claimWindowMonths\":" + claimWindowMonths + "}}";
    }

    static String appropriation(String amount, String reference) {
        return "{\"amount\":" + money(amount) + ",\"reference\":\"" + reference + "\"}";
    }

    static String provider(String providerId, String uscc, String kind, String group) {
        return "{\"providerId\":\"" + providerId + "\",\"name\":\"Provider " + providerId + "\",\"id\":\"" + uscc
                + "\",\"kind\":\"" + kind + "\"" + (group == null ? "" : ",\"group\":\"" + group + "\"") + "}";
    }

    static String issue(String voucherId, String beneficiaryUscc, String faceValue) {
        return "{\"voucherId\":\"" + voucherId + "\",\"beneficiary\":{\"id\":\"" + beneficiaryUscc
                + "\",\"name\":\"Firm " + beneficiaryUscc + "\",\"sector\":\"software\"},\"faceValue\":"
                + money(faceValue) + "}";
    }

    static String redeem(
            String redemptionId, String contractRef, String invoiceRef, String providerId, String invoiceAmount) {
        return "{\"redemptionId\":\"" + redemptionId + "\",\"contractRef\":\"" + contractRef + "\",\"invoiceRef\":\""
                + invoiceRef + "\",\"providerId\":\"" + providerId + "\",\"invoiceAmount\":" + money(invoiceAmount)
                + "}";
    }

    // ---------------------------------------------------------------- SPEC §4 from the log

    /** SPEC §4's figures of one program, recomputed from its stored events. */
    record Figures(
            BigDecimal appropriated,
            BigDecimal committed,
            BigDecimal disbursed,
            BigDecimal paid,
            BigDecimal released,
            BigDecimal issued,
            BigDecimal granted) {
        BigDecimal available() {
            return appropriated.subtract(committed).subtract(disbursed);
        }

        /** Compares with the {@code figures} block of GET /programs/{id}. */
        void assertMatches(JsonNode view, String what) {
            JsonNode f = view.get("figures");
            assertThat(f).as("figures of %s: %s", what, view).isNotNull();
            assertAmount(f, "appropriated", appropriated, what);
            assertAmount(f, "committed", committed, what);
            assertAmount(f, "disbursed", disbursed, what);
            assertAmount(f, "paid", paid, what);
            assertAmount(f, "payable", disbursed.subtract(paid), what);
            assertAmount(f, "released", released, what);
            assertAmount(f, "available", available(), what);
        }

        private static void assertAmount(JsonNode figures, String field, BigDecimal expected, String what) {
            assertThat(new BigDecimal(figures.get(field).asText()))
                    .as("%s of %s (API %s, computed from the log %s)", field, what, figures, expected)
                    .isEqualByComparingTo(expected);
        }
    }

    /**
     * Folds a program's stream from the stored JSON alone and checks, after every event: available ≥ 0, no voucher
     * pays beyond its face value, the remaining and released amounts an event reports equal the ones computed, and
     * the budget identity Σ issued + Σ granted = committed + disbursed + released with committed counted bottom-up
     * (remaining of vouchers not ended + housing months neither paid nor released). An event type these tests do not
     * know fails the fold, so a new budget-moving event cannot slip past it.
     */
    static Figures figuresFromLog(List<StoredEvent> all, String programId) {
        List<StoredEvent> stream = all.stream()
                .filter(e -> e.aggregateId().equals(programId))
                .sorted(Comparator.comparingLong(StoredEvent::sequence))
                .toList();
        assertThat(stream).as("events of program %s", programId).isNotEmpty();
        BigDecimal appropriated = BigDecimal.ZERO;
        BigDecimal disbursed = BigDecimal.ZERO;
        BigDecimal paid = BigDecimal.ZERO;
        BigDecimal released = BigDecimal.ZERO;
        BigDecimal issued = BigDecimal.ZERO;
        BigDecimal granted = BigDecimal.ZERO;
        Map<String, BigDecimal[]> vouchers = new LinkedHashMap<>(); // id -> {face, redeemed}
        Set<String> ended = new HashSet<>();
        Map<String, BigDecimal> openMonths = new HashMap<>(); // grant|month -> committed, neither paid nor released
        for (StoredEvent e : stream) {
            String at = programId + "#" + e.sequence() + " " + e.type() + " " + e.payload();
            switch (e.type()) {
                case "ProgramLaunched", "ProgramClosed" -> {}
                case "FundsAppropriated" -> appropriated = appropriated.add(e.money("amount"));
                case "FundsRescinded" -> appropriated = appropriated.subtract(e.money("amount"));
                case "VoucherIssued" -> {
                    assertThat(vouchers).as("voucher issued twice: %s", at).doesNotContainKey(e.text("voucherId"));
                    vouchers.put(e.text("voucherId"), new BigDecimal[] {e.money("faceValue"), BigDecimal.ZERO});
                    issued = issued.add(e.money("faceValue"));
                }
                case "ComputeRedeemed", "ModelAccessRedeemed" -> {
                    BigDecimal[] v = vouchers.get(e.text("voucherId"));
                    assertThat(v).as("redemption of an unknown voucher: %s", at).isNotNull();
                    assertThat(ended)
                            .as("redemption of an ended voucher: %s", at)
                            .doesNotContain(e.text("voucherId"));
                    BigDecimal subsidy = e.money("subsidy");
                    assertThat(subsidy.signum()).as("subsidy > 0: %s", at).isPositive();
                    v[1] = v[1].add(subsidy);
                    assertThat(v[1])
                            .as("a voucher never pays beyond its face value: %s", at)
                            .isLessThanOrEqualTo(v[0]);
                    assertThat(e.money("remaining"))
                            .as("remaining reported by %s", at)
                            .isEqualByComparingTo(v[0].subtract(v[1]));
                    disbursed = disbursed.add(subsidy);
                }
                case "RedemptionSettled" -> paid = paid.add(e.money("amount"));
                case "VoucherRevoked", "VoucherExpired" -> {
                    String id = e.text("voucherId");
                    BigDecimal[] v = vouchers.get(id);
                    assertThat(v).as("end of an unknown voucher: %s", at).isNotNull();
                    assertThat(ended.add(id)).as("voucher ended twice: %s", at).isTrue();
                    assertThat(e.money("released"))
                            .as("released = unused value: %s", at)
                            .isEqualByComparingTo(v[0].subtract(v[1]));
                    released = released.add(e.money("released"));
                }
                case "HousingSubsidyGranted" -> {
                    BigDecimal sum = BigDecimal.ZERO;
                    for (JsonNode m : e.payload().get("schedule")) {
                        BigDecimal committed =
                                new BigDecimal(m.get("committed").get("amount").asText());
                        openMonths.put(e.text("grantId") + "|" + m.get("month").asText(), committed);
                        sum = sum.add(committed);
                    }
                    assertThat(e.money("committed"))
                            .as("grant committed = Σ schedule: %s", at)
                            .isEqualByComparingTo(sum);
                    granted = granted.add(sum);
                }
                case "HousingSubsidyPaid" -> {
                    BigDecimal committed = openMonths.remove(e.text("grantId") + "|" + e.text("month"));
                    assertThat(committed)
                            .as("payment of a month not open: %s", at)
                            .isNotNull();
                    assertThat(e.money("amount").add(e.money("released")))
                            .as("paid + released = committed: %s", at)
                            .isEqualByComparingTo(committed);
                    disbursed = disbursed.add(e.money("amount"));
                    paid = paid.add(e.money("amount"));
                    released = released.add(e.money("released"));
                }
                case "HousingMonthsLapsed", "HousingGrantTerminated" -> {
                    String list = e.type().equals("HousingMonthsLapsed") ? "months" : "releasedMonths";
                    BigDecimal sum = BigDecimal.ZERO;
                    for (JsonNode m : e.payload().get(list)) {
                        BigDecimal committed = openMonths.remove(
                                e.text("grantId") + "|" + m.get("month").asText());
                        assertThat(committed)
                                .as("release of a month not open (%s): %s", m, at)
                                .isNotNull();
                        BigDecimal amount =
                                new BigDecimal(m.get("released").get("amount").asText());
                        assertThat(amount)
                                .as("month released = its commitment: %s", at)
                                .isEqualByComparingTo(committed);
                        sum = sum.add(amount);
                    }
                    assertThat(e.money("released"))
                            .as("released = Σ months: %s", at)
                            .isEqualByComparingTo(sum);
                    released = released.add(sum);
                }
                default -> fail("an event type these tests do not know in a program stream: " + at);
            }
            BigDecimal committed = committed(vouchers, ended, openMonths);
            assertThat(issued.add(granted))
                    .as("budget identity Σ issued + Σ granted = committed + disbursed +" + " released after %s", at)
                    .isEqualByComparingTo(committed.add(disbursed).add(released));
            assertThat(appropriated.subtract(committed).subtract(disbursed).signum())
                    .as("available ≥ 0 after %s", at)
                    .isGreaterThanOrEqualTo(0);
        }
        return new Figures(
                appropriated, committed(vouchers, ended, openMonths), disbursed, paid, released, issued, granted);
    }

    private static BigDecimal committed(
            Map<String, BigDecimal[]> vouchers, Set<String> ended, Map<String, BigDecimal> openMonths) {
        BigDecimal committed = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal[]> v : vouchers.entrySet()) {
            if (!ended.contains(v.getKey())) {
                committed = committed.add(v.getValue()[0].subtract(v.getValue()[1]));
            }
        }
        for (BigDecimal m : openMonths.values()) {
            committed = committed.add(m);
        }
        return committed;
    }

    /** Sequence numbers of every aggregate run 0, 1, 2 … without a gap or a repeat. */
    static void assertContiguousSequences(List<StoredEvent> events) {
        Map<String, List<Long>> byAggregate = new HashMap<>();
        for (StoredEvent e : events) {
            byAggregate.computeIfAbsent(e.aggregateId(), k -> new ArrayList<>()).add(e.sequence());
        }
        byAggregate.forEach((aggregate, sequences) -> {
            List<Long> sorted = sequences.stream().sorted().toList();
            for (int i = 0; i < sorted.size(); i++) {
                assertThat(sorted.get(i))
                        .as("sequence numbers of %s: %s", aggregate, sorted)
                        .isEqualTo((long) i);
            }
        });
    }

    /** Each invoice (provider, invoiceRef) is paid once; each contract (province, provider, ref) has one voucher. */
    static void assertInvoicesAndContractsPaidOnce(List<StoredEvent> events) {
        Map<String, String> invoices = new HashMap<>();
        Map<String, String> contracts = new HashMap<>();
        for (StoredEvent e : events) {
            if (e.type().equals("ComputeRedeemed") || e.type().equals("ModelAccessRedeemed")) {
                String invoice = e.text("providerId") + "|" + e.text("invoiceRef");
                assertThat(invoices.put(invoice, e.text("redemptionId")))
                        .as("invoice %s paid twice (second: %s)", invoice, e.payload())
                        .isNull();
                String contract = e.text("province") + "|" + e.text("providerId") + "|" + e.text("contractRef");
                String previous = contracts.putIfAbsent(contract, e.text("voucherId"));
                assertThat(previous == null || previous.equals(e.text("voucherId")))
                        .as("contract %s bound to %s and %s", contract, previous, e.text("voucherId"))
                        .isTrue();
            }
        }
    }

    static long eventsOfVoucher(List<StoredEvent> events, String type, String voucherId) {
        return events.stream()
                .filter(e -> e.type().equals(type) && voucherId.equals(e.text("voucherId")))
                .count();
    }
}
