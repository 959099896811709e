package org.subsidyledger.api.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.subsidyledger.core.shared.ProgramStreamEvent;

/**
 * The stored events of one province's programs, in global index order: what a fold of the past
 * ({@code GET /provinces/{code}/budget?asOf=} and {@code /budget/series}) needs, read without the rest of the log.
 *
 * <p>A program's events are the events of its stream (aggregate id = program id), and {@code program_location} holds
 * the province of every program whose launch has committed (written by the subscribing ledger-index processor in the
 * launch's own transaction). So one query joining the two, in one read-only transaction, sees exactly the province's
 * committed events — the same set a read of the whole log would keep — and only their payloads are deserialized.
 * Rows come through a cursor, {@value #FETCH} at a time. Event time is filtered here, not in SQL: the stored stamps
 * are ISO-8601 strings of varying length, which do not sort as instants.
 */
@Component
public class ProvinceStreams {
    static final int FETCH = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate reading;
    private final ObjectMapper json = LedgerJson.newMapper();
    private final Map<String, Optional<Class<?>>> types = new ConcurrentHashMap<>();

    public ProvinceStreams(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.reading = new TransactionTemplate(transactionManager);
        reading.setReadOnly(true);
        reading.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /** One stored event of a program's stream: where it stands in the log, when it was stamped, what it says. */
    @FunctionalInterface
    public interface Entry {
        void accept(long globalIndex, Instant time, ProgramStreamEvent event);
    }

    /**
     * Hands each event of the province's program streams stamped at or before {@code until} (every one when null) to
     * {@code action} with its event time, in global index order.
     */
    public void forEach(String province, Instant until, BiConsumer<Instant, ProgramStreamEvent> action) {
        read(province, -1, until, (index, time, event) -> action.accept(time, event));
    }

    /** Hands each event of the province's program streams after global index {@code after} to {@code action}. */
    public void forEachAfter(String province, long after, Entry action) {
        read(province, after, null, action);
    }

    /** Events after {@code after}, stamped at or before {@code until} (any when null); others are never deserialized. */
    private void read(String province, long after, Instant until, Entry action) {
        RowCallbackHandler row = rs -> {
            Instant time = Instant.parse(rs.getString(2));
            if (until != null && time.isAfter(until)) {
                return;
            }
            Optional<Class<?>> type = types.computeIfAbsent(rs.getString(3), ProvinceStreams::programStreamType);
            if (type.isEmpty()) {
                return;
            }
            try {
                action.accept(rs.getLong(1), time, (ProgramStreamEvent) json.readValue(rs.getBytes(4), type.get()));
            } catch (IOException e) {
                throw new UncheckedIOException("a stored " + type.get().getSimpleName() + " cannot be read", e);
            }
        };
        reading.executeWithoutResult(tx -> jdbc.query(
                connection -> {
                    PreparedStatement statement = connection.prepareStatement(
                            "SELECT e.global_index, e.time_stamp,"
                                    + " e.payload_type, e.payload FROM domain_event_entry e JOIN program_location p"
                                    + " ON p.program_id = e.aggregate_identifier WHERE p.province = ? AND e.global_index > ?"
                                    + " ORDER BY e.global_index",
                            ResultSet.TYPE_FORWARD_ONLY,
                            ResultSet.CONCUR_READ_ONLY);
                    statement.setFetchSize(FETCH);
                    statement.setString(1, province);
                    statement.setLong(2, after);
                    return statement;
                },
                row));
    }

    /** The class of a stored payload type when it is an event of a program's stream. */
    private static Optional<Class<?>> programStreamType(String payloadType) {
        try {
            Class<?> type = Class.forName(payloadType, false, ProvinceStreams.class.getClassLoader());
            return ProgramStreamEvent.class.isAssignableFrom(type) ? Optional.of(type) : Optional.empty();
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }
}
