package org.subsidyledger.api.projection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.subsidyledger.api.store.ProcessorPosition;

/**
 * The event processors of this node and their replay.
 *
 * <p>A replay shuts the named streaming processor down on this node, resets its tokens — Axon calls the projection's
 * {@code @ResetHandler}, which clears its tables, and stores replay tokens from the start of the log, in one
 * transaction — and starts it again; the processor then rebuilds the projection while commands keep being appended,
 * and is caught up once its position reaches the head of the log. Only projections may be replayed: a processor with
 * side effects ({@code @DisallowReplay}, such as the Kafka publisher, which would publish every event again) and a
 * subscribing one (the ledger index, written in the appending transaction, which has no tokens) are refused. Axon
 * resets only tokens it can claim: while another node holds a segment the reset fails, nothing is changed, and the
 * processor is started again here; stop the processor on the other nodes first (AxonFramework#550).
 */
@Service
public class Projections {
    private static final Logger log = LoggerFactory.getLogger(Projections.class);
    private static final long SHUTDOWN_SECONDS = 30;

    private final EventProcessingConfiguration processing;
    private final EventStorageEngine storage;
    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final ApplicationContext context;

    public Projections(
            EventProcessingConfiguration processing,
            EventStorageEngine storage,
            JdbcTemplate jdbc,
            Serializer serializer,
            ApplicationContext context) {
        this.processing = processing;
        this.storage = storage;
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.context = context;
    }

    /** One processor as {@code GET /admin/projections} shows it. */
    public record Status(
            String name,
            String mode,
            boolean replayable,
            boolean running,
            boolean replaying,
            List<Integer> segmentsHere,
            Long position,
            long head,
            Long lag,
            String refusal) {}

    /** Why a replay was refused: the status of the answer and a message for the operator. */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public List<Status> list() {
        long head = head();
        List<Status> statuses = new ArrayList<>();
        for (Map.Entry<String, EventProcessor> e : new TreeMap<>(processing.eventProcessors()).entrySet()) {
            statuses.add(status(e.getKey(), e.getValue(), head));
        }
        return statuses;
    }

    public Status status(String name) {
        return status(name, processor(name), head());
    }

    /**
     * Shuts the processor down here, resets its tokens and starts it again. Refused (404, 409) with nothing changed
     * when the processor is unknown, not replayable, or claimed elsewhere.
     */
    public Status replay(String name) {
        EventProcessor processor = processor(name);
        String refusal = refusal(name, processor);
        if (refusal != null) {
            throw new Refused(409, refusal);
        }
        StreamingEventProcessor streaming = (StreamingEventProcessor) processor;
        synchronized (this) {
            try {
                streaming.shutdownAsync().get(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                streaming.start();
                throw new IllegalStateException(
                        "processor " + name + " did not stop within " + SHUTDOWN_SECONDS + " s", e);
            }
            try {
                streaming.resetTokens();
                log.info("projection {}: tokens reset; replaying the log from its start", name);
            } catch (RuntimeException e) {
                if (!claimedElsewhere(e)) {
                    throw e;
                }
                throw new Refused(
                        409,
                        "Processor " + name + " has segments claimed by another node, so its tokens"
                                + " cannot be reset; nothing was changed. Stop the processor on the other nodes (or stop"
                                + " them), then ask again.");
            } finally {
                streaming.start();
            }
        }
        return status(name);
    }

    private static boolean claimedElsewhere(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnableToClaimTokenException) {
                return true;
            }
        }
        return false;
    }

    /** Events of the log beyond the processor's position (the least advanced segment); null if not streaming. */
    public Long lag(String name) {
        EventProcessor processor = processing.eventProcessors().get(name);
        if (!(processor instanceof StreamingEventProcessor)) {
            return null;
        }
        return new ProcessorPosition(jdbc, serializer, name).lag();
    }

    private EventProcessor processor(String name) {
        EventProcessor processor = processing.eventProcessors().get(name);
        if (processor == null) {
            throw new Refused(
                    404,
                    "There is no event processor named '" + name + "'; GET /api/v1/admin/projections" + " lists them.");
        }
        return processor;
    }

    private Status status(String name, EventProcessor processor, long head) {
        String mode = processor instanceof PooledStreamingEventProcessor
                ? "pooled"
                : processor instanceof SubscribingEventProcessor ? "subscribing" : "tracking";
        if (!(processor instanceof StreamingEventProcessor streaming)) {
            return new Status(
                    name,
                    mode,
                    false,
                    processor.isRunning(),
                    false,
                    List.of(),
                    null,
                    head,
                    null,
                    refusal(name, processor));
        }
        List<Integer> here =
                new ArrayList<>(new TreeMap<Integer, EventTrackerStatus>(streaming.processingStatus()).keySet());
        long position = new ProcessorPosition(jdbc, serializer, name).position();
        String refusal = refusal(name, processor);
        // Replaying while any segment, claimed here or not yet claimed by anyone, still holds a replay token.
        boolean replaying = streaming.isReplaying()
                || !jdbc.queryForList(
                                "SELECT segment FROM token_entry" + " WHERE processor_name = ? AND token_type LIKE ?",
                                name,
                                "%ReplayToken")
                        .isEmpty();
        return new Status(
                name,
                mode,
                refusal == null,
                streaming.isRunning(),
                replaying,
                here,
                position,
                head,
                Math.max(0, new ProcessorPosition(jdbc, serializer, name).lag()),
                refusal);
    }

    /** Why the processor may not be replayed, or null if it may. */
    private String refusal(String name, EventProcessor processor) {
        if (!(processor instanceof StreamingEventProcessor streaming)) {
            return "Processor " + name + " is subscribing: it runs inside the transaction that appends the events and"
                    + " has no tokens to reset.";
        }
        if (!streaming.supportsReset() || disallowsReplay(name)) {
            return "Processor " + name + " has side effects (@DisallowReplay) and is never replayed: a replay would"
                    + " repeat them.";
        }
        return null;
    }

    private boolean disallowsReplay(String name) {
        Set<Class<?>> handlers = new HashSet<>();
        for (Object bean : context.getBeansWithAnnotation(ProcessingGroup.class).values()) {
            Class<?> type = AopUtils.getTargetClass(bean);
            ProcessingGroup group = AnnotatedElementUtils.findMergedAnnotation(type, ProcessingGroup.class);
            if (group != null && group.value().equals(name)) {
                handlers.add(type);
            }
        }
        return handlers.stream().anyMatch(type -> AnnotatedElementUtils.hasAnnotation(type, DisallowReplay.class));
    }

    /** The global index of the last event of the log, -1 if it is empty. */
    public long head() {
        TrackingToken token = storage.createHeadToken();
        return token == null ? -1 : token.position().orElse(-1);
    }
}
