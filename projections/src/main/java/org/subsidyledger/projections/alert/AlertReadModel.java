package org.subsidyledger.projections.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads {@code fiscal_alert}, which {@link AlertProjector} writes. */
public class AlertReadModel {
    private static final TypeReference<LinkedHashMap<String, String>> FIGURES = new TypeReference<>() {};

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public AlertReadModel(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Which alerts: still open, cleared, or both. */
    public enum Status {
        OPEN,
        CLEARED,
        ANY
    }

    /**
     * Alerts newest first (by raise time, then by the raising entry's global index, then id), filtered by province and
     * program when those are given.
     */
    public List<AlertView> alerts(String province, String programId, Status status) {
        StringBuilder sql = new StringBuilder("SELECT alert_id, code, level, province, city, program_id, currency,"
                + " raised_at, cleared_at, figures, message FROM fiscal_alert WHERE 1 = 1");
        List<Object> arguments = new ArrayList<>();
        if (province != null) {
            sql.append(" AND province = ?");
            arguments.add(province);
        }
        if (programId != null) {
            sql.append(" AND program_id = ?");
            arguments.add(programId);
        }
        if (status == Status.OPEN) {
            sql.append(" AND cleared_at IS NULL");
        } else if (status == Status.CLEARED) {
            sql.append(" AND cleared_at IS NOT NULL");
        }
        sql.append(" ORDER BY raised_at DESC, raised_index DESC, alert_id DESC");
        return jdbc.query(sql.toString(), (rs, n) -> view(rs), arguments.toArray());
    }

    /** Row counts of the alert tables, for tests and operations. */
    public Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : AlertProjector.TABLES) {
            counts.put(table, jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class));
        }
        return counts;
    }

    private AlertView view(ResultSet rs) throws SQLException {
        OffsetDateTime cleared = rs.getObject("cleared_at", OffsetDateTime.class);
        return new AlertView(
                rs.getString("alert_id"),
                rs.getString("code"),
                rs.getString("level"),
                rs.getString("province"),
                rs.getString("city"),
                rs.getString("program_id"),
                rs.getString("currency"),
                rs.getObject("raised_at", OffsetDateTime.class).toInstant().toString(),
                cleared == null ? null : cleared.toInstant().toString(),
                figures(rs.getString("figures")),
                rs.getString("message"));
    }

    private Map<String, String> figures(String text) {
        try {
            return json.readValue(text, FIGURES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored figures are not JSON: " + text, e);
        }
    }
}
