package org.subsidyledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.Serializer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.LedgerApplication;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.RejectionCode;

/** One running ledger (a Spring Boot context) on a given database, as a node of a deployment would be. */
final class LedgerNode implements AutoCloseable {
    final ConfigurableApplicationContext context;
    final CommandGateway gateway;
    final JdbcTemplate jdbc;
    final JdbcLedgerIndex index;

    private LedgerNode(ConfigurableApplicationContext context) {
        this.context = context;
        this.gateway = context.getBean(CommandGateway.class);
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.index = context.getBean(JdbcLedgerIndex.class);
    }

    static LedgerNode start(Map<String, Object> properties, Clock clock) {
        // As command-line arguments: they override application.yml, as an operator's settings would.
        String[] arguments = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.NONE)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .run(arguments);
        return new LedgerNode(context);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    Serializer serializer() {
        return context.getBean(Serializer.class);
    }

    EventStorageEngine storageEngine() {
        return context.getBean(EventStorageEngine.class);
    }

    /** Sends a command and expects it to be accepted. */
    <R> R send(Object command) {
        return gateway.sendAndWait(command);
    }

    /** Sends a command and expects it to be rejected with {@code code}, appending nothing. */
    void sendRejected(Object command, RejectionCode code) {
        long before = eventCount();
        try {
            gateway.sendAndWait(command);
        } catch (RuntimeException e) {
            assertThat(rejectionIn(e))
                    .as("rejection of " + command + " (" + e + ")")
                    .isEqualTo(code);
            assertThat(eventCount())
                    .as("events appended by the rejected " + command)
                    .isEqualTo(before);
            return;
        }
        fail("expected " + code + " for " + command);
    }

    static RejectionCode rejectionIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LedgerRejection rejection) {
                return rejection.code();
            }
        }
        throw new AssertionError("not a ledger rejection: " + e, e);
    }

    long eventCount() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        return count == null ? 0 : count;
    }

    /** Loads a program through the application's repository (snapshot, then later events) and reads from it. */
    <T> T program(ProgramId programId, Function<Program, T> read) {
        var repository = context.getBean(Configuration.class).repository(Program.class);
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            return repository.load(programId.value()).invoke(read);
        } finally {
            unitOfWork.rollback();
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
