package org.subsidyledger.api.store;

import java.time.Clock;
import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.beans.factory.DisposableBean;

/**
 * The ledger's clock installed as Axon's event clock, which stamps every event and which the domain reads as "now"
 * ({@code LedgerClock}); the previous clock is put back when the context closes.
 */
public final class EventClock implements DisposableBean {
    private final Clock previous;

    EventClock(Clock clock) {
        previous = GenericEventMessage.clock;
        GenericEventMessage.clock = clock;
    }

    @Override
    public void destroy() {
        GenericEventMessage.clock = previous;
    }
}
