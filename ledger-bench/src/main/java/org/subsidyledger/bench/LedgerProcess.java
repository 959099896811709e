package org.subsidyledger.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged ledger as a separate operating-system process, set up as in production: the {@code postgres} profile on
 * the run's own database, RS256 bearer tokens, Kafka publication to its in-process broker (on free ports), seals on
 * their schedule. Its CPU time comes from {@code /proc}, so it counts the ledger's JVM only, not PostgreSQL.
 */
final class LedgerProcess implements AutoCloseable {
    private final Process process;
    private final String baseUrl;
    private final Path log;

    private LedgerProcess(Process process, String baseUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    static LedgerProcess start(Settings settings, Database database, Path publicKey, Path workDir, String name)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(settings.ledgerJar())) {
            throw new IllegalStateException(
                    "No ledger jar at " + settings.ledgerJar().toAbsolutePath()
                            + ": build it with ./mvnw -B -pl ledger-api -am -DskipTests package");
        }
        int[] ports = freePorts(3);
        int port = ports[0];
        Path dir = Files.createDirectories(workDir.resolve(name));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : settings.ledgerJvmArgs().trim().split("\\s+")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        if (settings.jfr()) {
            command.add("-XX:StartFlightRecording=filename="
                    + settings.out().toAbsolutePath().resolve(name + ".jfr") + ",settings=profile,dumponexit=true");
        }
        command.addAll(List.of(
                "-jar",
                settings.ledgerJar().toAbsolutePath().toString(),
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=" + Database.USER,
                "--server.port=" + port,
                "--ledger.security.jwt.public-key=" + publicKey.toAbsolutePath(),
                "--ledger.security.jwt.issuer=" + Tokens.ISSUER,
                "--ledger.security.jwt.audience=" + Tokens.AUDIENCE,
                "--ledger.kafka.enabled=true",
                "--ledger.kafka.broker.port=" + ports[1],
                "--ledger.kafka.broker.controller-port=" + ports[2],
                "--ledger.kafka.broker.data-dir=" + dir.resolve("kafka").toAbsolutePath(),
                "--ledger.audit.seal.scheduled=true"));
        Path log = settings.out().resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        Process process = builder.directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LedgerProcess ledger = new LedgerProcess(process, "http://127.0.0.1:" + port, log);
        try {
            ledger.awaitHealthy(Duration.ofSeconds(600));
        } catch (RuntimeException | InterruptedException e) {
            ledger.close();
            throw e;
        }
        return ledger;
    }

    String baseUrl() {
        return baseUrl;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time of the ledger's JVM so far (user + system), in milliseconds, from /proc; -1 where there is none. */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[11] and [12] are utime and stime (fields 14 and 15 of proc(5)), in clock ticks of 1/100 s
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return process.info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
        }
    }

    /** Resident memory of the ledger's JVM in bytes, from /proc; -1 where there is none. */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private void awaitHealthy(Duration timeout) throws InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The ledger exited with " + process.exitValue() + " while starting;"
                        + " see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                "The ledger did not become healthy in " + timeout + "; see " + log.toAbsolutePath());
    }

    /**
     * {@code count} distinct free ports: all held open at once while they are chosen, so the operating system cannot
     * hand the same one out twice (the HTTP port once came back as the broker's).
     */
    private static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
