package org.subsidyledger.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What failsafe hands the drills (ledger-drills/pom.xml): where the packaged ledger is, where each drill writes its
 * logs, and how long each phase lasts. The short lengths run in every {@code ./mvnw verify}; the profile {@code drills}
 * sets the full ones of issue 11.
 */
final class DrillSettings {
    /** Hikari's pool size in the ledger (Spring Boot's default, not overridden in application*.yml). */
    static final int LEDGER_POOL_SIZE = 10;

    private DrillSettings() {}

    static Duration seconds(String name) {
        String value = System.getProperty("drills." + name + ".seconds");
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property drills." + name + ".seconds is not set; run the drills"
                    + " through Maven (failsafe sets it, see ledger-drills/pom.xml).");
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    }

    static Path ledgerJar() {
        Path jar = Path.of(System.getProperty("drills.ledger.jar", "../ledger-api/target/ledger-api.jar"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The packaged ledger " + jar + " is missing: build it with"
                    + " ./mvnw -B -pl ledger-drills -am verify (the reactor packages ledger-api first).");
        }
        return jar;
    }

    /**
     * Extra JVM options for every ledger process, from {@code -Ddrills.ledger.jvm-options} (space-separated); the
     * token {@code {name}} becomes the process's name, e.g.
     * {@code -Ddrills.ledger.jvm-options=-XX:StartFlightRecording=filename=/tmp/{name}.jfr} to profile a drill.
     */
    static List<String> ledgerJvmOptions(String processName) {
        String options = System.getProperty("drills.ledger.jvm-options", "").trim();
        return options.isEmpty()
                ? List.of()
                : Arrays.stream(options.split("\\s+"))
                        .map(o -> o.replace("{name}", processName))
                        .toList();
    }

    static Path ledgerClasses() {
        return Path.of(System.getProperty("drills.ledger.classes", "../ledger-api/target/classes"))
                .toAbsolutePath()
                .normalize();
    }

    /** target/drills/{drill}: the processes' logs and data of one drill, emptied at its start. */
    static Path workDir(String drill) {
        Path dir = Path.of(System.getProperty("drills.work", "target/drills"))
                .resolve(drill)
                .toAbsolutePath();
        try {
            if (Files.exists(dir)) {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + dir, e);
        }
    }

    /** A port free at this moment on 127.0.0.1 (8080, 9092, 9093 may belong to others). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
