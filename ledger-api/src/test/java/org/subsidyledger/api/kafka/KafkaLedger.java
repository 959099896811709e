package org.subsidyledger.api.kafka;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.LedgerApplication;

/** A ledger node with Kafka publication on, on an H2 file of its own (the embedded default's store). */
final class KafkaLedger implements AutoCloseable {
    final ConfigurableApplicationContext context;
    final CommandGateway gateway;
    final JdbcTemplate jdbc;

    private KafkaLedger(ConfigurableApplicationContext context) {
        this.context = context;
        this.gateway = context.getBean(CommandGateway.class);
        this.jdbc = context.getBean(JdbcTemplate.class);
    }

    /** Starts a node on the database under {@code dataDirectory}, with Kafka on and {@code kafka} settings. */
    static KafkaLedger start(Path dataDirectory, Clock clock, Map<String, Object> kafka) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(
                "spring.datasource.url",
                "jdbc:h2:file:" + dataDirectory.resolve("ledger").toAbsolutePath()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000");
        properties.put("ledger.kafka.enabled", "true");
        properties.putAll(kafka);
        String[] arguments = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.NONE)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .run(arguments);
        return new KafkaLedger(context);
    }

    /** Starts a node on the PostgreSQL database at {@code url} (profile postgres), with Kafka on and {@code kafka}. */
    static KafkaLedger startOnPostgres(String url, Clock clock, Map<String, Object> kafka) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.profiles.active", "postgres");
        properties.put("LEDGER_DB_URL", url);
        properties.put("LEDGER_DB_USER", "postgres");
        properties.put("ledger.kafka.enabled", "true");
        properties.putAll(kafka);
        String[] arguments = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new KafkaLedger(new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.NONE)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .run(arguments));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    <R> R send(Object command) {
        return gateway.sendAndWait(command);
    }

    /** Sends a command as {@code principal}, as a request would (four eyes compares principals). */
    <R> R send(Object command, String principal) {
        return gateway.sendAndWait(new GenericCommandMessage<>(command, MetaData.with("principal", principal)));
    }

    long eventCount() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        return count == null ? 0 : count;
    }

    @Override
    public void close() {
        context.close();
    }

    /** A free TCP port on the loopback interface. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} every 50 ms until it holds; fails after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
