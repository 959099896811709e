package org.subsidyledger.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged ledger ({@code java -jar ledger-api/target/ledger-api.jar}) as close to production as it starts today:
 * the profile {@code postgres}, bearer tokens (RS256, {@code ledger.security.jwt.public-key}), an external Kafka broker,
 * seals every 100 entries. Its output goes to a log file under target/drills/{drill}/; a restart keeps the port and appends to the
 * same log.
 */
final class LedgerProcess implements AutoCloseable {
    private final String name;
    private final List<String> arguments;
    private final Path log;
    final int port;
    final URI base;
    private Process process;

    private LedgerProcess(String name, List<String> arguments, Path log, int port) {
        this.name = name;
        this.arguments = arguments;
        this.log = log;
        this.port = port;
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** Seals are written every this many entries (ledger.audit.seal.every-events), checked every second. */
    static final int SEAL_EVERY = 100;

    static LedgerProcess start(
            String name, Path workDir, DrillDatabase database, KafkaBroker broker, Tokens tokens, String... extra) {
        int port = DrillSettings.freePort();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                // Not the production profile: with ledger.security.demo-users=false the ledger does not start (its
                // demo-users bean is then null and Spring Security's user-details lookup fails on it), so the demo
                // users stay defined; every request of the drills still carries a bearer token.
                "--spring.profiles.active=postgres",
                "--LEDGER_DB_URL=" + database.url(),
                "--LEDGER_DB_USER=" + DrillDatabase.USER,
                "--ledger.security.jwt.public-key=" + tokens.publicKeyFile(),
                "--ledger.security.jwt.issuer=" + Tokens.ISSUER,
                "--ledger.security.jwt.audience=" + Tokens.AUDIENCE,
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--ledger.audit.seal.every-events=" + SEAL_EVERY,
                "--ledger.audit.seal.check-interval=1s",
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(extra));
        LedgerProcess ledger = new LedgerProcess(name, List.copyOf(args), workDir.resolve(name + ".log"), port);
        ledger.launch();
        return ledger;
    }

    /** Starts the process (again) with the same arguments and waits until it answers on its port. */
    synchronized void launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " runs already");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx768m"));
        command.addAll(DrillSettings.ledgerJvmOptions(name));
        command.addAll(List.of("-jar", DrillSettings.ledgerJar().toString()));
        command.addAll(arguments);
        long started = System.nanoTime();
        try {
            Files.writeString(
                    log,
                    "\n---- drill: starting " + name + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
        awaitUp(Duration.ofSeconds(180));
        System.out.printf(
                "[drill] %s (pid %d) answers on %s after %d ms%n",
                name, process.pid(), base, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Waits until {@code /actuator/health} answers at all (the web server is up and the context started). */
    private void awaitUp(Duration within) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " ended at start (exit " + process.exitValue() + "); its log "
                        + log + " ends with:\n" + String.join("\n", logTail(40)));
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(base.resolve("/actuator/health"))
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 || response.statusCode() == 503) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not answer within " + within + "; log " + log);
            }
            DrillSettings.sleep(Duration.ofMillis(250));
        }
    }

    /** kill -9: no shutdown hook, no graceful stop, connections and transactions cut where they are. */
    synchronized void kill9() {
        ProcessHandle handle = process.toHandle();
        // Process.destroyForcibly is SIGKILL on Linux; the kill command states it plainly in the log
        run("kill", "-9", String.valueOf(handle.pid()));
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (process.isAlive()) {
            throw new IllegalStateException(name + " survived kill -9");
        }
    }

    /** Lines of the log that say a seal could not be written. */
    List<String> sealFailures() {
        return logLines().stream()
                .filter(l -> l.contains("seal failed") || l.contains("Seal failed"))
                .toList();
    }

    List<String> logTail(int lines) {
        List<String> all = logLines();
        return all.subList(Math.max(0, all.size() - lines), all.size());
    }

    private List<String> logLines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path log() {
        return log;
    }

    String name() {
        return name;
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
