package org.subsidyledger.api.idempotency;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** The idempotency_record table: claims a key before a request runs, stores its outcome after. */
@Component
public class IdempotencyStore {
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public IdempotencyStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public record Scope(String principal, String method, String path, String key) {
    }

    public record Record(String bodySha256, String state, Integer status, String contentType, String location,
                         byte[] body, Instant createdAt) {
        boolean completed() {
            return "COMPLETED".equals(state);
        }
    }

    /** Claims the key for a request now running; false if the key is already taken (by a running or finished one). */
    public boolean claim(Scope scope, String bodySha256) {
        try {
            jdbc.update("INSERT INTO idempotency_record (principal, http_method, path, idempotency_key, body_sha256,"
                            + " state, created_at) VALUES (?, ?, ?, ?, ?, 'IN_PROGRESS', ?)",
                    scope.principal(), scope.method(), scope.path(), scope.key(), bodySha256, now());
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public Optional<Record> find(Scope scope) {
        return jdbc.query("SELECT body_sha256, state, response_status, content_type, location, response_body,"
                        + " created_at FROM idempotency_record WHERE principal = ? AND http_method = ? AND path = ?"
                        + " AND idempotency_key = ?",
                (rs, n) -> new Record(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3), rs.getString(4),
                        rs.getString(5), rs.getBytes(6),
                        rs.getObject(7, java.time.OffsetDateTime.class).toInstant()),
                scope.principal(), scope.method(), scope.path(), scope.key()).stream().findFirst();
    }

    public void complete(Scope scope, int status, String contentType, String location, byte[] body) {
        jdbc.update("UPDATE idempotency_record SET state = 'COMPLETED', response_status = ?, content_type = ?,"
                        + " location = ?, response_body = ?, completed_at = ? WHERE principal = ? AND http_method = ?"
                        + " AND path = ? AND idempotency_key = ?",
                status, contentType, location, body, now(), scope.principal(), scope.method(), scope.path(),
                scope.key());
    }

    public void release(Scope scope) {
        jdbc.update("DELETE FROM idempotency_record WHERE principal = ? AND http_method = ? AND path = ?"
                + " AND idempotency_key = ?", scope.principal(), scope.method(), scope.path(), scope.key());
    }

    /** Takes over a claim left IN_PROGRESS by a request that died (its node stopped) longer ago than {@code stale}. */
    public boolean takeOverStale(Scope scope, String bodySha256, Duration stale) {
        return jdbc.update("UPDATE idempotency_record SET created_at = ? WHERE principal = ? AND http_method = ?"
                        + " AND path = ? AND idempotency_key = ? AND state = 'IN_PROGRESS' AND body_sha256 = ?"
                        + " AND created_at < ?", now(), scope.principal(), scope.method(), scope.path(), scope.key(),
                bodySha256, now().minus(stale)) == 1;
    }

    /** Forgets outcomes older than the retention period. */
    public int purgeOlderThan(Duration retention) {
        return jdbc.update("DELETE FROM idempotency_record WHERE state = 'COMPLETED' AND created_at < ?",
                now().minus(retention));
    }

    private java.time.OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
