package org.subsidyledger.api.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.store.LedgerIndexProjector;
import org.subsidyledger.api.store.LedgerJson;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalGranted;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRejected;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRequested;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.RequestId;

/**
 * The approval requests of every program, by id and by province: written in the ledger index's processing group, so
 * each row commits with the event it records (a request answered 202 is found at once), and read by
 * {@code /approvals}. Approving or rejecting routes by it to the request's program; the program aggregate itself
 * decides, so this index never decides anything.
 */
@ProcessingGroup(LedgerIndexProjector.PROCESSING_GROUP)
public class ApprovalIndex {
    /** What a request is to its reader; EXPIRED is a pending request past its expiry. */
    public enum Status {
        PENDING,
        APPROVED,
        REJECTED,
        EXPIRED
    }

    private static final ObjectMapper JSON = LedgerJson.newMapper();
    private static final String COLUMNS = "request_id, program_id, province, action, amount, threshold, currency,"
            + " maker, checker, status, reason, command, requested_at, expires_at, decided_at";

    private final JdbcTemplate jdbc;

    public ApprovalIndex(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // ---------------------------------------------------------------- kept with the log

    @EventHandler
    void on(ApprovalRequested event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update(
                "INSERT INTO approval_request (request_id, program_id, province, action, amount, threshold, currency,"
                        + " maker, status, command, requested_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?)",
                event.requestId().value(),
                event.programId().value(),
                event.province(),
                event.action(),
                event.amount().amount().toPlainString(),
                event.threshold().amount().toPlainString(),
                event.currency().name(),
                event.maker(),
                commandJson(event.command()).toString(),
                Timestamp.from(at),
                Timestamp.from(event.expiresAt()));
    }

    @EventHandler
    void on(ApprovalGranted event, @org.axonframework.eventhandling.Timestamp Instant at) {
        decide(event.requestId(), "APPROVED", event.checker(), null, at);
    }

    @EventHandler
    void on(ApprovalRejected event, @org.axonframework.eventhandling.Timestamp Instant at) {
        decide(event.requestId(), "REJECTED", event.checker(), event.reason(), at);
    }

    private void decide(RequestId requestId, String status, String checker, String reason, Instant at) {
        jdbc.update(
                "UPDATE approval_request SET status = ?, checker = ?, reason = ?, decided_at = ? WHERE request_id = ?",
                status,
                checker,
                reason,
                Timestamp.from(at),
                requestId.value());
    }

    /** A request's command as the log stores it. */
    private static JsonNode commandJson(Object command) {
        return JSON.valueToTree(command);
    }

    // ---------------------------------------------------------------- reading

    /** One request as a reader sees it at {@code now}. */
    public record Row(
            RequestId requestId,
            ProgramId programId,
            String province,
            String action,
            Money amount,
            Money threshold,
            String maker,
            String checker,
            Status status,
            String reason,
            JsonNode command,
            Instant requestedAt,
            Instant expiresAt,
            Instant decidedAt) {}

    public Optional<Row> find(RequestId requestId, Instant now) {
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM approval_request WHERE request_id = ?",
                        (rs, n) -> row(rs, now),
                        requestId.value())
                .stream()
                .findFirst();
    }

    /**
     * Requests of a province (or of all, {@code province} null) in a status (or any), oldest first: a pending list
     * is worked from its oldest request.
     */
    public List<Row> list(String province, Status status, Instant now, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM approval_request WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (province != null) {
            sql.append(" AND province = ?");
            args.add(province);
        }
        if (status == Status.PENDING || status == Status.EXPIRED) {
            sql.append(" AND status = 'PENDING' AND expires_at ")
                    .append(status == Status.PENDING ? ">" : "<=")
                    .append(" ?");
            args.add(Timestamp.from(now));
        } else if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.name());
        }
        sql.append(" ORDER BY requested_at, request_id LIMIT ").append(limit);
        return jdbc.query(sql.toString(), (rs, n) -> row(rs, now), args.toArray());
    }

    private static Row row(ResultSet rs, Instant now) throws SQLException {
        CurrencyCode currency = CurrencyCode.valueOf(rs.getString("currency"));
        Instant expiresAt = rs.getTimestamp("expires_at").toInstant();
        Status status = Status.valueOf(rs.getString("status"));
        if (status == Status.PENDING && !now.isBefore(expiresAt)) {
            status = Status.EXPIRED;
        }
        Timestamp decided = rs.getTimestamp("decided_at");
        JsonNode command;
        try {
            command = JSON.readTree(rs.getString("command"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("approval_request.command is not JSON", e);
        }
        return new Row(
                RequestId.of(rs.getString("request_id")),
                ProgramId.of(rs.getString("program_id")),
                rs.getString("province"),
                rs.getString("action"),
                Money.of(rs.getString("amount"), currency),
                Money.of(rs.getString("threshold"), currency),
                rs.getString("maker"),
                rs.getString("checker"),
                status,
                rs.getString("reason"),
                command,
                rs.getTimestamp("requested_at").toInstant(),
                expiresAt,
                decided == null ? null : decided.toInstant());
    }
}
