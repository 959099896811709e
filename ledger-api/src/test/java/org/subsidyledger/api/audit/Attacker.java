package org.subsidyledger.api.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.subsidyledger.api.support.PostgresDatabase;

/**
 * Someone with the database's superuser rights who rewrites the log with plain SQL, past the append-only trigger
 * ({@code ALTER TABLE … DISABLE TRIGGER ALL}); closing puts the trigger back.
 */
final class Attacker implements AutoCloseable {
    private final Connection connection;

    Attacker(String database) throws SQLException {
        connection = DriverManager.getConnection(PostgresDatabase.url(database), PostgresDatabase.USER, "");
        execute("ALTER TABLE domain_event_entry DISABLE TRIGGER ALL");
    }

    /** One stored row, every column. */
    record Row(
            long globalIndex,
            String aggregateId,
            long sequence,
            String type,
            String eventId,
            byte[] metaData,
            byte[] payload,
            String payloadRevision,
            String payloadType,
            String timeStamp) {
        Row at(long index) {
            return new Row(
                    index,
                    aggregateId,
                    sequence,
                    type,
                    eventId,
                    metaData,
                    payload,
                    payloadRevision,
                    payloadType,
                    timeStamp);
        }
    }

    Row read(long index) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT global_index, aggregate_identifier,"
                + " sequence_number, type, event_identifier, meta_data, payload, payload_revision, payload_type,"
                + " time_stamp FROM domain_event_entry WHERE global_index = ?")) {
            s.setLong(1, index);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new AssertionError("no row at " + index);
                }
                return new Row(
                        r.getLong(1),
                        r.getString(2),
                        r.getLong(3),
                        r.getString(4),
                        r.getString(5),
                        r.getBytes(6),
                        r.getBytes(7),
                        r.getString(8),
                        r.getString(9),
                        r.getString(10));
            }
        }
    }

    void delete(long index) throws SQLException {
        update("DELETE FROM domain_event_entry WHERE global_index = ?", index);
    }

    void insert(Row row) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO domain_event_entry (global_index,"
                + " aggregate_identifier, sequence_number, type, event_identifier, meta_data, payload,"
                + " payload_revision, payload_type, time_stamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, row.globalIndex());
            s.setString(2, row.aggregateId());
            s.setLong(3, row.sequence());
            s.setString(4, row.type());
            s.setString(5, row.eventId());
            s.setBytes(6, row.metaData());
            s.setBytes(7, row.payload());
            s.setString(8, row.payloadRevision());
            s.setString(9, row.payloadType());
            s.setString(10, row.timeStamp());
            s.executeUpdate();
        }
    }

    /**
     * A row made to look genuine: {@code template}'s payload and type under another identity, with a hash computed
     * exactly as the ledger would for the given prevHash.
     */
    static Row forged(Row template, long index, String aggregateId, long sequence, String eventId, String prevHash) {
        ObjectNode metadata = AuditNode.JSON.createObjectNode().put("principal", "national");
        AuditEntry entry = new AuditEntry(
                        eventId,
                        index,
                        aggregateId,
                        sequence,
                        AuditEntry.eventName(template.payloadType()),
                        template.payloadRevision(),
                        template.timeStamp(),
                        AuditEntry.readStored(template.payload()),
                        metadata,
                        null,
                        null)
                .chained(prevHash, index);
        ObjectNode stored = metadata.deepCopy().put("hash", entry.hash()).put("prevHash", prevHash);
        return new Row(
                index,
                aggregateId,
                sequence,
                template.type(),
                eventId,
                stored.toString().getBytes(StandardCharsets.UTF_8),
                template.payload(),
                template.payloadRevision(),
                template.payloadType(),
                template.timeStamp());
    }

    /**
     * {@code original} with another payload and its hash recomputed as the ledger computes it, over the same prevHash
     * and metadata: an edit that every hash check accepts as long as nothing after it commits to the old hash.
     */
    static Row rewritten(Row original, String payload) {
        ObjectNode stored = (ObjectNode) AuditEntry.readStored(original.metaData());
        String prevHash = stored.path(AuditEntry.PREV_HASH).asText();
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        AuditEntry entry = new AuditEntry(
                        original.eventId(),
                        original.globalIndex(),
                        original.aggregateId(),
                        original.sequence(),
                        AuditEntry.eventName(original.payloadType()),
                        original.payloadRevision(),
                        original.timeStamp(),
                        AuditEntry.readStored(bytes),
                        AuditEntry.publicMetadata(stored),
                        null,
                        null)
                .chained(prevHash, original.globalIndex());
        stored.put(AuditEntry.HASH, entry.hash());
        return new Row(
                original.globalIndex(),
                original.aggregateId(),
                original.sequence(),
                original.type(),
                original.eventId(),
                stored.toString().getBytes(StandardCharsets.UTF_8),
                bytes,
                original.payloadRevision(),
                original.payloadType(),
                original.timeStamp());
    }

    /** What a rolled-back append leaves behind: a global index drawn and never used. */
    long drawIndex() throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT nextval(pg_get_serial_sequence('domain_event_entry'," + " 'global_index'))")) {
            r.next();
            return r.getLong(1);
        }
    }

    int update(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            return s.executeUpdate();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            execute("ALTER TABLE domain_event_entry ENABLE TRIGGER ALL");
        } finally {
            connection.close();
        }
    }
}
