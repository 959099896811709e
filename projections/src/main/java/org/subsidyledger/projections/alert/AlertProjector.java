package org.subsidyledger.projections.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.core.alert.Alert;
import org.subsidyledger.core.alert.AlertEngine;
import org.subsidyledger.core.alert.AlertThresholds;
import org.subsidyledger.core.alert.AlertTransition;

/**
 * Keeps {@code fiscal_alert} and the outbox {@code alert_transition} in step with the log (SPEC §6), in the tracking
 * processor {@value #PROCESSING_GROUP} with one segment.
 *
 * <p><b>Index order, live as on a rebuild.</b> The engine folds the log strictly in global-index order, whatever order
 * the processor delivers it in. A tracking processor delivers an entry whose index committed late (a gap it fills)
 * after entries with higher indexes; a rebuild reads the log in index order. So the engine never folds past an index
 * that may still appear: a delivered entry that is the next index is folded at once (the common case); one that lies
 * above a gap makes the projector ask where the log has settled ({@link SettledLog}: every append that could still
 * fill a gap has ended) and fold the stored entries up to there, in index order, from the store. Entries folded
 * that way ahead of the processor are no-ops when it delivers them. The alert history is therefore the same live and
 * on every rebuild (replay-and-compare).
 *
 * <p>The engine's state is held in memory only; it is a function of the log up to {@code foldedTo} alone, so it stays
 * right whoever processed entries meanwhile (another node that held the claim: the next delivered entry then lies
 * above the fold and the entries between are read from the store). It is rebuilt — "warmed up" — from the first
 * entry up to where the log has settled on the first entry after a start and after a unit of work rolled back (the
 * engine had moved on with writes that were undone). A warm-up writes as it folds: writes are insert-if-absent (and
 * a clear only sets the clear columns), so what is there already is left as it is, what a rollback undid is written
 * again, and an outbox row's {@code published_at} is never reset.
 *
 * <p>A reset ({@link #reset()}) empties {@code fiscal_alert} and the engine, and the replay rebuilds it identically: the
 * same log gives the same alerts, ids and instants included.
 */
@ProcessingGroup(AlertProjector.PROCESSING_GROUP)
public class AlertProjector {
    public static final String PROCESSING_GROUP = "alerts";

    /** What a reset empties. The outbox is kept: it records what was (or is to be) published, which a replay must not
     * send again; the replay finds each transition already there and leaves it, publication time included. */
    static final List<String> TABLES = List.of("fiscal_alert");

    private static final String CHECKED = AlertProjector.class.getName() + ".checked";
    /** Beyond this many new indexes between two delivered tokens, the entry's own index is not worked out. */
    private static final long MAX_STEP = 1_000;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final AlertThresholds thresholds;
    private final StoredEntries log;
    private final SettledLog settled;
    private final boolean inIndexOrder;
    private AlertEngine engine;
    /** Every entry at or below this index has been folded and its alerts written. */
    private long foldedTo = -1;
    /** The token of the entry delivered last on this node, while the engine lives; null when unknown. */
    private GapAwareTrackingToken previous;

    /**
     * @param json    writes figures and outbox payloads (the ledger's own mapper)
     * @param log     the stored log, read to warm the engine up and to fold past a gap in index order
     * @param settled where the log has settled, asked when a delivered entry lies above a gap
     */
    public AlertProjector(
            JdbcTemplate jdbc, ObjectMapper json, AlertThresholds thresholds, StoredEntries log, SettledLog settled) {
        this(jdbc, json, thresholds, log, settled, false);
    }

    private AlertProjector(
            JdbcTemplate jdbc,
            ObjectMapper json,
            AlertThresholds thresholds,
            StoredEntries log,
            SettledLog settled,
            boolean inIndexOrder) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.json = Objects.requireNonNull(json, "json");
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.log = Objects.requireNonNull(log, "log");
        this.settled = Objects.requireNonNull(settled, "settled");
        this.inIndexOrder = inIndexOrder;
    }

    /**
     * A projector fed the log once, from its first entry and in index order, outside any processor (a scratch rebuild):
     * every delivered entry is folded as it comes, so nothing is read back or waited for.
     */
    public static AlertProjector fedInIndexOrder(JdbcTemplate jdbc, ObjectMapper json, AlertThresholds thresholds) {
        AlertProjector projector = new AlertProjector(
                jdbc,
                json,
                thresholds,
                (after, upTo, entry) -> {
                    throw new IllegalStateException("A projector fed in index order never reads the log back");
                },
                after -> {
                    throw new IllegalStateException("A projector fed in index order never waits for the log");
                },
                true);
        projector.reset();
        return projector;
    }

    /** Before a replay: the alerts are rebuilt from the first entry, by an engine that starts empty. */
    @ResetHandler
    public synchronized void reset() {
        for (String table : TABLES) {
            jdbc.update("DELETE FROM " + table);
        }
        engine = new AlertEngine(thresholds);
        foldedTo = -1;
        previous = null;
    }

    /**
     * Every entry of the log, whatever its payload: an entry the engine does not know still advances its time.
     * {@code token}'s index is the highest index the processor has delivered: this entry's own, or, for an entry
     * that fills a gap, a higher one; compared with the token delivered before it, it tells the entry's own index.
     *
     * <p>The handler takes the message, not its payload, so that an entry folded already (after a warm-up, every
     * entry the processor then delivers up to where the warm-up stopped) is passed over without deserializing it: the
     * payload is read only when this entry itself is folded.
     */
    @EventHandler
    public synchronized void on(EventMessage<?> message, TrackingToken token) {
        long delivered = globalIndex(token);
        AlertEngine current = engine();
        GapAwareTrackingToken now =
                WrappedToken.unwrap(token, GapAwareTrackingToken.class).orElse(null);
        OptionalLong own = inIndexOrder ? OptionalLong.of(delivered) : ownIndex(previous, now);
        previous = now;
        long index = own.orElse(delivered);
        if (index <= foldedTo) {
            return; // folded already: ahead of the processor, or an entry that filled a gap below the fold
        }
        if (own.isPresent() && (index == foldedTo + 1 || inIndexOrder)) {
            fold(current, index, message.getTimestamp(), message.getPayload()); // the next entry in index order
            return;
        }
        long upTo = settled.settledIndex(foldedTo);
        if (upTo < index) {
            throw new IllegalStateException("The log is settled up to " + upTo + ", below the delivered entry at "
                    + index + ": the fold waits for the next attempt");
        }
        foldUpTo(current, upTo);
    }

    /**
     * The delivered entry's own index, from its token and the one delivered before it on this node: the one index the
     * new token has seen that the previous had not. Empty when that is not exactly one index (no previous token,
     * entries processed elsewhere in between, gaps Axon dropped from the token).
     */
    static OptionalLong ownIndex(GapAwareTrackingToken before, GapAwareTrackingToken now) {
        if (before == null || now == null) {
            return OptionalLong.empty();
        }
        if (now.getIndex() > before.getIndex()) {
            long step = now.getIndex() - before.getIndex();
            if (step > MAX_STEP
                    || !now.getGaps().containsAll(before.getGaps())
                    || now.getGaps().size() != before.getGaps().size() + step - 1
                    || (step > 1
                            && !now.getGaps()
                                    .containsAll(LongStream.range(before.getIndex() + 1, now.getIndex())
                                            .boxed()
                                            .toList()))) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(now.getIndex());
        }
        if (now.getIndex() == before.getIndex()
                && before.getGaps().containsAll(now.getGaps())
                && before.getGaps().size() == now.getGaps().size() + 1) {
            return before.getGaps().stream()
                    .filter(gap -> !now.getGaps().contains(gap))
                    .mapToLong(Long::longValue)
                    .findFirst();
        }
        return OptionalLong.empty();
    }

    private void foldUpTo(AlertEngine current, long upTo) {
        log.forEachBetween(foldedTo, upTo, (index, time, entry) -> fold(current, index, time, entry));
        foldedTo = Math.max(foldedTo, upTo);
    }

    private void fold(AlertEngine current, long index, Instant time, Object payload) {
        for (AlertTransition transition : current.apply(index, time, payload)) {
            write(transition);
        }
        foldedTo = Math.max(foldedTo, index);
    }

    /** The engine; warmed up, in this unit of work, when there is none. */
    private AlertEngine engine() {
        if (CurrentUnitOfWork.isStarted()) {
            UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
            if (!unitOfWork.resources().containsKey(CHECKED)) {
                unitOfWork.resources().put(CHECKED, Boolean.TRUE);
                unitOfWork.onRollback(u -> discardEngine());
            }
            if (engine == null) {
                AlertEngine warm = new AlertEngine(thresholds);
                foldedTo = -1;
                previous = null;
                engine = warm;
                foldUpTo(warm, settled.settledIndex(-1));
            }
        }
        if (engine == null) {
            throw new IllegalStateException("The alert projector runs in a tracking processor's unit of work, or is"
                    + " fed in index order after a reset");
        }
        return engine;
    }

    private synchronized void discardEngine() {
        engine = null;
        previous = null;
    }

    private void write(AlertTransition transition) {
        Alert alert = transition.alert();
        if (transition.kind() == AlertTransition.Kind.RAISED) {
            if (!exists("SELECT COUNT(*) FROM fiscal_alert WHERE alert_id = ?", alert.alertId())) {
                jdbc.update(
                        "INSERT INTO fiscal_alert (alert_id, code, level, province, city, program_id, currency,"
                                + " raised_at, cleared_at, raised_index, cleared_index, figures, message)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?)",
                        alert.alertId(),
                        alert.code().name(),
                        alert.level().name(),
                        alert.scope().province(),
                        alert.scope().city(),
                        alert.scope().programId() == null
                                ? null
                                : alert.scope().programId().value(),
                        alert.scope().currency().name(),
                        utc(alert.raisedAt()),
                        alert.raisedIndex(),
                        write(alert.figures()),
                        alert.message());
            }
        } else {
            jdbc.update(
                    "UPDATE fiscal_alert SET cleared_at = ?, cleared_index = ? WHERE alert_id = ?"
                            + " AND cleared_at IS NULL",
                    utc(alert.clearedAt()),
                    alert.clearedIndex(),
                    alert.alertId());
        }
        if (!exists(
                "SELECT COUNT(*) FROM alert_transition WHERE alert_id = ? AND transition = ?",
                alert.alertId(),
                transition.kind().name())) {
            jdbc.update(
                    "INSERT INTO alert_transition (alert_id, transition, occurred_at, global_index,"
                            + " entry_position, payload, published_at) VALUES (?, ?, ?, ?, ?, ?, NULL)",
                    alert.alertId(),
                    transition.kind().name(),
                    utc(transition.occurredAt()),
                    transition.globalIndex(),
                    transition.position(),
                    write(AlertView.of(alert)));
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
        return indexOf(token)
                .orElseThrow(() -> new IllegalStateException("Tracking token " + token + " has no position"));
    }

    /** The global index a token stands at (unwrapping a replay), empty for none or a token at the log's start. */
    private static OptionalLong indexOf(TrackingToken token) {
        if (token == null) {
            return OptionalLong.empty();
        }
        return WrappedToken.unwrap(token, GapAwareTrackingToken.class)
                .map(t -> OptionalLong.of(t.getIndex()))
                .orElseGet(token::position);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
