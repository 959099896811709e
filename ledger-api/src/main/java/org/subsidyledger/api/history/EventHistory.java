package org.subsidyledger.api.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.subsidyledger.api.store.LedgerJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Reads the history of one voucher or housing grant: its events in the order of its program's stream, each with its
 * event time, global index, sequence number in the program's stream, the principal that caused it and its data (the
 * stored event without the fields every event of the program repeats).
 *
 * <p>The program's stream holds the events of all its vouchers and grants, thousands for a busy program; the
 * {@code entity_event} rows name exactly this one's, and one join reads them from {@code domain_event_entry}.
 */
@Component
public class EventHistory {
    /** What a history is of. */
    public enum Kind { VOUCHER, GRANT }

    /** Fields every event of a program stream carries; the view around the history shows them once. */
    private static final Set<String> REPEATED = Set.of("programId", "province", "city", "programKind", "currency",
            "voucherId", "grantId", "schedule");

    /** One event of the history. */
    public record Entry(String type, Instant eventTime, long globalIndex, long sequence, String principal,
                        JsonNode data) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = LedgerJson.newMapper();

    public EventHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<Entry> of(Kind kind, String id) {
        return jdbc.query("SELECT e.global_index, e.sequence_number, e.payload_type, e.time_stamp, e.payload,"
                        + " e.meta_data FROM entity_event h JOIN domain_event_entry e"
                        + " ON e.aggregate_identifier = h.program_id AND e.sequence_number = h.sequence_number"
                        + " WHERE h.entity_kind = ? AND h.entity_id = ? ORDER BY e.sequence_number",
                (row, n) -> {
                    String type = row.getString("payload_type");
                    ObjectNode data = (ObjectNode) read(row.getBytes("payload"));
                    data.remove(REPEATED);
                    byte[] meta = row.getBytes("meta_data");
                    String principal = meta == null ? null : read(meta).path("principal").asText(null);
                    return new Entry(type.substring(Math.max(type.lastIndexOf('$'), type.lastIndexOf('.')) + 1),
                            Instant.parse(row.getString("time_stamp")), row.getLong("global_index"),
                            row.getLong("sequence_number"), principal, data);
                }, kind.name(), id);
    }

    private JsonNode read(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored event is not JSON", e);
        }
    }
}
