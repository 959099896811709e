package org.subsidyledger.api.http;

import java.util.function.Function;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Component;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * Reads the current state of an aggregate for the view a request answers with.
 *
 * <p>A command's answer ({@link #answer}) is taken from the state the command's handler left, in the command's own
 * unit of work, while it still holds the aggregate's lock: the aggregate that unit of work loaded (or created) is asked
 * again through the repository, which hands back the instance it already manages, so no second load from the event
 * store happens. If the commit then fails, the command is retried or refused and the captured view is dropped. A read
 * ({@link #read}) loads the aggregate from the event store (and its snapshot), never a copy kept on the side.
 */
@Component
public class AggregateReader implements MessageHandlerInterceptor<CommandMessage<?>> {
    private static final ThreadLocal<Capture<?, ?>> CAPTURE = new ThreadLocal<>();

    private final Configuration axon;
    private final TransactionManager transactions;

    public AggregateReader(Configuration axon, TransactionManager transactions, CommandBus commandBus) {
        this.axon = axon;
        this.transactions = transactions;
        commandBus.registerHandlerInterceptor(this);
    }

    /**
     * Sends a command with {@code send} and answers with {@code view} of the aggregate's state right after its
     * handler ran. Command handlers run on the sending thread (Axon's simple command bus); should one ever run
     * elsewhere, the state is read back from the store instead, as {@link #read} does.
     */
    public <T, R> R answer(Class<T> type, String id, Function<T, R> view, Runnable send) {
        Capture<T, R> capture = new Capture<>(type, id, view);
        Capture<?, ?> outer = CAPTURE.get();
        CAPTURE.set(capture);
        try {
            send.run();
        } finally {
            if (outer == null) {
                CAPTURE.remove();
            } else {
                CAPTURE.set(outer);
            }
        }
        return capture.captured ? capture.result : read(type, id, view);
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        Object result = interceptorChain.proceed();
        Capture<?, ?> capture = CAPTURE.get();
        if (capture != null) {
            capture.takeFrom(axon);
        }
        return result;
    }

    public <T, R> R read(Class<T> type, String id, Function<T, R> view) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        // Take the database connection before the aggregate's lock, in the same order as a command does; the other
        // order deadlocks against commands that hold every pooled connection while waiting for the lock.
        unitOfWork.attachTransaction(transactions);
        try {
            R result = axon.repository(type).load(id).invoke(view);
            // Committed, not rolled back: nothing was applied, and a rollback would drop the aggregate from the cache.
            unitOfWork.commit();
            return result;
        } catch (AggregateNotFoundException | IncompatibleAggregateException e) {
            unitOfWork.rollback();
            throw new LedgerRejection(RejectionCode.NOT_FOUND, type.getSimpleName() + " " + id + " was not found.");
        } catch (RuntimeException e) {
            if (unitOfWork.isActive()) {
                unitOfWork.rollback();
            }
            throw e;
        }
    }

    /** The view a request waits for, filled in by the command's unit of work. */
    private static final class Capture<T, R> {
        private final Class<T> type;
        private final String id;
        private final Function<T, R> view;
        private boolean captured;
        private R result;

        Capture(Class<T> type, String id, Function<T, R> view) {
            this.type = type;
            this.id = id;
            this.view = view;
        }

        /** Inside the unit of work: the repository returns the aggregate this unit of work already holds. */
        void takeFrom(Configuration axon) {
            try {
                result = axon.repository(type).load(id).invoke(view);
                captured = true;
            } catch (AggregateNotFoundException e) {
                // The command was on another aggregate; the answer is read after it, from the store.
                captured = false;
            }
        }
    }
}
