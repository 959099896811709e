package org.subsidyledger.api.audit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSetMetaData;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.subsidyledger.api.store.LedgerJson;
import org.subsidyledger.api.store.ProcessorPosition;
import org.subsidyledger.core.alert.AlertThresholds;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.projections.alert.AlertProjector;
import org.subsidyledger.projections.budget.BudgetFold;
import org.subsidyledger.projections.budget.BudgetProjector;
import org.subsidyledger.projections.budget.BudgetReadModel;
import org.subsidyledger.projections.budget.Liability;
import org.subsidyledger.projections.budget.ProgramFigures;

/**
 * Replay-and-compare (SPEC §8): rebuilds the read side — the budget read model and the fiscal alerts with their
 * outbox — from the log into a scratch database and compares it with the live one. The scratch space is a private in-memory database created with the ledger's own migrations, fed by the
 * same projector classes the live processors run, so a difference means the live tables no longer say what the log
 * says (a lost or doubled event, a row changed by hand, a projector bug) — never a second implementation disagreeing.
 * Live traffic is not disturbed: the log is only read, and the live processors keep running.
 *
 * <p>The live read side trails the log by its processors' lag, and commands may arrive during a replay. The comparison
 * is therefore made at the position the live processor had reached when the replay started: the scratch projection is
 * fed exactly the entries up to it, and programs with an entry beyond it (changed while the replay ran) are reported
 * as skipped rather than compared.
 *
 * <p>With {@code asOf}, the scratch projection is fed the entries stamped at or before that instant and compared with
 * the read side's answer for that instant (the budget fold that {@code GET /provinces/{code}/budget?asOf=} uses). The
 * read side keeps no alerts "as of" an instant, so that comparison covers the budget only.
 */
public class ProjectionReplay {
    private static final List<String> BUDGET_TABLES = List.of(
            "budget_program", "budget_voucher", "budget_voucher_total", "budget_housing_grant", "budget_housing_month");
    private static final List<String> ALERT_TABLES = List.of("fiscal_alert", "alert_transition");
    private static final Map<String, String> ORDER = Map.of(
            "budget_program", "program_id",
            "budget_voucher", "voucher_id",
            "budget_voucher_total", "program_id, status, expiry_fiscal_year",
            "budget_housing_grant", "grant_id",
            "budget_housing_month", "grant_id, rent_month",
            "fiscal_alert", "alert_id",
            "alert_transition", "alert_id, transition");
    private static final int MAX_REPORTED = 100;

    private final EventStorageEngine storageEngine;
    private final JdbcTemplate live;
    private final Serializer serializer;
    private final EventProcessingConfiguration processing;
    private final AlertThresholds thresholds;
    private final Clock clock;
    private final SettledAppends settled;

    public ProjectionReplay(
            EventStorageEngine storageEngine,
            JdbcTemplate live,
            Serializer serializer,
            EventProcessingConfiguration processing,
            AlertThresholds thresholds,
            Clock clock,
            SettledAppends settled) {
        this.storageEngine = Objects.requireNonNull(storageEngine, "storageEngine");
        this.live = Objects.requireNonNull(live, "live");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        this.processing = Objects.requireNonNull(processing, "processing");
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settled = Objects.requireNonNull(settled, "settled");
    }

    /** One difference between the live read side and the replay. */
    public record Difference(
            String projection, String table, String key, String column, String live, String replayed) {}

    /**
     * The outcome. {@code identical} is the only right answer.
     *
     * @param position          global index up to which both sides were compared (the live processor's position)
     * @param entriesReplayed   log entries fed to the scratch projections
     * @param rowsCompared      read-model rows compared
     * @param skippedPrograms   programs that received entries while the replay ran, left out of the comparison
     * @param differences       the first differences found (at most 100)
     * @param differenceCount   all differences found
     */
    public record Report(
            boolean identical,
            Instant asOf,
            long position,
            long entriesReplayed,
            long rowsCompared,
            List<String> skippedPrograms,
            long differenceCount,
            List<Difference> differences,
            Instant startedAt,
            Duration took) {}

    public synchronized Report replay(Instant asOf) {
        Instant started = clock.instant();
        long position = asOf == null
                ? Math.min(
                        livePosition(BudgetProjector.PROCESSING_GROUP), livePosition(AlertProjector.PROCESSING_GROUP))
                : Long.MAX_VALUE;
        try (Scratch scratch = Scratch.create()) {
            List<EventMessageHandler> handlers = new ArrayList<>();
            handlers.add(new AnnotationEventHandlerAdapter(new BudgetProjector(scratch.jdbc, LedgerJson.newMapper())));
            if (asOf == null) {
                // Fed from the first entry in index order, so the engine never reads back nor checks a token.
                handlers.add(new AnnotationEventHandlerAdapter(
                        AlertProjector.fedInIndexOrder(scratch.jdbc, LedgerJson.newMapper(), thresholds)));
            }
            BudgetFold fold = asOf == null ? null : new BudgetFold(null);
            long replayed = feed(handlers, fold, position, asOf);
            Comparison comparison = new Comparison();
            if (asOf == null) {
                Set<String> skipped = changedSince(position);
                for (String table : BUDGET_TABLES) {
                    comparison.tables(
                            "budget",
                            table,
                            rows(live, table, skipped, position),
                            rows(scratch.jdbc, table, skipped, position));
                }
                for (String table : ALERT_TABLES) {
                    comparison.tables(
                            "alerts",
                            table,
                            rows(live, table, skipped, position),
                            rows(scratch.jdbc, table, skipped, position));
                }
                comparison.skipped.addAll(skipped);
            } else {
                BudgetReadModel replayedModel = new BudgetReadModel(scratch.jdbc);
                comparison.figures(fold.programs(), replayedModel.programs(null));
                comparison.liabilities(fold.liabilities(), replayedModel.liabilities(null));
            }
            return new Report(
                    comparison.count == 0,
                    asOf,
                    asOf == null ? position : -1,
                    replayed,
                    comparison.rows,
                    List.copyOf(new TreeSet<>(comparison.skipped)),
                    comparison.count,
                    List.copyOf(comparison.reported),
                    started,
                    Duration.between(started, clock.instant()));
        }
    }

    /** Feeds the log, in global order, to the scratch projector (and to the fold that answers {@code asOf}). */
    private long feed(List<EventMessageHandler> handlers, BudgetFold fold, long position, Instant asOf) {
        long count = 0;
        try (Stream<? extends TrackedEventMessage<?>> events = storageEngine.readEvents(null, false)) {
            var iterator = events.iterator();
            while (iterator.hasNext()) {
                TrackedEventMessage<?> event = iterator.next();
                if (indexOf(event.trackingToken()) > position) {
                    break;
                }
                if (asOf != null && event.getTimestamp().isAfter(asOf)) {
                    continue;
                }
                try {
                    for (EventMessageHandler handler : handlers) {
                        if (handler.canHandle(event)) {
                            handler.handle(event);
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(
                            "The replay could not project the entry at global index " + indexOf(event.trackingToken())
                                    + ": " + e.getMessage(),
                            e);
                }
                if (fold != null && ProgramStreamEvent.class.isAssignableFrom(event.getPayloadType())) {
                    fold.apply((ProgramStreamEvent) event.getPayload());
                }
                count++;
            }
        }
        return count;
    }

    private static long indexOf(TrackingToken token) {
        return WrappedToken.unwrap(token, GapAwareTrackingToken.class)
                .map(GapAwareTrackingToken::getIndex)
                .orElseGet(() -> token.position().orElse(Long.MAX_VALUE));
    }

    /**
     * How far a live processor got: the lowest position of its segments. Segments this node works on report
     * their position from memory (a quiet segment stores its token only every few seconds); the others from their
     * stored tokens, which is the most another node's progress can be known.
     */
    private long livePosition(String processor) {
        Map<Integer, EventTrackerStatus> local = processing
                .eventProcessor(processor, StreamingEventProcessor.class)
                .map(StreamingEventProcessor::processingStatus)
                .orElse(Map.of());
        long fromLocal = local.values().stream()
                .mapToLong(s -> s.isErrorState() ? -1 : handledUpTo(s.getTrackingToken()))
                .min()
                .orElse(Long.MAX_VALUE);
        if (!local.isEmpty()
                && local.values().stream()
                                .mapToDouble(s -> 1.0 / (s.getSegment().getMask() + 1))
                                .sum()
                        > 0.999999) {
            return fromLocal;
        }
        long stored = new ProcessorPosition(live, serializer, processor)
                .tokens().stream().mapToLong(this::handledUpTo).min().orElse(-1);
        return Math.min(stored, fromLocal);
    }

    /**
     * The global index up to which a token has handled every entry there is: its index, unless an entry in one of its
     * gaps has been stored since (it committed after the processor passed it, and is not handled yet) or may still
     * be (a transaction in flight below the index). Gaps of transactions that rolled back are passed over.
     */
    private long handledUpTo(TrackingToken token) {
        if (token == null) {
            return -1;
        }
        GapAwareTrackingToken gapAware =
                WrappedToken.unwrap(token, GapAwareTrackingToken.class).orElse(null);
        if (gapAware == null) {
            return token.position().orElse(-1);
        }
        if (gapAware.getGaps().isEmpty()) {
            return gapAware.getIndex();
        }
        long firstGap = gapAware.getGaps().first();
        long settledTo = settled.settledIndex(firstGap - 1);
        Set<Long> stored = new HashSet<>(live.queryForList(
                "SELECT global_index FROM domain_event_entry" + " WHERE global_index >= ? AND global_index < ?",
                Long.class,
                firstGap,
                gapAware.getIndex()));
        for (long gap : gapAware.getGaps()) {
            if (gap > settledTo || stored.contains(gap)) {
                return gap - 1;
            }
        }
        return gapAware.getIndex();
    }

    /** Program streams that received an entry after {@code position}: the live side may already show it. */
    private Set<String> changedSince(long position) {
        return new HashSet<>(live.queryForList(
                "SELECT DISTINCT aggregate_identifier FROM domain_event_entry" + " WHERE global_index > ?",
                String.class,
                position));
    }

    /**
     * A table's rows by key, values normalised so both databases print them alike. Left out: rows of skipped programs,
     * the outbox's publication time (the scratch space publishes nothing), and whatever the live alerts processor
     * wrote for entries beyond {@code position} (an alert raised later is left out, a later clear is undone).
     */
    private static Map<String, Map<String, String>> rows(
            JdbcTemplate jdbc, String table, Set<String> skipped, long position) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        String keyColumns = ORDER.get(table);
        jdbc.query("SELECT * FROM " + table + " ORDER BY " + keyColumns, rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                row.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), normalise(rs.getObject(i)));
            }
            if (skipped.contains(row.get("program_id"))
                    || beyond(row.get("raised_index"), position)
                    || beyond(row.get("global_index"), position)) {
                return;
            }
            row.remove("published_at");
            if (beyond(row.get("cleared_index"), position)) {
                row.put("cleared_index", null);
                row.put("cleared_at", null);
            }
            StringBuilder key = new StringBuilder();
            for (String column : keyColumns.split(",\\s*")) {
                key.append(key.isEmpty() ? "" : "/").append(row.get(column));
            }
            rows.put(key.toString(), row);
        });
        return rows;
    }

    private static boolean beyond(String index, long position) {
        return index != null && Long.parseLong(index) > position;
    }

    private static String normalise(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.setScale(Math.max(2, decimal.stripTrailingZeros().scale()), RoundingMode.UNNECESSARY)
                    .toPlainString();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant().toString();
        }
        if (value instanceof Number number) {
            return Long.toString(number.longValue());
        }
        return value.toString();
    }

    /** Collects differences; reports the first {@value #MAX_REPORTED}. */
    private static final class Comparison {
        final List<Difference> reported = new ArrayList<>();
        final Set<String> skipped = new HashSet<>();
        long count;
        long rows;

        void tables(
                String projection,
                String table,
                Map<String, Map<String, String>> live,
                Map<String, Map<String, String>> replayed) {
            Set<String> keys = new TreeSet<>(live.keySet());
            keys.addAll(replayed.keySet());
            for (String key : keys) {
                rows++;
                Map<String, String> l = live.get(key);
                Map<String, String> r = replayed.get(key);
                if (l == null || r == null) {
                    add(new Difference(
                            projection,
                            table,
                            key,
                            null,
                            l == null ? "absent" : "present",
                            r == null ? "absent" : "present"));
                    continue;
                }
                for (Map.Entry<String, String> column : l.entrySet()) {
                    String replayedValue = r.get(column.getKey());
                    if (!Objects.equals(column.getValue(), replayedValue)) {
                        add(new Difference(projection, table, key, column.getKey(), column.getValue(), replayedValue));
                    }
                }
            }
        }

        void figures(List<ProgramFigures> live, List<ProgramFigures> replayed) {
            Map<String, String> l = new TreeMap<>();
            live.forEach(p -> l.put(p.program().programId().value(), p.figures().toString()));
            Map<String, String> r = new TreeMap<>();
            replayed.forEach(
                    p -> r.put(p.program().programId().value(), p.figures().toString()));
            values("figures", l, r);
        }

        void liabilities(List<Liability> live, List<Liability> replayed) {
            Map<String, String> l = new TreeMap<>();
            live.forEach(x -> l.put(
                    x.programId().value() + "/" + x.fiscalYear(), x.amount().toString()));
            Map<String, String> r = new TreeMap<>();
            replayed.forEach(x -> r.put(
                    x.programId().value() + "/" + x.fiscalYear(), x.amount().toString()));
            values("forwardLiabilities", l, r);
        }

        private void values(String table, Map<String, String> live, Map<String, String> replayed) {
            Set<String> keys = new TreeSet<>(live.keySet());
            keys.addAll(replayed.keySet());
            for (String key : keys) {
                rows++;
                if (!Objects.equals(live.get(key), replayed.get(key))) {
                    add(new Difference("budget", table, key, null, live.get(key), replayed.get(key)));
                }
            }
        }

        private void add(Difference difference) {
            count++;
            if (reported.size() < MAX_REPORTED) {
                reported.add(difference);
            }
        }
    }

    /** A private in-memory database with the ledger's schema; dropped when closed. */
    private static final class Scratch implements AutoCloseable {
        final SingleConnectionDataSource dataSource;
        final JdbcTemplate jdbc;

        private Scratch(SingleConnectionDataSource dataSource) {
            this.dataSource = dataSource;
            this.jdbc = new JdbcTemplate(dataSource);
        }

        static Scratch create() {
            String url = "jdbc:h2:mem:replay-" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
            SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url, "sa", "", true);
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/h2")
                    .load()
                    .migrate();
            return new Scratch(dataSource);
        }

        @Override
        public void close() {
            dataSource.destroy();
        }
    }
}
