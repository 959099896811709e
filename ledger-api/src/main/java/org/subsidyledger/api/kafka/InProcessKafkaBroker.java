package org.subsidyledger.api.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process), run inside the ledger in the
 * embedded default so that {@code kcat -b 127.0.0.1:9092 -t subsidy.ledger.events -C} works with nothing installed.
 *
 * <p>Its log directory is formatted on the first start (a new cluster id) and reused afterwards, so topics and
 * records survive restarts of the ledger. {@link #stop()} and {@link #start()} may be called again on the same
 * instance: the broker comes back on the same ports with the same data, which is how the tests simulate an outage.
 * Topics are created at each start when missing; records are kept without a time limit (a development ledger's
 * history is small, and event time may lie years back).
 */
public final class InProcessKafkaBroker {
    private static final Logger log = LoggerFactory.getLogger(InProcessKafkaBroker.class);
    private static final int NODE_ID = 1;

    private final String host;
    private final int port;
    private final int controllerPort;
    private final Path dataDirectory;
    private final List<String> topics;
    private final int partitions;
    private KafkaRaftServer server;

    public InProcessKafkaBroker(
            String host, int port, int controllerPort, Path dataDirectory, List<String> topics, int partitions) {
        this.host = host;
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
        this.topics = List.copyOf(topics);
        this.partitions = partitions;
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Formats the storage if it is new, starts broker and controller, and creates the missing topics. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        long started = System.nanoTime();
        neverExitTheJvm();
        Path logs = dataDirectory.resolve("logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka data directory " + logs, e);
        }
        KafkaConfig config = KafkaConfig.fromProps(serverProperties(logs), false);
        format(logs);
        KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            starting.startup();
        } catch (RuntimeException e) {
            starting.shutdown();
            starting.awaitShutdown();
            throw new IllegalStateException(
                    "The in-process Kafka broker could not start on " + bootstrapServers()
                            + " (controller " + host + ":" + controllerPort + "): " + e.getMessage()
                            + ". Is another ledger or broker running? Set ledger.kafka.broker.port, or point"
                            + " spring.kafka.bootstrap-servers at a cluster.",
                    e);
        }
        server = starting;
        createTopics();
        log.info(
                "In-process Kafka broker (KRaft) on {} with topics {} in {} ms; data in {}",
                bootstrapServers(),
                topics,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                dataDirectory);
    }

    /** Shuts the broker down and waits for it; the data stays for the next {@link #start()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        log.info("In-process Kafka broker on {} stopped", bootstrapServers());
    }

    private Properties serverProperties(Path logs) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logs.toString());
        // One node: every internal topic has one replica; few partitions keep start-up and first consumers quick.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", String.valueOf(partitions));
        p.put("auto.create.topics.enable", "false");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.cleaner.threads", "1");
        return p;
    }

    /** Formats a new log directory (a new cluster id); a directory formatted before keeps its cluster and data. */
    private void format(Path logs) {
        if (Files.exists(logs.resolve("meta.properties"))) {
            return;
        }
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logs.toString()))
                    .setMetadataLogDirectory(logs.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setPrintStream(quiet)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the Kafka storage in " + logs + ": " + e.getMessage(), e);
        }
    }

    private void createTopics() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                "30000"))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream()
                    .filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1)
                            .configs(Map.of(
                                    TopicConfig.RETENTION_MS_CONFIG, "-1",
                                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "1")))
                    .collect(Collectors.toList());
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            // Wait until every partition has a leader, so the first send does not wait for one. Topics just created
            // are unknown to the broker's metadata cache for a moment: ask again until they are known.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
                    break;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the Kafka topics", e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Cannot create the Kafka topics " + topics + " on " + bootstrapServers() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Kafka's server code ends the JVM on a fatal error (a failed log directory, say). Inside the ledger that would take
     * the application down with the development broker; the failure is logged instead, and publication waits.
     */
    private static void neverExitTheJvm() {
        Exit.setExitProcedure(
                (status, message) -> log.error("The in-process Kafka broker asked to exit ({}): {}", status, message));
        Exit.setHaltProcedure(
                (status, message) -> log.error("The in-process Kafka broker asked to halt ({}): {}", status, message));
    }

    @Override
    public String toString() {
        return "InProcessKafkaBroker[" + bootstrapServers() + ", " + dataDirectory + "]";
    }
}
