package org.subsidyledger.api.idempotency;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

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
        /** SHA-256 of the scope's four parts, each length-prefixed so no two scopes share a digest input. */
        public String sha256() {
            StringBuilder joined = new StringBuilder();
            for (String part : new String[] {principal, method, path, key}) {
                joined.append(part.length()).append(':').append(part);
            }
            return IdempotencyFilter.sha256(joined.toString().getBytes(StandardCharsets.UTF_8));
        }

        /**
         * A UUID derived from the scope, for the id of a thing the request creates without a client-supplied id: a
         * retry of the request names the same voucher, grant or program, so its answer shows what the first run
         * created.
         */
        public UUID derivedId() {
            return UUID.nameUUIDFromBytes(("subsidy-ledger:" + sha256()).getBytes(StandardCharsets.UTF_8));
        }
    }

    public record Record(
            String bodySha256,
            String state,
            Integer status,
            String contentType,
            String location,
            byte[] body,
            Instant createdAt) {
        boolean completed() {
            return "COMPLETED".equals(state);
        }
    }

    /** Claims the key for a request now running; false if the key is already taken (by a running or finished one). */
    public boolean claim(Scope scope, String bodySha256) {
        try {
            jdbc.update(
                    "INSERT INTO idempotency_record (principal, http_method, path, idempotency_key, body_sha256,"
                            + " state, created_at) VALUES (?, ?, ?, ?, ?, 'IN_PROGRESS', ?)",
                    scope.principal(),
                    scope.method(),
                    scope.path(),
                    scope.key(),
                    bodySha256,
                    now());
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public Optional<Record> find(Scope scope) {
        return jdbc
                .query(
                        "SELECT body_sha256, state, response_status, content_type, location, response_body,"
                                + " created_at FROM idempotency_record WHERE principal = ? AND http_method = ? AND path = ?"
                                + " AND idempotency_key = ?",
                        (rs, n) -> new Record(
                                rs.getString(1),
                                rs.getString(2),
                                (Integer) rs.getObject(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getBytes(6),
                                rs.getObject(7, OffsetDateTime.class).toInstant()),
                        scope.principal(),
                        scope.method(),
                        scope.path(),
                        scope.key())
                .stream()
                .findFirst();
    }

    public void complete(Scope scope, int status, String contentType, String location, byte[] body) {
        jdbc.update(
                "UPDATE idempotency_record SET state = 'COMPLETED', response_status = ?, content_type = ?,"
                        + " location = ?, response_body = ?, completed_at = ? WHERE principal = ? AND http_method = ?"
                        + " AND path = ? AND idempotency_key = ?",
                status,
                contentType,
                location,
                body,
                now(),
                scope.principal(),
                scope.method(),
                scope.path(),
                scope.key());
    }

    public void release(Scope scope) {
        jdbc.update(
                "DELETE FROM idempotency_record WHERE principal = ? AND http_method = ? AND path = ?"
                        + " AND idempotency_key = ?",
                scope.principal(),
                scope.method(),
                scope.path(),
                scope.key());
    }

    /**
     * Takes over a claim left IN_PROGRESS longer ago than {@code stale}: by a request whose node died, or whose database
     * went away before it could free the key. Safe however short {@code stale} is: the claim only keeps two attempts
     * from running side by side; a command commits at most once because its commit mark is written in the command's
     * own transaction ({@link IdempotentCommandInterceptor}). {@code stale} (15 s by default) is longer than any live
     * request can run, since every wait of a request is bounded (docs/RELIABILITY.md §1).
     */
    public boolean takeOverStale(Scope scope, String bodySha256, Duration stale) {
        return jdbc.update(
                        "UPDATE idempotency_record SET created_at = ? WHERE principal = ? AND http_method = ?"
                                + " AND path = ? AND idempotency_key = ? AND state = 'IN_PROGRESS' AND body_sha256 = ?"
                                + " AND created_at < ?",
                        now(),
                        scope.principal(),
                        scope.method(),
                        scope.path(),
                        scope.key(),
                        bodySha256,
                        now().minus(stale))
                == 1;
    }

    /**
     * Whether a command sent under this scope has committed (its events are in the log). Read outside the command's
     * transaction by the filter, inside it by {@link IdempotentCommandInterceptor}.
     */
    public boolean committed(Scope scope) {
        Integer found = jdbc.query(
                        "SELECT COUNT(*) FROM idempotency_commit WHERE scope_sha256 = ?",
                        (rs, n) -> rs.getInt(1),
                        scope.sha256())
                .get(0);
        return found != null && found > 0;
    }

    /**
     * Records that the command of this scope commits, in the transaction that appends its events (the caller's). A
     * second run of the scope whose first is not yet committed waits here for it and then fails on the primary key,
     * which rolls its transaction back: the two can never both commit.
     */
    void markCommitted(Scope scope) {
        jdbc.update("INSERT INTO idempotency_commit (scope_sha256, committed_at) VALUES (?, ?)", scope.sha256(), now());
    }

    /** Forgets outcomes older than the retention period, and the commit marks of the same age. */
    public int purgeOlderThan(Duration retention) {
        jdbc.update("DELETE FROM idempotency_commit WHERE committed_at < ?", now().minus(retention));
        return jdbc.update(
                "DELETE FROM idempotency_record WHERE state = 'COMPLETED' AND created_at < ?", now().minus(retention));
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
