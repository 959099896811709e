package org.subsidyledger.projections.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.core.alert.Alert;
import org.subsidyledger.core.alert.AlertEngine;
import org.subsidyledger.core.alert.AlertThresholds;
import org.subsidyledger.core.alert.AlertTransition;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Keeps {@code fiscal_alert} and the outbox {@code alert_transition} in step with the log (SPEC §6), in the tracking
 * processor {@value #PROCESSING_GROUP} with one segment, so that every entry reaches the engine in global order.
 *
 * <p>The engine's state is held in memory only. It is rebuilt — "warmed up" — by folding the stored log below the
 * next entry to handle, reading the event store directly and writing nothing (the alerts those entries raised are in
 * the tables already), whenever it cannot be trusted to stand exactly where the processor's stored token stands: on
 * the first entry after a start, after a unit of work rolled back (the engine had moved on with it), and when the
 * stored token is not the engine's last entry (another node processed entries in between, while it held the claim).
 *
 * <p>An entry whose global index committed late (a gap the processor fills after later entries) is folded when it
 * arrives, after those entries; a rebuild folds it in index order, so the transitions around such an entry may differ
 * between the live run and a rebuild.
 *
 * <p>Writes are insert-if-absent (and a clear only sets the clear columns), so an entry handled twice changes nothing
 * and never resets an outbox row's {@code published_at}. A reset ({@link #reset()}) empties both tables and the
 * engine, and the replay rebuilds them identically: the same log gives the same alerts, ids and instants included.
 */
@ProcessingGroup(AlertProjector.PROCESSING_GROUP)
public class AlertProjector {
    public static final String PROCESSING_GROUP = "alerts";

    /** What a reset empties. The outbox is kept: it records what was (or is to be) published, which a replay must not
     * send again; the replay finds each transition already there and leaves it, publication time included. */
    static final List<String> TABLES = List.of("fiscal_alert");
    private static final String CHECKED = AlertProjector.class.getName() + ".checked";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final AlertThresholds thresholds;
    private final StoredEntries log;
    private final TokenStore tokenStore;
    private AlertEngine engine;

    /**
     * @param json       writes figures and outbox payloads (the ledger's own mapper)
     * @param log        the stored log, read to warm the engine up
     * @param tokenStore where the processor's token is, to tell whether the engine stands where the token does
     */
    public AlertProjector(JdbcTemplate jdbc, ObjectMapper json, AlertThresholds thresholds, StoredEntries log,
                          TokenStore tokenStore) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.json = Objects.requireNonNull(json, "json");
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.log = Objects.requireNonNull(log, "log");
        this.tokenStore = Objects.requireNonNull(tokenStore, "tokenStore");
    }

    /** Before a replay: the alerts are rebuilt from the first entry, by an engine that starts empty. */
    @ResetHandler
    public synchronized void reset() {
        for (String table : TABLES) {
            jdbc.update("DELETE FROM " + table);
        }
        engine = new AlertEngine(thresholds);
    }

    /** Every entry of the log, whatever its payload: an entry the engine does not know still advances its time. */
    @EventHandler
    public synchronized void on(Object payload, EventMessage<?> message, TrackingToken token) {
        long globalIndex = globalIndex(token);
        AlertEngine current = engineFor(globalIndex);
        for (AlertTransition transition : current.apply(globalIndex, message.getTimestamp(), payload)) {
            write(transition);
        }
    }

    /** The engine, warmed up below {@code globalIndex} unless it provably stands at the stored token. */
    private AlertEngine engineFor(long globalIndex) {
        if (CurrentUnitOfWork.isStarted()) {
            UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
            if (!unitOfWork.resources().containsKey(CHECKED)) {
                unitOfWork.resources().put(CHECKED, Boolean.TRUE);
                unitOfWork.onRollback(u -> discardEngine());
                if (engine != null && engine.lastIndex() != storedPosition()) {
                    engine = null;
                }
            }
        }
        if (engine == null) {
            AlertEngine warm = new AlertEngine(thresholds);
            log.forEachBefore(globalIndex, warm::apply);
            engine = warm;
        }
        return engine;
    }

    private synchronized void discardEngine() {
        engine = null;
    }

    /** The global index the processor's stored token stands at, −1 at the start of the log. */
    private long storedPosition() {
        return indexOf(tokenStore.fetchToken(PROCESSING_GROUP, 0)).orElse(-1);
    }

    private void write(AlertTransition transition) {
        Alert alert = transition.alert();
        if (transition.kind() == AlertTransition.Kind.RAISED) {
            if (!exists("SELECT COUNT(*) FROM fiscal_alert WHERE alert_id = ?", alert.alertId())) {
                jdbc.update("INSERT INTO fiscal_alert (alert_id, code, level, province, city, program_id, currency,"
                                + " raised_at, cleared_at, raised_index, cleared_index, figures, message)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?)",
                        alert.alertId(), alert.code().name(), alert.level().name(), alert.scope().province(),
                        alert.scope().city(),
                        alert.scope().programId() == null ? null : alert.scope().programId().value(),
                        alert.scope().currency().name(), utc(alert.raisedAt()), alert.raisedIndex(),
                        write(alert.figures()), alert.message());
            }
        } else {
            jdbc.update("UPDATE fiscal_alert SET cleared_at = ?, cleared_index = ? WHERE alert_id = ?"
                    + " AND cleared_at IS NULL", utc(alert.clearedAt()), alert.clearedIndex(), alert.alertId());
        }
        if (!exists("SELECT COUNT(*) FROM alert_transition WHERE alert_id = ? AND transition = ?", alert.alertId(),
                transition.kind().name())) {
            jdbc.update("INSERT INTO alert_transition (alert_id, transition, occurred_at, global_index,"
                            + " entry_position, payload, published_at) VALUES (?, ?, ?, ?, ?, ?, NULL)",
                    alert.alertId(), transition.kind().name(), utc(transition.occurredAt()),
                    transition.globalIndex(), transition.position(), write(AlertView.of(alert)));
        }
    }

    private boolean exists(String sql, Object... arguments) {
        Integer count = jdbc.queryForObject(sql, Integer.class, arguments);
        return count != null && count > 0;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert cannot be written as JSON", e);
        }
    }

    /** The global index of the entry a tracking token stands at. */
    public static long globalIndex(TrackingToken token) {
        if (token == null) {
            throw new IllegalStateException("The alert projector must run in a tracking event processor: an event"
                    + " without a tracking token has no global index.");
        }
        return indexOf(token).orElseThrow(() -> new IllegalStateException("Tracking token " + token
                + " has no position"));
    }

    /** The global index a token stands at (unwrapping a replay), empty for none or a token at the log's start. */
    private static OptionalLong indexOf(TrackingToken token) {
        if (token == null) {
            return OptionalLong.empty();
        }
        return WrappedToken.unwrap(token, GapAwareTrackingToken.class)
                .map(t -> OptionalLong.of(t.getIndex())).orElseGet(token::position);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
