package org.subsidyledger.api.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.api.load.LoadSupport.appropriation;
import static org.subsidyledger.api.load.LoadSupport.computeProgram;
import static org.subsidyledger.api.load.LoadSupport.expect;
import static org.subsidyledger.api.load.LoadSupport.money;
import static org.subsidyledger.api.load.LoadSupport.uscc;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subsidyledger.api.load.LoadSupport.Database;
import org.subsidyledger.api.load.LoadSupport.Response;
import org.subsidyledger.api.load.LoadSupport.StoredEvent;

/**
 * The crash drill of SPEC §11 "a command under one key commits at most once under every crash timing": the packaged
 * ledger ({@code java -jar ledger-api.jar}) runs as its own OS process on PostgreSQL and dies — {@code Runtime.halt},
 * no shutdown hook, like {@code kill -9} — right after a request's command committed and before its answer was stored
 * or sent ({@code ledger.drill.halt-after-commit-key}). After a restart the client retries the same request with the
 * same key: it gets an answer showing the first outcome and the log holds the command's event once. Drilled for an
 * appropriation, a rescission and a voucher issue without a client-supplied id (run by failsafe after package).
 */
class IdempotencyCrashIT {
    private static final String PROGRAM = "crash-zj";

    @TempDir
    Path workDir;

    @Test
    void aRetryAfterACrashBetweenCommitAndAnswerAppendsNothingAndAnswersTheFirstOutcome() throws Exception {
        try (Database db = Database.create("ledger_crash")) {
            String appropriate = "/api/v1/programs/" + PROGRAM + "/appropriations";
            String rescind = "/api/v1/programs/" + PROGRAM + "/rescissions";
            String issue = "/api/v1/programs/" + PROGRAM + "/vouchers";
            String appropriationBody = appropriation("500000.00", "line-crash");
            String rescissionBody = "{\"amount\":" + money("20000.00") + ",\"reason\":\"budget review\"}";
            String issueBody = "{\"beneficiary\":{\"id\":\"" + uscc("91330100MA2C", 77) + "\",\"name\":\"Firm crash\","
                    + "\"sector\":\"software\"},\"faceValue\":" + money("3000.00") + "}";

            // 1. dies after committing the appropriation
            try (JarNode node = JarNode.start(db, workDir, "key-appropriation")) {
                expect(node.post("/api/v1/programs", computeProgram(PROGRAM, "CN-ZJ", 365), null), 201, "launch");
                node.postIntoCrash(appropriate, appropriationBody, "key-appropriation");
            }
            assertThat(count(db, "FundsAppropriated"))
                    .as("the appropriation committed before the crash")
                    .isEqualTo(1);

            // 2. the retry answers the appropriation; then dies after committing the rescission
            try (JarNode node = JarNode.start(db, workDir, "key-rescission")) {
                JsonNode program = expect(
                        node.post(appropriate, appropriationBody, "key-appropriation"), 200, "retried appropriation");
                assertThat(new BigDecimal(
                                program.get("figures").get("appropriated").asText()))
                        .as("appropriated once: %s", program)
                        .isEqualByComparingTo("500000.00");
                assertThat(count(db, "FundsAppropriated"))
                        .as("the retry appended nothing")
                        .isEqualTo(1);
                node.postIntoCrash(rescind, rescissionBody, "key-rescission");
            }
            assertThat(count(db, "FundsRescinded"))
                    .as("the rescission committed before the crash")
                    .isEqualTo(1);

            // 3. the retry answers the rescission; then dies after committing the issue (no voucherId in the body)
            try (JarNode node = JarNode.start(db, workDir, "key-issue")) {
                JsonNode program =
                        expect(node.post(rescind, rescissionBody, "key-rescission"), 200, "retried rescission");
                assertThat(new BigDecimal(
                                program.get("figures").get("appropriated").asText()))
                        .as("rescinded once: %s", program)
                        .isEqualByComparingTo("480000.00");
                assertThat(count(db, "FundsRescinded"))
                        .as("the retry appended nothing")
                        .isEqualTo(1);
                node.postIntoCrash(issue, issueBody, "key-issue");
            }
            List<StoredEvent> issued = db.events().stream()
                    .filter(e -> e.type().equals("VoucherIssued"))
                    .toList();
            assertThat(issued).as("the issue committed before the crash").hasSize(1);
            String voucherId = issued.get(0).text("voucherId");
            long events = db.eventCount();

            // 4. the retry answers the voucher the first run issued, and a further retry replays that answer
            try (JarNode node = JarNode.start(db, workDir, null)) {
                Response retried = node.post(issue, issueBody, "key-issue");
                JsonNode voucher = expect(retried, 201, "retried issue");
                assertThat(voucher.get("voucherId").asText())
                        .as("the voucher of the first run")
                        .isEqualTo(voucherId);
                assertThat(retried.header("Location")).hasValue("/api/v1/vouchers/" + voucherId);
                Response again = node.post(issue, issueBody, "key-issue");
                assertThat(again.status()).isEqualTo(201);
                assertThat(again.header("Idempotent-Replay")).hasValue("true");
                assertThat(again.json().get("voucherId").asText()).isEqualTo(voucherId);
                JsonNode program = expect(node.get("/api/v1/programs/" + PROGRAM), 200, "program");
                assertThat(new BigDecimal(
                                program.get("figures").get("committed").asText()))
                        .as("one voucher committed: %s", program)
                        .isEqualByComparingTo("3000.00");
            }
            assertThat(count(db, "VoucherIssued"))
                    .as("the retries issued nothing")
                    .isEqualTo(1);
            assertThat(db.eventCount()).as("nothing appended by the retries").isEqualTo(events);
        }
    }

    private static long count(Database db, String type) {
        List<StoredEvent> events = db.events();
        System.out.printf(
                "log after the drill step: %s%n",
                events.stream().map(StoredEvent::type).toList());
        return events.stream().filter(e -> e.type().equals(type)).count();
    }

    /** The packaged ledger as an OS process on a free port, stopped (destroyed) on close if still alive. */
    private static final class JarNode implements AutoCloseable {
        private final Process process;
        private final URI base;
        private final Path log;
        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();

        private JarNode(Process process, URI base, Path log) {
            this.process = process;
            this.base = base;
            this.log = log;
        }

        static JarNode start(Database db, Path workDir, String haltKey) throws Exception {
            Path jar = Path.of("target", "ledger-api.jar").toAbsolutePath();
            assertThat(jar).as("the packaged application").exists();
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m",
                    "-jar",
                    jar.toString(),
                    "--server.port=" + port,
                    "--spring.profiles.active=postgres",
                    "--LEDGER_DB_URL=" + db.url(),
                    "--LEDGER_DB_USER=" + LoadSupport.USER,
                    "--ledger.kafka.enabled=false",
                    "--ledger.audit.seal.scheduled=false",
                    "--spring.main.banner-mode=off"));
            if (haltKey != null) {
                command.add("--ledger.drill.halt-after-commit-key=" + haltKey);
            }
            Path log = Files.createTempFile(workDir, "node-", ".log");
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            JarNode node = new JarNode(process, URI.create("http://127.0.0.1:" + port), log);
            node.awaitUp();
            return node;
        }

        private void awaitUp() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                assertThat(process.isAlive())
                        .as("the node started; its log:%n%s", tail())
                        .isTrue();
                try {
                    HttpResponse<String> health = http.send(
                            HttpRequest.newBuilder(base.resolve("/actuator/health"))
                                    .timeout(Duration.ofSeconds(5))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    // any answer: the web server listens only once the application has started
                    assertThat(health.statusCode())
                            .as("health: %s", health.body())
                            .isLessThan(600);
                    return;
                } catch (IOException notYet) {
                    // not listening yet: keep polling until the deadline
                }
                Thread.sleep(250);
            }
            throw new AssertionError("the node did not answer /actuator/health within 120 s; its log:\n" + tail());
        }

        Response post(String path, String json, String key) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "application/json")
                    .header("Authorization", LoadSupport.NATIONAL_BASIC)
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (key != null) {
                request.header("Idempotency-Key", key);
            }
            return send(request.build());
        }

        Response get(String path) throws Exception {
            return send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Authorization", LoadSupport.NATIONAL_BASIC)
                    .timeout(Duration.ofSeconds(60))
                    .GET()
                    .build());
        }

        private Response send(HttpRequest request) throws Exception {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.headers().map(), r.body());
        }

        /** Sends a request the node must die on: no answer arrives, and the process ends with halt's status. */
        void postIntoCrash(String path, String json, String key) throws Exception {
            try {
                Response answered = post(path, json, key);
                throw new AssertionError("the node answered instead of halting: " + answered);
            } catch (IOException expected) {
                // the connection closed without an answer: the JVM halted
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS))
                    .as("the node halted")
                    .isTrue();
            assertThat(process.exitValue()).as("halt status; log:%n%s", tail()).isEqualTo(137);
            assertThat(Files.readString(log)).contains("halting after the commit of " + path);
        }

        private String tail() {
            try {
                String text = Files.readString(log);
                return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
            } catch (IOException e) {
                return "(log unreadable: " + e + ")";
            }
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
