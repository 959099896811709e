package org.subsidyledger.api.idempotency;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Makes a command sent under an {@code Idempotency-Key} commit at most once (SPEC §11), whatever the timing of a
 * crash or of a retry. It runs inside the unit of work and the database transaction the command bus opens for each
 * command (the same transaction that appends the events), and:
 *
 * <ul>
 *   <li>if the key's scope already has a commit mark, the command committed before — the node may have died between
 *       the commit and the answer — so the handler is not run and nothing is appended; the controller answers with
 *       the resource's current view, which shows what the first run did;</li>
 *   <li>otherwise it inserts the mark and runs the handler: the mark commits with the events or rolls back with them
 *       (a rejection, a conflict, a crash), and a concurrent run of the same scope waits on the mark's primary key
 *       and then fails, so it is retried by {@code LedgerCommands} and finds the mark on its next attempt.</li>
 * </ul>
 *
 * <p>The scope comes from the HTTP request that sends the command ({@link IdempotencyFilter#scopeOfCurrentRequest}):
 * Axon's simple command bus runs the handler on the request's thread. Commands sent without a request (expiry sweep,
 * demo loader) or without a key are not touched.
 */
@Component
public class IdempotentCommandInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {
    private final IdempotencyStore store;

    /**
     * Axon's Spring Boot auto-configuration registers every {@code MessageHandlerInterceptor<CommandMessage<?>>} bean
     * on the command bus, so this bean registers nothing itself (doing so too would run it twice per command).
     */
    public IdempotentCommandInterceptor(IdempotencyStore store) {
        this.store = store;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        IdempotencyStore.Scope scope = IdempotencyFilter.scopeOfCurrentRequest();
        if (scope == null) {
            return chain.proceed();
        }
        if (store.committed(scope)) {
            return null;
        }
        store.markCommitted(scope);
        return chain.proceed();
    }
}
