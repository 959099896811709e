package org.subsidyledger.api.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wrapper alone, over a list of events in memory: what it adds to a stream and what it passes through. */
class CoordinatorWakeUpsTest {
    private final CoordinatorWakeUps wakeUps = new CoordinatorWakeUps(Duration.ofMillis(10));

    /** Two events; the stream records whether it was closed. */
    private static final class ListSource implements StreamableMessageSource<TrackedEventMessage<?>> {
        final AtomicInteger closed = new AtomicInteger();
        TrackingToken openedAt;

        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
            openedAt = trackingToken;
            Queue<TrackedEventMessage<?>> events = new ArrayDeque<>();
            for (long i = 1; i <= 2; i++) {
                events.add(new GenericTrackedEventMessage<>(
                        new GlobalSequenceTrackingToken(i), GenericEventMessage.asEventMessage("event-" + i)));
            }
            return new BlockingStream<>() {
                @Override
                public Optional<TrackedEventMessage<?>> peek() {
                    return Optional.ofNullable(events.peek());
                }

                @Override
                public boolean hasNextAvailable(int timeout, TimeUnit unit) {
                    return !events.isEmpty();
                }

                @Override
                public TrackedEventMessage<?> nextAvailable() {
                    return events.remove();
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }

        @Override
        public TrackingToken createHeadToken() {
            return new GlobalSequenceTrackingToken(2);
        }

        @Override
        public TrackingToken createTailToken() {
            return new GlobalSequenceTrackingToken(-1);
        }
    }

    @AfterEach
    void stop() {
        wakeUps.destroy();
    }

    @Test
    void aStreamTakesTheCallbackAndCallsItAtEveryTickUntilClosed() throws InterruptedException {
        ListSource store = new ListSource();
        BlockingStream<TrackedEventMessage<?>> stream = wakeUps.over(store).openStream(null);
        CountDownLatch fiveTicks = new CountDownLatch(5);
        AtomicInteger calls = new AtomicInteger();
        assertThat(stream.setOnAvailableCallback(() -> {
                    calls.incrementAndGet();
                    fiveTicks.countDown();
                }))
                .as("the callback is taken, so the coordinator waits for it instead of its fixed 500 ms")
                .isTrue();
        assertThat(fiveTicks.await(5, TimeUnit.SECONDS)).isTrue();

        stream.close();
        assertThat(store.closed).hasValue(1);
        int atClose = calls.get();
        Thread.sleep(100);
        assertThat(calls.get()).as("no tick after the stream closed").isLessThanOrEqualTo(atClose + 1);
    }

    @Test
    void eventsAndTokensAreTheStoresOwn() throws InterruptedException {
        ListSource store = new ListSource();
        StreamableMessageSource<TrackedEventMessage<?>> source = wakeUps.over(store);
        assertThat(source.createHeadToken()).isEqualTo(new GlobalSequenceTrackingToken(2));
        assertThat(source.createTailToken()).isEqualTo(new GlobalSequenceTrackingToken(-1));

        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(new GlobalSequenceTrackingToken(0));
        assertThat(store.openedAt).isEqualTo(new GlobalSequenceTrackingToken(0));
        assertThat(stream.peek().orElseThrow().getPayload()).isEqualTo("event-1");
        assertThat(stream.nextAvailable().getPayload()).isEqualTo("event-1");
        assertThat(stream.hasNextAvailable()).isTrue();
        assertThat(stream.nextAvailable().trackingToken()).isEqualTo(new GlobalSequenceTrackingToken(2));
        assertThat(stream.hasNextAvailable()).isFalse();
        stream.close();
    }

    @Test
    void afterShutdownAStreamRefusesTheCallbackAndTheCoordinatorFallsBackToItsOwnPause() {
        BlockingStream<TrackedEventMessage<?>> stream =
                wakeUps.over(new ListSource()).openStream(null);
        wakeUps.destroy();
        assertThat(stream.setOnAvailableCallback(() -> {})).isFalse();
    }

    @Test
    void anIntervalBelowOneMillisecondIsRefused() {
        assertThatThrownBy(() -> new CoordinatorWakeUps(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
