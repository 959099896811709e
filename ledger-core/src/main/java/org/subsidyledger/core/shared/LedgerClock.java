package org.subsidyledger.core.shared;

import java.time.Instant;
import org.axonframework.eventhandling.GenericEventMessage;

/**
 * The one source of "now" for the domain. It reads the clock that also stamps every event Axon appends
 * ({@link GenericEventMessage#clock}), so a rule decided "at" an instant and the event it appends agree.
 * The application sets that clock (the server clock, or the demo loader's simulated past), tests set it too.
 */
public final class LedgerClock {
    private LedgerClock() {}

    public static Instant now() {
        return GenericEventMessage.clock.instant();
    }
}
