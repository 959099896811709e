package org.subsidyledger.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL 15 cluster of the drill's own, under target/, on a free port with trust authentication, so that the
 * database-restart drill can restart a server without touching the shared one on 5432 that other builds use.
 * {@code initdb} and {@code pg_ctl} refuse to run as root: they run as the {@code postgres} OS user
 * ({@code runuser -u postgres}), which owns the data directory.
 */
final class PrivateCluster implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    final int port;
    private final Path dataDir;
    private final Path log;

    private PrivateCluster(int port, Path dataDir, Path log) {
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
    }

    static PrivateCluster start(Path workDir) {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL 15's initdb is required at " + BIN);
        }
        int port = DrillSettings.freePort();
        Path dataDir = workDir.resolve("pgdata");
        Path log = workDir.resolve("postgres.log");
        try {
            Files.createDirectories(dataDir);
            Files.createFile(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("chown", "-R", "postgres:postgres", workDir.toString());
        asPostgres(
                BIN.resolve("initdb").toString(),
                "-D",
                dataDir.toString(),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C");
        PrivateCluster cluster = new PrivateCluster(port, dataDir, log);
        cluster.pgCtl("start");
        return cluster;
    }

    /** {@code pg_ctl restart -m fast}: open connections are cut, the server is back when it returns. */
    void restart() {
        pgCtl("restart");
    }

    void stop() {
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
    }

    void startAgain() {
        pgCtl("start");
    }

    private void pgCtl(String action) {
        // the socket lives in the data directory; max_connections leaves room for two ledgers' pools and the checks
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dataDir
                + " -c max_connections=200 -c fsync=off";
        asPostgres(
                BIN.resolve("pg_ctl").toString(),
                "-D",
                dataDir.toString(),
                "-l",
                log.toString(),
                "-m",
                "fast",
                "-w",
                "-t",
                "60",
                "-o",
                options,
                action);
    }

    @Override
    public void close() {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            stop();
        }
    }

    private static void asPostgres(String... command) {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        run(full.toArray(String[]::new));
    }

    private static void run(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
