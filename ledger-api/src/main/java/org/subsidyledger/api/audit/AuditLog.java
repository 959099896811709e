package org.subsidyledger.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads the stored log as audit entries, in global index order, from a database cursor: rows are fetched
 * {@value #FETCH_SIZE} at a time and handed on one by one, so neither the export nor the verification ever holds the
 * log in memory. On PostgreSQL a cursor needs a transaction (a read-only one is opened); H2 spills large results to
 * disk.
 */
public final class AuditLog {
    static final int FETCH_SIZE = 500;

    private final JdbcTemplate cursor;
    private final TransactionTemplate readOnly;

    public AuditLog(DataSource dataSource, PlatformTransactionManager transactionManager) {
        this.cursor = new JdbcTemplate(dataSource);
        this.cursor.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
        this.readOnly.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Which entries to read; null fields do not filter. {@code limit} null reads to the end. */
    public record Filter(Long after, Integer limit, String aggregateId, String type, String province) {
        public static final Filter ALL = new Filter(null, null, null, null, null);
    }

    /** What a reader does with each entry; it may stop early by returning false. */
    @FunctionalInterface
    public interface Reader {
        boolean read(AuditEntry entry);
    }

    /** Reads every entry the filter selects, in global index order. */
    public void read(Filter filter, Reader reader) {
        StringBuilder sql = new StringBuilder("SELECT global_index, event_identifier, aggregate_identifier,"
                + " sequence_number, payload_type, payload_revision, time_stamp, payload, meta_data"
                + " FROM domain_event_entry WHERE global_index > ?");
        List<Object> arguments = new ArrayList<>();
        arguments.add(filter.after() == null ? Long.MIN_VALUE : filter.after());
        if (filter.aggregateId() != null) {
            sql.append(" AND aggregate_identifier = ?");
            arguments.add(filter.aggregateId());
        }
        if (filter.type() != null) {
            // payload_type is the class name: a top-level record (…core.audit.LedgerSealed) or a nested one (…$Name)
            sql.append(" AND (payload_type LIKE ? OR payload_type LIKE ?)");
            arguments.add("%." + filter.type());
            arguments.add("%$" + filter.type());
        }
        sql.append(" ORDER BY global_index");
        if (filter.limit() != null && filter.province() == null) {
            sql.append(" LIMIT ?");
            arguments.add(filter.limit());
        }
        Predicate<AuditEntry> inProvince = filter.province() == null
                ? e -> true
                : e -> filter.province().equals(e.payload().path("province").asText(null));
        readOnly.executeWithoutResult(tx -> cursor.query(
                con -> {
                    var statement = con.prepareStatement(
                            sql.toString(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                    statement.setFetchSize(FETCH_SIZE);
                    for (int i = 0; i < arguments.size(); i++) {
                        statement.setObject(i + 1, arguments.get(i));
                    }
                    return statement;
                },
                (ResultSetExtractor<Void>) rows -> {
                    long emitted = 0;
                    while (rows.next()) {
                        AuditEntry entry = entryOf(rows);
                        if (!inProvince.test(entry)) {
                            continue;
                        }
                        emitted++;
                        if (!reader.read(entry) || (filter.limit() != null && emitted >= filter.limit())) {
                            break;
                        }
                    }
                    return null;
                }));
    }

    private static AuditEntry entryOf(ResultSet row) throws SQLException {
        JsonNode metadata = AuditEntry.readStored(row.getBytes(9));
        return new AuditEntry(
                row.getString(2),
                row.getLong(1),
                row.getString(3),
                row.getLong(4),
                AuditEntry.eventName(row.getString(5)),
                row.getString(6),
                row.getString(7),
                AuditEntry.readStored(row.getBytes(8)),
                AuditEntry.publicMetadata(metadata),
                text(metadata, AuditEntry.HASH),
                text(metadata, AuditEntry.PREV_HASH));
    }

    private static String text(JsonNode metadata, String field) {
        JsonNode value = metadata.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
