package org.subsidyledger.api.store;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The gate every scheduled writer (expiry sweep, seals) checks before it appends anything on its own. The demo loader
 * closes it while it writes simulated history with past event times, so that no entry stamped "now" lands in the
 * middle of that history.
 */
@Component
public class BackgroundWork {
    private final AtomicInteger pauses = new AtomicInteger();

    /** True unless some caller holds a pause. */
    public boolean mayRun() {
        return pauses.get() == 0;
    }

    /** Closes the gate until the returned handle is closed. */
    public Pause pause() {
        pauses.incrementAndGet();
        return new Pause();
    }

    /** An open pause; closing it twice releases it once. */
    public final class Pause implements AutoCloseable {
        private boolean closed;

        private Pause() {}

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                pauses.decrementAndGet();
            }
        }
    }
}
