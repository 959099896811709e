package org.subsidyledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.LedgerApplication;
import org.subsidyledger.api.store.SealWriter;
import org.subsidyledger.api.support.PostgresDatabase;
import org.subsidyledger.core.shared.Uscc;

/**
 * One ledger with its web server on a PostgreSQL database, for the audit tests: HTTP as the national user or any
 * other, the commands of a small history, the export, both verifiers, and SQL as an attacker with superuser rights.
 */
final class AuditNode implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger IDS = new AtomicInteger();

    final ConfigurableApplicationContext context;
    final JdbcTemplate jdbc;
    final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private AuditNode(ConfigurableApplicationContext context) {
        this.context = context;
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.base = URI.create("http://127.0.0.1:"
                + ((ServletWebServerApplicationContext) context).getWebServer().getPort());
    }

    static AuditNode start(String database, Clock clock) {
        return start(clock, "--spring.profiles.active=postgres", "--LEDGER_DB_URL=" + PostgresDatabase.url(database));
    }

    /** A node on an embedded H2 file in {@code directory} (the default store). */
    static AuditNode startH2(Path directory, Clock clock, String... extra) {
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=jdbc:h2:file:"
                + directory.resolve("ledger").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000"));
        args.addAll(List.of(extra));
        return start(clock, args.toArray(String[]::new));
    }

    private static AuditNode start(Clock clock, String... database) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--ledger.expiry.enabled=false",
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(database));
        return new AuditNode(new SpringApplicationBuilder(LedgerApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .run(args.toArray(String[]::new)));
    }

    // ---------------------------------------------------------------- HTTP

    record Reply(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        List<JsonNode> lines() {
            return body.lines()
                    .filter(l -> !l.isBlank())
                    .map(l -> {
                        try {
                            return JSON.readTree(l);
                        } catch (IOException e) {
                            throw new AssertionError("not an NDJSON line: " + l, e);
                        }
                    })
                    .toList();
        }
    }

    Reply get(String path) {
        return get(path, "national");
    }

    Reply get(String path, String user) {
        return send(HttpRequest.newBuilder(base.resolve("/api/v1" + path)).GET(), user);
    }

    Reply post(String path, String json) {
        return send(
                HttpRequest.newBuilder(base.resolve("/api/v1" + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)),
                "national");
    }

    JsonNode expect(int status, Reply reply) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
        return reply.contentType() != null && reply.contentType().contains("json") ? reply.json() : null;
    }

    private Reply send(HttpRequest.Builder request, String user) {
        request.header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(120));
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new AssertionError("HTTP to " + base + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- a history

    /** The figures lines of the offline verifier's report: "  CN-ZJ CNY appropriated=… available=…". */
    private static final Pattern FIGURES = Pattern.compile(
            "^  (\\S+) (\\S+) appropriated=(\\S+) committed=(\\S+) disbursed=(\\S+) paid=(\\S+) payable=(\\S+)"
                    + " released=(\\S+) available=(\\S+)(?: clawbackDue=\\S+)?$",
            Pattern.MULTILINE);

    static final List<String> FIGURE_FIELDS =
            List.of("appropriated", "committed", "disbursed", "paid", "payable", "released", "available");

    /** The offline report's figures by "province currency". */
    static Map<String, Map<String, String>> offlineFigures(String report) {
        Map<String, Map<String, String>> all = new TreeMap<>();
        Matcher m = FIGURES.matcher(report);
        while (m.find()) {
            Map<String, String> f = new TreeMap<>();
            for (int i = 0; i < FIGURE_FIELDS.size(); i++) {
                f.put(FIGURE_FIELDS.get(i), m.group(3 + i));
            }
            all.put(m.group(1) + " " + m.group(2), f);
        }
        return all;
    }

    static String uid(String prefix) {
        return prefix + "-" + IDS.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    static String uscc() {
        String first17 = "91330100" + String.format("%09d", IDS.incrementAndGet() + 700_000);
        return first17 + Uscc.checkCharacter(first17);
    }

    static String money(String amount) {
        return "{\"amount\":\"" + amount + "\",\"currency\":\"CNY\"}";
    }

    /** A compute-voucher program in {@code province}, appropriated; returns its id. */
    String launchCompute(String province, String appropriation) {
        String programId = uid("prog");
        expect(
                201,
                post(
                        "/programs",
                        "{\"programId\":\"" + programId + "\",\"name\":\"Compute " + programId
                                + "\",\"kind\":\"COMPUTE_VOUCHER\",\"province\":\"" + province
                                + "\",\"city\":\"Hangzhou\","
                                + "\"currency\":\"CNY\",\"rules\":{\"coverageRatio\":\"0.30\",\"maxVoucherValue\":"
                                + money("8000000.00") + ",\"capPerBeneficiaryPerYear\":" + money("8000000.00")
                                + ",\"validityDays\":365,\"eligibleSectors\":[\"software\",\"healthcare\"],"
                                + "\"payee\":\"BENEFICIARY\"}}"));
        expect(
                200,
                post(
                        "/programs/" + programId + "/appropriations",
                        "{\"amount\":" + money(appropriation) + ",\"reference\":\"ref-" + programId + "\"}"));
        return programId;
    }

    String accreditCompute() {
        String providerId = uid("prov");
        expect(
                201,
                post(
                        "/providers",
                        "{\"providerId\":\"" + providerId + "\",\"name\":\"Provider " + providerId + "\",\"id\":\""
                                + uscc() + "\",\"kind\":\"COMPUTE\"}"));
        return providerId;
    }

    String issue(String programId, String faceValue) {
        String voucherId = uid("v");
        String firm = uscc();
        expect(
                201,
                post(
                        "/programs/" + programId + "/vouchers",
                        "{\"voucherId\":\"" + voucherId
                                + "\",\"beneficiary\":{\"id\":\"" + firm + "\",\"name\":\"Firm " + firm
                                + "\",\"sector\":\"software\"},\"faceValue\":" + money(faceValue) + "}"));
        return voucherId;
    }

    String redeem(String voucherId, String providerId, String invoiceAmount) {
        String redemptionId = uid("r");
        expect(
                201,
                post(
                        "/vouchers/" + voucherId + "/compute-redemptions",
                        "{\"redemptionId\":\"" + redemptionId
                                + "\",\"contractRef\":\"c-" + redemptionId + "\",\"invoiceRef\":\"i-" + redemptionId
                                + "\",\"providerId\":\"" + providerId + "\",\"invoiceAmount\":" + money(invoiceAmount)
                                + "}"));
        return redemptionId;
    }

    boolean seal() {
        return context.getBean(SealWriter.class).seal(SealWriter.Trigger.ON_DEMAND);
    }

    // ---------------------------------------------------------------- audit

    JsonNode verify() {
        return expect(200, get("/audit/verify"));
    }

    /** {@code GET /audit/verify?anchor=…} with each anchor. */
    JsonNode verify(String... anchors) {
        StringBuilder query = new StringBuilder();
        for (String anchor : anchors) {
            query.append(query.length() == 0 ? "?" : "&").append("anchor=").append(anchor);
        }
        return expect(200, get("/audit/verify" + query));
    }

    /** The full export, written to a file as an auditor would save it. */
    Path export(Path directory) throws IOException {
        Reply reply = get("/audit/events");
        assertThat(reply.status()).as("export: %s", reply.body()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/x-ndjson");
        Path file = Files.createTempFile(directory, "export-", ".ndjson");
        Files.writeString(file, reply.body(), StandardCharsets.UTF_8);
        return file;
    }

    /** The offline verifier on a file: exit status and what it printed. */
    static Offline verifyOffline(Path file, String... options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[options.length + 1];
        args[0] = file.toString();
        System.arraycopy(options, 0, args, 1, options.length);
        int status = VerifyCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Offline(status, out.toString(), err.toString());
    }

    record Offline(int status, String out, String err) {}

    /** Global index of the first entry of an aggregate with the given event type. */
    long indexOf(String aggregateId, String eventType) {
        Long index = jdbc.queryForObject(
                "SELECT MIN(global_index) FROM domain_event_entry WHERE aggregate_identifier"
                        + " = ? AND payload_type LIKE ?",
                Long.class,
                aggregateId,
                "%" + eventType);
        assertThat(index).as("%s of %s", eventType, aggregateId).isNotNull();
        return index;
    }

    @Override
    public void close() {
        context.close();
    }
}
