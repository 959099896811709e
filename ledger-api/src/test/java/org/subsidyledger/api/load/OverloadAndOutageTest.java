package org.subsidyledger.api.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.api.load.LoadSupport.appropriation;
import static org.subsidyledger.api.load.LoadSupport.assertProblem;
import static org.subsidyledger.api.load.LoadSupport.computeProgram;
import static org.subsidyledger.api.load.LoadSupport.countWhere;
import static org.subsidyledger.api.load.LoadSupport.expect;
import static org.subsidyledger.api.load.LoadSupport.issue;
import static org.subsidyledger.api.load.LoadSupport.race;
import static org.subsidyledger.api.load.LoadSupport.uscc;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.subsidyledger.api.load.LoadSupport.Database;
import org.subsidyledger.api.load.LoadSupport.Node;
import org.subsidyledger.api.load.LoadSupport.Response;
import org.subsidyledger.api.support.MutableClock;

/**
 * Issue 11 on one node with a small pool and room for one command at a time: a saturated ledger answers
 * {@code 503 OVERLOADED} with {@code Retry-After} quickly, never 500, and appends nothing for those requests; a
 * database that cannot be reached gives 503s and a health that is not UP, and the ledger recovers by itself when the
 * database is back; the load metrics are exposed with values that match what happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OverloadAndOutageTest {
    private static final String PROGRAM = "overload-p";
    private static final Duration QUICK = Duration.ofSeconds(5);

    @TempDir
    static Path keys;

    private Database db;
    private Node node;
    private String auth;
    private int sequence;

    @BeforeAll
    void start() {
        BearerTokens tokens = new BearerTokens();
        auth = tokens.nationalAdmin();
        db = Database.create("ledger_overload");
        node = Node.start(
                db,
                new MutableClock(LoadSupport.START),
                tokens.publicKeySetting(keys),
                "--spring.datasource.hikari.maximum-pool-size=4",
                "--ledger.admission.max-concurrent=1",
                "--ledger.admission.max-wait=200ms",
                "--ledger.audit.seal.scheduled=true",
                "--ledger.audit.seal.every-events=3",
                "--ledger.audit.seal.check-interval=200ms");
        expect(post("/api/v1/programs", computeProgram(PROGRAM, "CN-ZJ", 365)), 201, "launch");
        expect(
                post("/api/v1/programs/" + PROGRAM + "/appropriations", appropriation("1000000.00", "line-1")),
                200,
                "appropriate");
    }

    @AfterAll
    void stop() {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            if (db != null) {
                admin("ALTER DATABASE " + db.name + " ALLOW_CONNECTIONS true");
                db.close();
            }
        }
    }

    @Test
    @Order(1)
    void aSaturatedLedgerAnswers503OverloadedWithRetryAfterQuicklyAndAppendsNothing() throws Exception {
        long before = db.eventCount();
        List<String> vouchers = new ArrayList<>();
        List<Callable<Timed>> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String voucher = nextVoucher();
            vouchers.add(voucher);
            requests.add(() -> timed(() -> post(
                    "/api/v1/programs/" + PROGRAM + "/vouchers",
                    issue(voucher, uscc("91330100MA3C", sequence), "1000.00"))));
        }
        requests.add(() -> timed(() -> get("/api/v1/programs/" + PROGRAM)));
        List<Timed> answers;
        // An operator's lock on the event table (a slow database): the one admitted command waits for it until
        // PostgreSQL's lock_timeout, every other command is refused at admission at once.
        try (Connection operator = db.connect();
                Statement statement = operator.createStatement()) {
            operator.setAutoCommit(false);
            statement.execute("LOCK TABLE domain_event_entry IN ACCESS EXCLUSIVE MODE");
            answers = race(requests, Duration.ofSeconds(30));
            operator.rollback();
        }
        for (Timed answer : answers) {
            assertThat(answer.response().status())
                    .as("a saturated ledger answers 503: %s", answer.response())
                    .isEqualTo(503);
            assertThat(assertProblem(answer.response(), "saturated")).isEqualTo("OVERLOADED");
            assertThat(answer.took())
                    .as("answered quickly: %s", answer.response())
                    .isLessThan(QUICK);
        }
        assertThat(db.eventCount())
                .as("nothing appended for the refused requests")
                .isEqualTo(before);
        for (String voucher : vouchers) {
            assertThat(countWhere(db, "SELECT COUNT(*) FROM voucher_location WHERE voucher_id = ?", voucher))
                    .as("voucher %s not indexed", voucher)
                    .isZero();
        }
        // and once the lock is gone, the next command goes through
        expect(
                post(
                        "/api/v1/programs/" + PROGRAM + "/vouchers",
                        issue(nextVoucher(), uscc("91330100MA3C", sequence), "1000.00")),
                201,
                "issue after the lock");
    }

    @Test
    @Order(2)
    void anUnreachableDatabaseGives503AndHealthNotUpThenTheLedgerRecoversByItself() {
        long before = db.eventCount();
        List<String> refused = new ArrayList<>();
        // The database goes away: no new connection is accepted and every open one is cut.
        admin("ALTER DATABASE " + db.name + " ALLOW_CONNECTIONS false");
        try {
            admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.name + "'");
            for (int i = 0; i < 3; i++) {
                String voucher = nextVoucher();
                Timed answer = timed(() -> post(
                        "/api/v1/programs/" + PROGRAM + "/vouchers",
                        issue(voucher, uscc("91330100MA3C", sequence), "1000.00")));
                assertThat(answer.response().status())
                        .as("command while the database is away: %s", answer.response())
                        .isEqualTo(503);
                assertThat(assertProblem(answer.response(), "database away")).isEqualTo("OVERLOADED");
                assertThat(answer.took()).as("answered quickly").isLessThan(QUICK);
                refused.add(voucher);
            }
            Timed read = timed(() -> get("/api/v1/programs/" + PROGRAM));
            assertThat(read.response().status())
                    .as("read while the database is away: %s", read.response())
                    .isEqualTo(503);
            assertProblem(read.response(), "read, database away");

            Timed health = timed(() -> node.send(
                    HttpRequest.newBuilder(node.uri("/actuator/health")).GET()));
            assertThat(health.took()).as("health answers quickly").isLessThan(QUICK);
            JsonNode body = health.response().json();
            assertThat(body.path("status").asText()).as("health: %s", body).isIn("DOWN", "OUT_OF_SERVICE");
            assertThat(body.path("components").path("db").path("status").asText())
                    .as("db health: %s", body)
                    .isEqualTo("DOWN");
            assertThat(health.response().status()).isEqualTo(503);
        } finally {
            admin("ALTER DATABASE " + db.name + " ALLOW_CONNECTIONS true");
        }
        long back = System.nanoTime();
        String voucher = nextVoucher();
        BurstWithSealsTest.await("a command to go through again", Duration.ofSeconds(30), () -> {
            Response response = post(
                    "/api/v1/programs/" + PROGRAM + "/vouchers",
                    issue(voucher, uscc("91330100MA3C", sequence), "1000.00"));
            if (response.status() == 503) {
                return null;
            }
            return expect(response, 201, "issue after the database came back");
        });
        JsonNode health = BurstWithSealsTest.await("health UP", Duration.ofSeconds(15), () -> {
            JsonNode h = node.send(
                            HttpRequest.newBuilder(node.uri("/actuator/health")).GET())
                    .json();
            return h.path("components").path("db").path("status").asText().equals("UP") ? h : null;
        });
        System.out.printf(
                "database back: commands and health recovered in %d ms (health %s)%n",
                (System.nanoTime() - back) / 1_000_000, health.path("status").asText());
        // A seal may fall due meanwhile (the schedule runs on); of the commands, only the one after recovery counts.
        assertThat(db.events().stream()
                        .skip(before)
                        .filter(e -> !e.type().equals("LedgerSealed"))
                        .map(e -> e.type() + " " + e.aggregateId())
                        .toList())
                .as("only the command after recovery appended")
                .containsExactly("VoucherIssued overload-p");
        for (String v : refused) {
            assertThat(countWhere(db, "SELECT COUNT(*) FROM voucher_location WHERE voucher_id = ?", v))
                    .as("refused voucher %s not appended", v)
                    .isZero();
        }
    }

    @Test
    @Order(3)
    void loadMetricsAreExposedWithWhatHappened() {
        BurstWithSealsTest.await(
                "a seal",
                Duration.ofSeconds(15),
                () -> db.eventCount() > 0
                                && countWhere(
                                                db,
                                                "SELECT COUNT(*) FROM domain_event_entry WHERE aggregate_identifier ="
                                                        + " 'ledger-seal'")
                                        > 0
                        ? Boolean.TRUE
                        : null);
        Map<String, Double> metrics = BurstWithSealsTest.await("the seal age", Duration.ofSeconds(15), () -> {
            Map<String, Double> m = prometheus();
            return m.containsKey("ledger_audit_seal_age_seconds")
                            && !m.get("ledger_audit_seal_age_seconds").isNaN()
                    ? m
                    : null;
        });
        System.out.println("load metrics: "
                + metrics.entrySet().stream()
                        .filter(e ->
                                e.getKey().startsWith("ledger_") || e.getKey().startsWith("hikaricp_connections_"))
                        .toList());
        assertThat(metrics.get("ledger_requests_in_flight"))
                .as("API requests in flight now")
                .isZero();
        assertThat(metrics.get("ledger_commands_in_flight"))
                .as("commands in flight now (turns all returned)")
                .isZero();
        assertThat(metrics.get("ledger_requests_rejected_total{reason=\"admission\"}"))
                .as("refused for want of a turn (test 1)")
                .isGreaterThanOrEqualTo(7);
        assertThat(metrics.get("ledger_requests_rejected_total{reason=\"resources\"}"))
                .as("503 for a lock or an unreachable database (tests 1 and 2)")
                .isGreaterThanOrEqualTo(5);
        assertThat(metrics.get("ledger_audit_seal_age_seconds"))
                .as("seconds since the last seal")
                .isBetween(0.0, 3600.0);
        assertThat(metrics.keySet())
                .as("pool wait time, Hikari's own timer")
                .anyMatch(k -> k.startsWith("hikaricp_connections_acquire_seconds_count"));
        assertThat(metrics.keySet()).anyMatch(k -> k.startsWith("hikaricp_connections_pending"));
    }

    // ---------------------------------------------------------------- helpers

    private String nextVoucher() {
        sequence++;
        return "ov-" + sequence;
    }

    private Response post(String path, String json) {
        return node.send(HttpRequest.newBuilder(node.uri(path))
                .header("Content-Type", "application/json")
                .header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    private Response get(String path) {
        return node.send(HttpRequest.newBuilder(node.uri(path))
                .header("Authorization", auth)
                .GET());
    }

    /** Every sample of /actuator/prometheus as name{labels} → value. */
    private Map<String, Double> prometheus() {
        Response response = get("/actuator/prometheus");
        assertThat(response.status()).as("prometheus: %s", response).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*})?) (\\S+)$");
        for (String text : response.body().split("\n")) {
            Matcher m = line.matcher(text);
            if (!text.startsWith("#") && m.matches()) {
                samples.put(m.group(1).replace(",}", "}"), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    private static Timed timed(Supplier<Response> request) {
        long started = System.nanoTime();
        Response response = request.get();
        return new Timed(response, Duration.ofNanos(System.nanoTime() - started));
    }

    private record Timed(Response response, Duration took) {}

    private static void admin(String sql) {
        try (Connection connection =
                        DriverManager.getConnection(LoadSupport.SERVER + "postgres", LoadSupport.USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("admin statement failed: " + sql + ": " + e.getMessage(), e);
        }
    }
}
