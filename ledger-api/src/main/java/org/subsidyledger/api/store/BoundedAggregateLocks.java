package org.subsidyledger.api.store;

import java.time.Duration;
import org.axonframework.common.lock.PessimisticLockFactory;
import org.axonframework.config.AggregateConfigurer;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives every aggregate a lock factory whose wait is bounded. Axon's default pessimistic lock factory tries 6,000
 * times 10 ms, so a command queued behind others on one program could hold its pooled connection for a minute; with
 * this one it gives up after the configured wait with a {@code LockAcquisitionFailedException}, which the API answers
 * 503 OVERLOADED. Done as a post-processor of the {@link AggregateConfigurer} beans so that every aggregate gets it,
 * including ones registered later, without each configurer repeating it.
 *
 * <p>A command takes its pooled connection (the command bus opens the transaction) before its aggregate's lock, and
 * so does {@code AggregateReader}: a lock holder never waits for a connection held by a lock waiter.
 */
public final class BoundedAggregateLocks implements BeanPostProcessor {
    private static final int ATTEMPT_MILLIS = 10;

    private final int attempts;

    BoundedAggregateLocks(Duration lockWait) {
        this.attempts = Math.max(1, Math.toIntExact(lockWait.toMillis() / ATTEMPT_MILLIS));
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AggregateConfigurer<?> aggregate) {
            aggregate.configureLockFactory(c -> PessimisticLockFactory.builder()
                    .lockAttemptTimeout(ATTEMPT_MILLIS)
                    .acquireAttempts(attempts)
                    .build());
        }
        return bean;
    }
}
