package org.subsidyledger.api.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * Reads the current state of an aggregate for the view a request answers with.
 *
 * <p>A command's answer ({@link #answer}) is taken from the state the command's handler left, in the command's own
 * unit of work, while it still holds the aggregate's lock: the aggregate that unit of work loaded (or created) is asked
 * again through the repository, which hands back the instance it already manages, so no second load from the event
 * store happens. If the commit then fails, the command is retried or refused and the captured view is dropped.
 *
 * <p>A read ({@link #read}) takes a pooled connection and then the aggregate's lock, in a unit of work, and loads the
 * aggregate through its repository. What it answers is remembered with the aggregate's version (the sequence number of
 * its last entry): a later read of the same view first asks the store for the aggregate's last sequence number, with
 * no transaction and no lock, and answers the remembered view when nothing was appended since. The view is then
 * exactly what a locked read would build, because an aggregate's state is a function of its entries, and entries are
 * never changed once committed. Only views built from committed state are remembered: a command's answer is built
 * before its commit, and its version could still be refused. Reads of one program no longer queue one behind the
 * other on its lock while nothing changes it, and a read that does not find a view to reuse behaves as before.
 */
@Component
public class AggregateReader implements MessageHandlerInterceptor<CommandMessage<?>> {
    private static final ThreadLocal<Capture<?, ?>> CAPTURE = new ThreadLocal<>();

    private final Configuration axon;
    private final TransactionManager transactions;
    /** Views built from committed state, by aggregate and view; null when {@code viewCacheSize} is 0. */
    private final Cache<ViewKey, Built<?>> views;

    /**
     * @param viewCacheSize the most views remembered ({@code ledger.store.aggregate-cache-size}: what is kept of
     *     aggregates between requests, also for their views); 0 reads every view under the aggregate's lock
     */
    public AggregateReader(
            Configuration axon,
            TransactionManager transactions,
            CommandBus commandBus,
            @Value("${ledger.store.aggregate-cache-size:10000}") long viewCacheSize) {
        this.axon = axon;
        this.transactions = transactions;
        this.views = viewCacheSize > 0
                ? Caffeine.newBuilder().maximumSize(viewCacheSize).softValues().build()
                : null;
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

    /** Reads {@code view} of the aggregate's current state; nothing is remembered for it. */
    public <T, R> R read(Class<T> type, String id, Function<T, R> view) {
        return load(type, id, view).view();
    }

    /**
     * Reads {@code view} of the aggregate's current state, where {@code viewKey} names the view among the aggregate's
     * views (the same key must always mean the same function). Answers the view remembered under that key when the
     * store's last sequence number of the aggregate is still the one it was built at.
     */
    @SuppressWarnings("unchecked")
    public <T, R> R read(Class<T> type, String id, String viewKey, Function<T, R> view) {
        if (views == null || CurrentUnitOfWork.isStarted()) {
            return read(type, id, view);
        }
        ViewKey key = new ViewKey(type, id, viewKey);
        Built<?> remembered = views.getIfPresent(key);
        if (remembered != null && remembered.version() == lastSequenceNumber(id)) {
            return (R) remembered.view();
        }
        Built<R> built = load(type, id, view);
        if (built.version() >= 0) {
            views.put(key, built);
        }
        return built.view();
    }

    /** The store's last sequence number of the aggregate, read outside any transaction; -1 when it has none. */
    private long lastSequenceNumber(String id) {
        Optional<Long> last = axon.eventStore().lastSequenceNumberFor(id);
        return last.orElse(-1L);
    }

    private <T, R> Built<R> load(Class<T> type, String id, Function<T, R> view) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        // Take the database connection before the aggregate's lock, in the same order as a command does; the other
        // order deadlocks against commands that hold every pooled connection while waiting for the lock.
        unitOfWork.attachTransaction(transactions);
        try {
            Aggregate<T> aggregate = axon.repository(type).load(id);
            R result = aggregate.invoke(view);
            Long version = aggregate.version();
            // Committed, not rolled back: nothing was applied, and a rollback would drop the aggregate from the cache.
            unitOfWork.commit();
            return new Built<>(version == null ? -1 : version, result);
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

    /** One view of one aggregate. */
    private record ViewKey(Class<?> type, String id, String view) {
        ViewKey {
            Objects.requireNonNull(view, "view");
        }
    }

    /** A view and the version of the committed state it was built from (-1: none known, never remembered). */
    private record Built<R>(long version, R view) {}

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
