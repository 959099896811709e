package org.subsidyledger.drills;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An external Kafka broker for the ledger (it is then given {@code spring.kafka.bootstrap-servers} and starts no broker
 * of its own): a separate JVM ({@link BrokerMain}) that the Kafka drill stops and starts again on the same ports and
 * the same log directory, so records and topics survive the outage as they would on a real cluster node.
 */
final class KafkaBroker implements AutoCloseable {
    private final Path dataDir;
    private final Path log;
    final int port;
    private final int controllerPort;
    private Process process;

    private KafkaBroker(Path workDir) {
        this.dataDir = workDir.resolve("kafka");
        this.log = workDir.resolve("broker.log");
        this.port = DrillSettings.freePort();
        this.controllerPort = DrillSettings.freePort();
    }

    static KafkaBroker start(Path workDir) {
        KafkaBroker broker = new KafkaBroker(workDir);
        broker.startAgain();
        return broker;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    synchronized void startAgain() {
        if (process != null) {
            throw new IllegalStateException("the broker runs already");
        }
        String classpath = DrillSettings.ledgerClasses()
                + File.pathSeparator
                + System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try {
            Files.writeString(
                    log, "---- start\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(
                            java.toString(),
                            "-Xmx384m",
                            "-cp",
                            classpath,
                            BrokerMain.class.getName(),
                            "127.0.0.1",
                            String.valueOf(port),
                            String.valueOf(controllerPort),
                            dataDir.toString(),
                            "3")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the broker process", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!logText().contains("BROKER STARTED")
                || logText().lastIndexOf("---- start") > logText().lastIndexOf("BROKER STARTED")) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The broker process ended at start; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The broker did not start within 90 s; see " + log);
            }
            DrillSettings.sleep(Duration.ofMillis(100));
        }
    }

    /** A clean stop (SIGTERM): the broker closes its logs; the data directory stays. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        process = null;
    }

    private String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        stop();
    }
}
