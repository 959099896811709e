package org.subsidyledger.api.support;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.context.ApplicationContext;

/** Waiting for event processors to catch up with the log. */
public final class Processors {
    private Processors() {}

    /**
     * Waits, polling with a bound, until the named streaming processor has handled the whole log as it stands when
     * called: among the given nodes (which share one database) every segment is claimed, none is in error, and each
     * segment's position has reached the head of the event store. Fails, describing the segments, after
     * {@code timeout}.
     */
    public static void awaitHead(Duration timeout, String processor, ApplicationContext... nodes) {
        await(timeout, processor, false, nodes);
    }

    /** As {@link #awaitHead}, and no segment still holds a replay token: a replay has ended. */
    public static void awaitReplayed(Duration timeout, String processor, ApplicationContext... nodes) {
        await(timeout, processor, true, nodes);
    }

    private static void await(Duration timeout, String processor, boolean replayEnded, ApplicationContext... nodes) {
        TrackingToken headToken = nodes[0].getBean(EventStorageEngine.class).createHeadToken();
        long head = headToken == null ? -1 : headToken.position().orElse(-1);
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            double covered = 0;
            boolean behind = false;
            List<String> described = new ArrayList<>();
            for (ApplicationContext node : nodes) {
                StreamingEventProcessor streaming = node.getBean(EventProcessingConfiguration.class)
                        .eventProcessor(processor, StreamingEventProcessor.class)
                        .orElseThrow(() -> new AssertionError("no streaming processor " + processor));
                for (EventTrackerStatus status : streaming.processingStatus().values()) {
                    covered += 1.0 / (status.getSegment().getMask() + 1);
                    OptionalLong position = status.getCurrentPosition();
                    behind |= status.isErrorState()
                            || position.isEmpty()
                            || position.getAsLong() < head
                            || (replayEnded && status.isReplaying());
                    described.add("segment " + status.getSegment().getSegmentId() + " at " + position
                            + (status.isReplaying() ? " (replaying)" : "")
                            + (status.isErrorState() ? " (error " + status.getError() + ")" : ""));
                }
            }
            if (Math.abs(covered - 1.0) < 1e-9 && !behind) {
                return;
            }
            seen = described + ", covering " + covered + " of the log's segments";
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        fail("processor " + processor + " did not reach the head of the event store (" + head + ") within " + timeout
                + ": " + seen);
    }
}
