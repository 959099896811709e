package org.subsidyledger.api.dashboard;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged ledger ({@code target/ledger-api.jar}) as a separate process with {@code --demo}, on a fresh H2 data
 * directory and free ports (HTTP, and the in-process Kafka broker's two), as {@code ./ledger --demo} runs it. Ready
 * when the demo history is loaded and the read side has caught up with it (two answers of the province totals and the
 * alerts a few seconds apart are the same).
 */
final class LedgerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path directory;
    final String base;

    private LedgerProcess(Process process, Path directory, String base) {
        this.process = process;
        this.directory = directory;
        this.base = base;
    }

    /** A ledger already running with the demo history (for working on the pages); closing it leaves it running. */
    static LedgerProcess attach(String base) {
        return new LedgerProcess(null, null, base);
    }

    static LedgerProcess startDemo() throws IOException {
        Path jar = Path.of("target", "ledger-api.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            fail("the packaged ledger " + jar + " is missing: run `./mvnw -B verify` (failsafe runs after package)");
        }
        Path directory = Files.createTempDirectory("dashboard-ledger-");
        int http = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-jar",
                jar.toString(),
                "--demo",
                "--server.port=" + http,
                "--ledger.kafka.broker.port=" + freePort(),
                "--ledger.kafka.broker.controller-port=" + freePort()));
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("ledger.log").toFile())
                .start();
        LedgerProcess ledger = new LedgerProcess(process, directory, "http://127.0.0.1:" + http);
        ledger.awaitReady(Duration.ofMinutes(12));
        return ledger;
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String previous = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                fail("the ledger stopped with exit " + process.exitValue() + "; the end of its log:\n" + logTail());
            }
            try {
                HttpResponse<String> health = HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                // Listening (health may be DOWN for a while, e.g. until the broker's first acknowledgement).
                if (health.statusCode() == 200 || health.statusCode() == 503) {
                    String now = get("/api/v1/provinces", "national").toString() + get("/api/v1/alerts", "national");
                    if (now.equals(previous)
                            && get("/api/v1/provinces", "national")
                                            .get("provinces")
                                            .size()
                                    > 0) {
                        return;
                    }
                    previous = now;
                }
            } catch (IOException | AssertionError e) {
                // not listening yet, or still loading
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            sleep(3000);
        }
        fail("the ledger was not ready within " + timeout + "; the end of its log:\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("ledger.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** GET of the JSON API with HTTP Basic as a demo user; must answer 200. */
    JsonNode get(String path, String user) {
        HttpResponse<String> response = send(path, user);
        if (response.statusCode() != 200) {
            throw new AssertionError(
                    "GET " + path + " as " + user + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** POST of a JSON body to the API with HTTP Basic as a demo user; must answer 200 or 201. */
    JsonNode post(String path, String user, String body) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .header(
                                    "Authorization",
                                    "Basic "
                                            + Base64.getEncoder()
                                                    .encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 && response.statusCode() != 201) {
                throw new AssertionError(
                        "POST " + path + " as " + user + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("POST " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    int status(String path, String user) {
        return send(path, user).statusCode();
    }

    private HttpResponse<String> send(String path, String user) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(60))
                            .header(
                                    "Authorization",
                                    "Basic "
                                            + Base64.getEncoder()
                                                    .encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; nothing depends on its removal
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
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
