package org.subsidyledger.api.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A clock the test sets by hand; it becomes the ledger's event clock through the application's Clock bean. It stands
 * still ({@link #set}) or runs at the wall clock's pace from a chosen instant ({@link #runFrom}); either way
 * {@link #advance} jumps it forward.
 */
public final class MutableClock extends Clock {
    private volatile Instant base;
    private volatile long baseNanos;
    private volatile boolean running;

    public MutableClock(Instant start) {
        this.base = start;
    }

    /** Stops the clock at {@code instant}. */
    public void set(Instant instant) {
        running = false;
        base = instant;
    }

    /** Lets the clock run from {@code instant}, as the wall clock does. */
    public void runFrom(Instant instant) {
        baseNanos = System.nanoTime();
        base = instant;
        running = true;
    }

    /** Stops the clock at the next whole millisecond after every instant it has shown; returns that instant. */
    public Instant stop() {
        Instant stopped = instant().plusMillis(1).truncatedTo(ChronoUnit.MILLIS);
        set(stopped);
        return stopped;
    }

    public void advance(Duration duration) {
        base = base.plus(duration);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant at = base;
        return running ? at.plusNanos(System.nanoTime() - baseNanos) : at;
    }
}
