package org.subsidyledger.api.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.subsidyledger.api.store.LedgerJson;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;

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
    public enum Kind {
        VOUCHER,
        GRANT
    }

    /** Fields every event of a program stream carries; the view around the history shows them once. */
    private static final Set<String> REPEATED =
            Set.of("programId", "province", "city", "programKind", "currency", "voucherId", "grantId", "schedule");

    /** One event of the history. */
    public record Entry(
            String type, Instant eventTime, long globalIndex, long sequence, String principal, JsonNode data) {}

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = LedgerJson.newMapper();

    public EventHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** How many of the most recent entries a voucher or grant view carries; the rest is paged (SPEC §5). */
    public static final int VIEW_ENTRIES = 50;
    /** The largest page of {@code GET .../history}. */
    public static final int MAX_PAGE = 500;

    private static final int DEFAULT_PAGE = 50;

    /** One page of a history: {@code next} is the global index to pass as {@code after} for the next page, or null. */
    public record Page(List<Entry> items, Long next) {}

    /** {@code after} (exclusive global index) and {@code limit} of a page request, checked. */
    public record Paging(long after, int limit) {
        /** Parses the query parameters; either may be absent. Anything else is VALIDATION_FAILED. */
        public static Paging parse(String after, String limit) {
            long from = -1;
            int size = DEFAULT_PAGE;
            try {
                if (after != null) {
                    from = Long.parseLong(after);
                }
                if (limit != null) {
                    size = Integer.parseInt(limit);
                }
            } catch (NumberFormatException e) {
                throw invalid();
            }
            if (from < 0 && after != null || size < 1 || size > MAX_PAGE) {
                throw invalid();
            }
            return new Paging(from, size);
        }

        private static LedgerRejection invalid() {
            return new LedgerRejection(
                    RejectionCode.VALIDATION_FAILED,
                    "after must be a global index (an integer" + " >= 0) and limit an integer from 1 to " + MAX_PAGE
                            + ".");
        }
    }

    /** The whole history, in the order of the program's stream. */
    public List<Entry> of(Kind kind, String id) {
        return jdbc.query(
                SELECT + " WHERE h.entity_kind = ? AND h.entity_id = ? ORDER BY e.sequence_number",
                this::entry,
                kind.name(),
                id);
    }

    /**
     * The most recent {@code count} entries, oldest first: what a view carries, so that a command's answer stays the
     * same size however long the voucher's history grows.
     */
    public List<Entry> recent(Kind kind, String id, int count) {
        List<Entry> newestFirst = jdbc.query(
                // The whole key in the ORDER BY: H2 then walks the primary key backwards and stops at the limit.
                // Ordered by the last column alone, it read every entry of the entity and sorted them.
                SELECT + " WHERE h.entity_kind = ? AND h.entity_id = ?"
                        + " ORDER BY h.entity_kind DESC, h.entity_id DESC, h.sequence_number DESC LIMIT ?",
                this::entry,
                kind.name(),
                id,
                count);
        List<Entry> entries = new ArrayList<>(newestFirst);
        Collections.reverse(entries);
        return entries;
    }

    /** The entries after global index {@code paging.after()}, at most {@code paging.limit()}, in global order. */
    public Page page(Kind kind, String id, Paging paging) {
        List<Entry> items = jdbc.query(
                SELECT + " WHERE h.entity_kind = ? AND h.entity_id = ? AND e.global_index > ?"
                        + " ORDER BY e.global_index LIMIT ?",
                this::entry,
                kind.name(),
                id,
                paging.after(),
                paging.limit() + 1);
        if (items.size() > paging.limit()) {
            List<Entry> page = List.copyOf(items.subList(0, paging.limit()));
            return new Page(page, page.get(page.size() - 1).globalIndex());
        }
        return new Page(items, null);
    }

    private static final String SELECT = "SELECT e.global_index, e.sequence_number, e.payload_type, e.time_stamp,"
            + " e.payload, e.meta_data FROM entity_event h JOIN domain_event_entry e"
            + " ON e.aggregate_identifier = h.program_id AND e.sequence_number = h.sequence_number";

    private Entry entry(ResultSet row, int n) throws SQLException {
        String type = row.getString("payload_type");
        ObjectNode data = (ObjectNode) read(row.getBytes("payload"));
        data.remove(REPEATED);
        byte[] meta = row.getBytes("meta_data");
        String principal = meta == null ? null : read(meta).path("principal").asText(null);
        return new Entry(
                type.substring(Math.max(type.lastIndexOf('$'), type.lastIndexOf('.')) + 1),
                Instant.parse(row.getString("time_stamp")),
                row.getLong("global_index"),
                row.getLong("sequence_number"),
                principal,
                data);
    }

    private JsonNode read(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored event is not JSON", e);
        }
    }
}
