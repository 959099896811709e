package org.subsidyledger.api.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.DisposableBean;

/**
 * Wakes the budget processor's coordinator every {@code interval} once it has caught up with the log.
 *
 * <p>A pooled streaming processor looks for new events only every 500 ms once it has caught up, unless its stream
 * takes an "events may be available" callback (a fixed pause in Axon's coordinator): the budget figures trailed the
 * log by 250 ms on average and up to 550 ms. {@link #over} gives the processor the event store with that one addition:
 * the streams it opens take the callback and call it at every tick, from one daemon thread. The coordinator then looks
 * again: it reads what is there, committed by this node or by another one sharing the database, or finds nothing and
 * waits for the next tick. What the stream holds — events, tokens, gaps — is the event store's own.
 */
public final class CoordinatorWakeUps implements DisposableBean {
    private final Duration interval;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "budget-wake-ups");
        thread.setDaemon(true);
        return thread;
    });

    public CoordinatorWakeUps(Duration interval) {
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("The wake-up interval must be at least 1 ms, not " + interval);
        }
        this.interval = interval;
    }

    /** The {@code store} as a message source whose streams call the coordinator back at every tick. */
    public StreamableMessageSource<TrackedEventMessage<?>> over(StreamableMessageSource<TrackedEventMessage<?>> store) {
        return new Source(store);
    }

    @Override
    public void destroy() {
        ticks.shutdownNow();
    }

    private final class Source implements StreamableMessageSource<TrackedEventMessage<?>> {
        private final StreamableMessageSource<TrackedEventMessage<?>> store;

        Source(StreamableMessageSource<TrackedEventMessage<?>> store) {
            this.store = store;
        }

        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
            return new Stream(store.openStream(trackingToken));
        }

        @Override
        public TrackingToken createTailToken() {
            return store.createTailToken();
        }

        @Override
        public TrackingToken createHeadToken() {
            return store.createHeadToken();
        }

        @Override
        public TrackingToken createTokenAt(Instant dateTime) {
            return store.createTokenAt(dateTime);
        }

        @Override
        public TrackingToken createTokenSince(Duration duration) {
            return store.createTokenSince(duration);
        }
    }

    private final class Stream implements BlockingStream<TrackedEventMessage<?>> {
        private final BlockingStream<TrackedEventMessage<?>> stream;
        private ScheduledFuture<?> wakeUps;

        Stream(BlockingStream<TrackedEventMessage<?>> stream) {
            this.stream = stream;
        }

        @Override
        public synchronized boolean setOnAvailableCallback(Runnable callback) {
            if (ticks.isShutdown()) {
                return false;
            }
            if (wakeUps != null) {
                wakeUps.cancel(false);
            }
            long millis = interval.toMillis();
            wakeUps = ticks.scheduleWithFixedDelay(callback, millis, millis, TimeUnit.MILLISECONDS);
            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return stream.hasNextAvailable(timeout, unit);
        }

        @Override
        public boolean hasNextAvailable() {
            return stream.hasNextAvailable();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return stream.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public synchronized void close() {
            if (wakeUps != null) {
                wakeUps.cancel(false);
            }
            stream.close();
        }
    }
}
