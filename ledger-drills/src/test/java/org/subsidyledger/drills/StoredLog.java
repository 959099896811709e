package org.subsidyledger.drills;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The log as an auditor reads it with plain SQL: every row of {@code domain_event_entry} in global-index order. */
final class StoredLog {
    /** A stored event: its place in the log, its ids and its payload. */
    record Event(
            long globalIndex,
            String eventId,
            String aggregateId,
            long sequence,
            String type,
            JsonNode payload,
            Instant timestamp) {
        String text(String field) {
            JsonNode node = payload.get(field);
            return node == null || node.isNull() ? null : node.asText();
        }

        BigDecimal money(String field) {
            JsonNode node = payload.get(field);
            if (node == null || node.get("amount") == null) {
                throw new AssertionError(type + " has no amount " + field + ": " + payload);
            }
            return new BigDecimal(node.get("amount").asText());
        }

        /** The id of the load's command that appended this event, or null for set-up, seals and the like. */
        String commandId() {
            return switch (type) {
                case "VoucherIssued" -> text("voucherId");
                case "ComputeRedeemed" -> text("redemptionId");
                default -> null;
            };
        }
    }

    private StoredLog() {}

    static List<Event> read(DrillDatabase database) {
        List<Event> events = new ArrayList<>();
        try (Connection c = database.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT global_index, event_identifier, aggregate_identifier,"
                        + " sequence_number, payload_type, convert_from(payload, 'UTF8') AS payload, time_stamp"
                        + " FROM domain_event_entry ORDER BY global_index")) {
            while (rs.next()) {
                String type = rs.getString("payload_type");
                String simple = type.substring(Math.max(type.lastIndexOf('.'), type.lastIndexOf('$')) + 1);
                events.add(new Event(
                        rs.getLong("global_index"),
                        rs.getString("event_identifier"),
                        rs.getString("aggregate_identifier"),
                        rs.getLong("sequence_number"),
                        simple,
                        LedgerClient.JSON.readTree(rs.getString("payload")),
                        Instant.parse(rs.getString("time_stamp"))));
            }
        } catch (SQLException | IOException e) {
            throw new AssertionError("could not read domain_event_entry: " + e.getMessage(), e);
        }
        return events;
    }
}
