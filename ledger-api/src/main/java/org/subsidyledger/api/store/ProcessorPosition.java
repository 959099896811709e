package org.subsidyledger.api.store;

import java.util.List;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How far a streaming processor is behind the log — the Kafka publisher, a projection: its position and the events
 * whose global index lies beyond it.
 *
 * <p>Read from the database ({@code token_entry}, {@code domain_event_entry}), not from this node's processor, so
 * every node of a deployment reports the same figure whichever of them holds the processor's segments. With several
 * segments the one furthest behind counts.
 */
public class ProcessorPosition {
    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final String processorName;

    public ProcessorPosition(JdbcTemplate jdbc, Serializer serializer, String processorName) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.processorName = processorName;
    }

    /** Global index up to which the processor has handled the log (for the publisher: acknowledged by the broker), -1
     * before the first. */
    public long position() {
        return tokens().stream()
                .mapToLong(t -> t == null ? -1 : t.position().orElse(-1))
                .min()
                .orElse(-1);
    }

    /** The stored token of each of the processor's segments (null for a segment at the log's start). */
    public List<TrackingToken> tokens() {
        return jdbc.query(
                "SELECT token, token_type FROM token_entry WHERE processor_name = ?",
                (row, n) -> {
                    byte[] token = row.getBytes("token");
                    String type = row.getString("token_type");
                    if (token == null || type == null) {
                        return null;
                    }
                    TrackingToken tracking =
                            serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null));
                    return tracking;
                },
                processorName);
    }

    /** Events appended and not yet handled. */
    public long lag() {
        Long count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM domain_event_entry WHERE global_index > ?", Long.class, position());
        return count == null ? 0 : count;
    }
}
