package org.subsidyledger.api.command;

import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.subsidyledger.api.http.Overloaded;
import org.subsidyledger.api.http.Unavailability;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.registry.RegistryCommands.AccreditProvider;
import org.subsidyledger.core.registry.RegistryCommands.RegisterModel;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * Sends a command through Axon and waits for its outcome, recording who sent it in the metadata every event carries.
 *
 * <p>Conflicts are retried here, inside the ledger (SPEC §11): an optimistic-lock conflict on an aggregate (another
 * node appended first) or a unique-key conflict on the ledger index (another node bound the same invoice or contract
 * first) rolls the whole transaction back, so the command is simply decided again against the new state — and then
 * usually rejected with the rule's own code. Only when conflicts persist does the caller get {@link Overloaded}.
 *
 * <p>Time is bounded (issue 11): conflicts are retried only until {@code ledger.commands.max-time} has passed, and a
 * command that could not get a resource in time — a pooled connection, a database, aggregate or append lock, the
 * database itself ({@link Unavailability}) — is not retried here at all but answered {@link Overloaded} at once: its
 * transaction rolled back, nothing was appended, and the client retries with the same Idempotency-Key.
 */
@Component
public class LedgerCommands {
    private static final Logger log = LoggerFactory.getLogger(LedgerCommands.class);

    private final CommandGateway gateway;
    private final int maxAttempts;
    private final Duration maxTime;

    public LedgerCommands(
            CommandGateway gateway,
            @Value("${ledger.commands.max-attempts:8}") int maxAttempts,
            @Value("${ledger.commands.max-time:2s}") Duration maxTime) {
        this.gateway = gateway;
        this.maxAttempts = maxAttempts;
        this.maxTime = maxTime;
    }

    public <R> R send(Object command, RequestContext context) {
        if (context.pendingRefusal() != null) {
            throw context.pendingRefusal();
        }
        MetaData metaData = MetaData.with("commandId", UUID.randomUUID().toString())
                .and("principal", context.principal())
                .and("correlationId", context.correlationId());
        if (context.principalProvince() != null) {
            metaData = metaData.and("principalProvince", context.principalProvince());
        }
        if (context.idempotencyKey() != null) {
            metaData = metaData.and("idempotencyKey", context.idempotencyKey());
        }
        long deadline = System.nanoTime() + maxTime.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return gateway.sendAndWait(new GenericCommandMessage<>(command, metaData));
            } catch (RuntimeException e) {
                Throwable cause = rootOf(e);
                if (cause instanceof LedgerRejection rejection) {
                    throw rejection;
                }
                if (cause instanceof AggregateNotFoundException) {
                    throw new LedgerRejection(RejectionCode.NOT_FOUND, "The program was not found.");
                }
                if (cause instanceof IncompatibleAggregateException) {
                    // ids share one space across programs, providers and models: the id names another kind of record
                    throw isCreation(command)
                            ? new LedgerRejection(
                                    RejectionCode.ALREADY_EXISTS, "This id is already used by another record.")
                            : new LedgerRejection(RejectionCode.NOT_FOUND, "The program was not found.");
                }
                if (Unavailability.isUnavailable(e)) {
                    log.debug(
                            "command {} could not get a resource in time",
                            command.getClass().getSimpleName(),
                            e);
                    throw new Overloaded();
                }
                if (!isConflict(e)) {
                    if (refusedValue(e)) {
                        throw new LedgerRejection(
                                RejectionCode.VALIDATION_FAILED, "A value of the request is too long or out of range.");
                    }
                    throw e;
                }
                if (attempt >= maxAttempts || System.nanoTime() - deadline > 0) {
                    log.warn(
                            "command {} still conflicting after {} attempts",
                            command.getClass().getSimpleName(),
                            attempt);
                    throw new Overloaded();
                }
                backOff(attempt);
            }
        }
    }

    /**
     * Lost races only: an optimistic-lock conflict, a duplicate key (SQLSTATE 23505) or a serialization failure or
     * deadlock (40001, 40P01). Anything else the database refuses is not retried.
     */
    private static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException
                    || t instanceof DuplicateKeyException
                    || t instanceof TransientDataAccessException
                    || (t instanceof SQLException sql
                            && sql.getSQLState() != null
                            && (sql.getSQLState().equals("23505")
                                    || sql.getSQLState().startsWith("40")))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A value the database refused (too long, out of range): the request's fault, not the ledger's. */
    private static boolean refusedValue(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataIntegrityViolationException
                    || (t instanceof SQLException sql
                            && sql.getSQLState() != null
                            && sql.getSQLState().startsWith("22"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean isCreation(Object command) {
        return command instanceof LaunchProgram
                || command instanceof AccreditProvider
                || command instanceof RegisterModel;
    }

    private static Throwable rootOf(Throwable e) {
        Throwable t = e;
        while ((t instanceof CommandExecutionException
                        || t instanceof CompletionException
                        || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof CommandExecutionException cee
                && cee.getDetails().isPresent()
                && cee.getDetails().get() instanceof LedgerRejection rejection) {
            return rejection;
        }
        return t;
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Overloaded();
        }
    }
}
