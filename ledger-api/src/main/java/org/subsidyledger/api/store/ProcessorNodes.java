package org.subsidyledger.api.store;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.pooled.MaxSegmentProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The ledger nodes sharing this database, and the fair share of a streaming processor's segments each may claim.
 *
 * <p>Axon's pooled streaming processor lets a node claim every unclaimed segment; the node that starts first would
 * keep them all and a second node would idle. Each node therefore writes a heartbeat to {@code event_processor_node}
 * every {@code ledger.processing.heartbeat-interval} (2 s), and {@link #fairShare()} limits a node to
 * {@code ceil(segments / live nodes)} segments, where a node is live while its heartbeat is younger than
 * {@code ledger.processing.node-timeout} (10 s). Axon asks the limit at every claim round and releases segments above
 * it; the other nodes pick them up. When a node stops, it deletes its row (or its heartbeat ages out after a crash),
 * and the others' share grows to cover its segments. Which node processes a segment never matters for correctness:
 * a segment's token is claimed by one node at a time and stored with the changes it covers.
 *
 * <p>Heartbeats use the wall clock, not the ledger's event clock (which tests move by hand): they are about processes,
 * not about the history.
 */
public class ProcessorNodes {
    private static final Logger log = LoggerFactory.getLogger(ProcessorNodes.class);
    private static final long SHARE_CACHE_NANOS = Duration.ofMillis(250).toNanos();

    private final JdbcTemplate jdbc;
    private final String nodeId;
    private final Duration nodeTimeout;
    private final Clock wallClock = Clock.systemUTC();
    private final Map<String, long[]> shares = new ConcurrentHashMap<>();

    public ProcessorNodes(JdbcTemplate jdbc, String nodeId, Duration nodeTimeout) {
        this.jdbc = jdbc;
        this.nodeId = nodeId;
        this.nodeTimeout = nodeTimeout;
    }

    /** The owner name this node's token claims carry. */
    public String nodeId() {
        return nodeId;
    }

    @Scheduled(fixedDelayString = "${ledger.processing.heartbeat-interval:2s}")
    public void heartbeat() {
        OffsetDateTime now = wallClock.instant().atOffset(ZoneOffset.UTC);
        try {
            if (jdbc.update("UPDATE event_processor_node SET heartbeat_at = ? WHERE node_id = ?", now, nodeId) == 0) {
                jdbc.update("INSERT INTO event_processor_node (node_id, heartbeat_at) VALUES (?, ?)", nodeId, now);
            }
            // Nodes that died long ago are forgotten; those that died recently merely stop counting as live.
            jdbc.update(
                    "DELETE FROM event_processor_node WHERE heartbeat_at < ?", now.minus(nodeTimeout.multipliedBy(10)));
        } catch (DataAccessException e) {
            log.warn("node {} could not record its heartbeat: {}", nodeId, e.getMessage());
        }
    }

    @PreDestroy
    public void leave() {
        try {
            jdbc.update("DELETE FROM event_processor_node WHERE node_id = ?", nodeId);
        } catch (DataAccessException e) {
            log.debug("node {} could not remove its heartbeat on shutdown: {}", nodeId, e.getMessage());
        }
    }

    /** This node and every other node whose heartbeat is recent. */
    public int liveNodes() {
        OffsetDateTime since = wallClock.instant().minus(nodeTimeout).atOffset(ZoneOffset.UTC);
        Integer others = jdbc.queryForObject(
                "SELECT COUNT(*) FROM event_processor_node" + " WHERE heartbeat_at >= ? AND node_id <> ?",
                Integer.class,
                since,
                nodeId);
        return 1 + (others == null ? 0 : others);
    }

    /** How many segments of a processor this node may claim: {@code ceil(segments / live nodes)}. */
    public MaxSegmentProvider fairShare() {
        return processor -> {
            long now = System.nanoTime();
            long[] cached = shares.get(processor);
            if (cached != null && now - cached[1] < SHARE_CACHE_NANOS) {
                return (int) cached[0];
            }
            int share = computeShare(processor);
            shares.put(processor, new long[] {share, now});
            return share;
        };
    }

    private int computeShare(String processor) {
        try {
            Integer segments = jdbc.queryForObject(
                    "SELECT COUNT(*) FROM token_entry WHERE processor_name = ?", Integer.class, processor);
            if (segments == null || segments == 0) {
                return Short.MAX_VALUE; // not initialised yet: the first node creates and may claim every segment
            }
            int nodes = liveNodes();
            return (segments + nodes - 1) / nodes;
        } catch (DataAccessException e) {
            // Unknown: never stop processing for it; at worst one node holds more than its share for a while.
            return Short.MAX_VALUE;
        }
    }
}
