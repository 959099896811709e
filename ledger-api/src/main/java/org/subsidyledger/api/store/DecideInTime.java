package org.subsidyledger.api.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.Scope;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subsidyledger.api.http.Overloaded;
import org.subsidyledger.api.overload.RequestDeadline;

/**
 * A command whose request has used up three quarters of its time or more by the moment its aggregate is loaded (waiting
 * for its turn, the aggregate's lock, the load) is answered {@code 503 OVERLOADED} before its handler decides anything,
 * and the aggregate it loaded is kept in the aggregate cache.
 *
 * <p>Axon caches an aggregate only when a unit of work that used it commits. Loading a program of 100,000 vouchers from
 * its snapshot takes longer than a request's budget ({@code ledger.admission.request-budget}): every command on it
 * loaded it, ran out of time at the append, rolled back and left nothing cached, so the program could never be served
 * again. Here, the command that paid for the load is refused as overloaded, the program it loaded (exactly the log's
 * state: nothing was applied to it) is cached, and the next command is served from the cache. The commands that
 * queued for the program's lock meanwhile have mostly spent their time too; they are refused the same way rather than
 * deciding, failing at the append for want of time and dropping the program again.
 *
 * <p>Only command handlers on an aggregate that exists in the store, on threads that serve a request
 * ({@link RequestDeadline}), are checked.
 */
public final class DecideInTime implements HandlerEnhancerDefinition {
    private static final Logger log = LoggerFactory.getLogger(DecideInTime.class);

    private final Map<Class<?>, CheckedAggregateCache> caches = new ConcurrentHashMap<>();

    /** The cache of one aggregate type, where an aggregate loaded by a command out of time is kept. */
    CheckedAggregateCache register(Class<?> aggregateType, CheckedAggregateCache cache) {
        caches.put(aggregateType, cache);
        return cache;
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        if (!original.hasAnnotation(CommandHandler.class)) {
            return original;
        }
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(Message<?> message, T target) throws Exception {
                if (target != null && RequestDeadline.mostlySpent()) {
                    keepLoaded(target);
                    throw new Overloaded();
                }
                return super.handle(message, target);
            }
        };
    }

    private void keepLoaded(Object target) {
        CheckedAggregateCache cache = caches.get(target.getClass());
        if (cache != null
                && Scope.getCurrentScope() instanceof EventSourcedAggregate<?> aggregate
                && aggregate.getAggregateRoot() == target
                && aggregate.version() != null) {
            cache.keepLoaded(aggregate);
            log.debug(
                    "{} {} loaded at version {} by a command out of time: kept in the cache",
                    target.getClass().getSimpleName(),
                    aggregate.identifierAsString(),
                    aggregate.version());
        } else {
            log.debug(
                    "{} loaded by a command out of time: not kept",
                    target.getClass().getSimpleName());
        }
    }
}
