package org.subsidyledger.api.support;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.context.ApplicationContext;

import java.time.Duration;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.fail;

/** Waiting for a node's event processors to catch up with the log. */
public final class Processors {
    private Processors() {
    }

    /**
     * Waits, polling with a bound, until every segment of each named streaming processor on this node has processed
     * the whole log as it stands when called; fails describing the segments otherwise.
     */
    public static void awaitHead(ApplicationContext context, Duration timeout, String... names) {
        TrackingToken headToken = context.getBean(EventStorageEngine.class).createHeadToken();
        long head = headToken == null ? -1 : headToken.position().orElse(-1);
        for (String name : names) {
            StreamingEventProcessor processor = context.getBean(EventProcessingConfiguration.class)
                    .eventProcessor(name, StreamingEventProcessor.class)
                    .orElseThrow(() -> new AssertionError("no streaming processor " + name));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!atHead(processor, head)) {
                if (System.nanoTime() > deadline) {
                    fail("processor " + name + " did not reach global index " + head + " within " + timeout + ": "
                            + processor.processingStatus());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static boolean atHead(StreamingEventProcessor processor, long head) {
        double covered = 0;
        for (EventTrackerStatus status : processor.processingStatus().values()) {
            covered += 1.0 / (status.getSegment().getMask() + 1);
            OptionalLong position = status.getCurrentPosition();
            if (status.isErrorState() || position.isEmpty() || position.getAsLong() < head) {
                return false;
            }
        }
        return Math.abs(covered - 1.0) < 1e-9;
    }
}
