package org.subsidyledger.api.budget;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.springframework.stereotype.Service;
import org.subsidyledger.api.security.ProvinceScope;
import org.subsidyledger.api.store.ProvinceStreams;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Text;
import org.subsidyledger.projections.budget.BudgetFold;

/**
 * {@code GET /provinces/{code}/budget/series?from=&to=&interval=month|week|day}: a province's SPEC §4 figures at the end
 * of each interval, each point exactly what {@code GET /provinces/{code}/budget?asOf=} answers for that instant.
 *
 * <p>How: kept points for settled instants and the province's checkpoint for the others ({@link FoldCheckpoints});
 * when a settled point is missing, one pass of {@link BudgetFold} over the province's program streams in global index
 * order ({@link ProvinceStreams}), the same fold and the same events as {@link BudgetQueries#foldAsOf}. The points'
 * instants are sorted; each event is placed in the first interval whose end it does not lie after, and before an event
 * of a later interval is folded, the fold's figures are read out for every end it passes. As long as event time does
 * not go backwards across an interval end along the log, each point then holds exactly the events stamped at or before
 * its instant, in log order — which is what {@code asOf} folds. Global order and event time need not agree across
 * nodes, so an event stamped before an end that was already read out is detected; the points it would have changed are
 * folded again, as {@code asOf} does. Exact in every case; one pass in the usual one, and after it, only the events of
 * the last minutes.
 */
@Service
public class BudgetSeries {
    /** Enough for a day-by-day series over more than two years. */
    static final int MAX_POINTS = 1000;

    private final BudgetQueries queries;
    private final ProvinceStreams streams;
    private final FoldCheckpoints checkpoints;
    private final Clock clock;
    private final Counter logFolds;

    public BudgetSeries(
            BudgetQueries queries,
            ProvinceStreams streams,
            FoldCheckpoints checkpoints,
            Clock clock,
            MeterRegistry meters) {
        this.logFolds = BudgetQueries.logFolds(meters, "series");
        this.queries = queries;
        this.streams = streams;
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    /** The answer: the province, the range asked for, the interval, and one budget answer per point. */
    public record Series(
            String province, String from, String to, String interval, List<BudgetViews.ProvinceBudget> points) {}

    public enum Interval {
        MONTH,
        WEEK,
        DAY;

        static Interval parse(String text) {
            if (text == null) {
                return MONTH;
            }
            return switch (text) {
                case "month" -> MONTH;
                case "week" -> WEEK;
                case "day" -> DAY;
                default ->
                    throw new LedgerRejection(
                            RejectionCode.VALIDATION_FAILED,
                            "interval '" + Text.shown(text) + "' is not month, week or day.");
            };
        }

        /** The first instant of the interval after the one containing {@code time}, in the province's zone. */
        ZonedDateTime nextStart(ZonedDateTime time) {
            LocalDate day = time.toLocalDate();
            LocalDate next = switch (this) {
                case MONTH -> day.with(TemporalAdjusters.firstDayOfNextMonth());
                case WEEK -> day.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
                case DAY -> day.plusDays(1);
            };
            return next.atStartOfDay(time.getZone());
        }
    }

    /**
     * The series of a province. The province code is checked and the caller's scope applied before anything else is
     * read, so an officer asking for another province learns nothing and costs nothing.
     */
    public Series series(String provinceCode, String fromText, String toText, String intervalText) {
        Jurisdiction province = Jurisdiction.parse(provinceCode);
        Interval interval = Interval.parse(intervalText);
        Instant now = clock.instant();
        Instant to = toText == null ? now : instant("to", toText);
        if (to.isAfter(now)) {
            throw new LedgerRejection(
                    RejectionCode.VALIDATION_FAILED,
                    "to " + to + " lies in the future; the ledger answers for the present and the past only.");
        }
        Instant from =
                fromText == null ? to.atZone(province.zone()).minusMonths(24).toInstant() : instant("from", fromText);
        if (!from.isBefore(to)) {
            throw new LedgerRejection(
                    RejectionCode.VALIDATION_FAILED, "from " + from + " is not before to " + to + ".");
        }
        // every parameter checked (400 before 404), then the caller's scope before any work (issue 17)
        ProvinceScope.requireVisibleProvinceOf(province.code());
        List<Instant> ends = ends(province.zone(), interval, from, to);
        return new Series(
                province.code(), from.toString(), to.toString(), interval.name().toLowerCase(), fold(province, ends));
    }

    /**
     * The instants of the points: each interval end (the first instant of the next interval, in the province's time
     * zone) after {@code from} and before {@code to}, then {@code to} itself.
     */
    static List<Instant> ends(ZoneId zone, Interval interval, Instant from, Instant to) {
        List<Instant> ends = new ArrayList<>();
        ZonedDateTime end = interval.nextStart(from.atZone(zone));
        while (end.toInstant().isBefore(to)) {
            ends.add(end.toInstant());
            if (ends.size() >= MAX_POINTS) {
                throw new LedgerRejection(
                        RejectionCode.VALIDATION_FAILED,
                        "from " + from + " to " + to + " by " + interval.name().toLowerCase() + " is more than "
                                + MAX_POINTS + " points.");
            }
            end = interval.nextStart(end);
        }
        ends.add(to);
        return ends;
    }

    /**
     * The points: kept ones for settled instants (after the province's checkpoint has been brought up to date, which
     * drops kept points an event of their past has since reached), the others from the checkpoint; and when a settled
     * point is missing, one pass over the province's events for all of them, keeping the settled ones.
     */
    private List<BudgetViews.ProvinceBudget> fold(Jurisdiction province, List<Instant> endList) {
        Instant[] ends = endList.toArray(Instant[]::new);
        String code = province.code();
        checkpoints.refresh(code);
        Instant settled = checkpoints.settledBefore();
        BudgetViews.ProvinceBudget[] points = new BudgetViews.ProvinceBudget[ends.length];
        for (int i = 0; i < ends.length; i++) {
            if (ends[i].isBefore(settled)) {
                points[i] = checkpoints.point(code, ends[i]).orElse(null);
                if (points[i] == null) {
                    return onePass(province, ends, settled);
                }
            }
        }
        for (int i = 0; i < ends.length; i++) {
            if (points[i] == null) {
                points[i] = readOut(province, ends[i], queries.foldAsOf(code, ends[i]));
            }
        }
        return Arrays.asList(points);
    }

    private List<BudgetViews.ProvinceBudget> onePass(Jurisdiction province, Instant[] ends, Instant settled) {
        logFolds.increment();
        Instant last = ends[ends.length - 1];
        BudgetViews.ProvinceBudget[] points = new BudgetViews.ProvinceBudget[ends.length];
        BitSet refold = new BitSet(ends.length);
        BudgetFold fold = new BudgetFold(province.code());
        int[] next = {0}; // the first point not read out yet
        long[] seenMax = {-1};
        streams.forEachAfter(province.code(), -1, (index, time, payload) -> {
            seenMax[0] = index;
            if (time.isAfter(last)) {
                return;
            }
            int point = firstEndNotBefore(ends, time);
            if (point < next[0]) {
                // Stamped before ends already read out: those points missed it.
                refold.set(point, next[0]);
            }
            while (next[0] < point) {
                points[next[0]] = readOut(province, ends[next[0]], fold);
                next[0]++;
            }
            fold.apply(payload);
        });
        while (next[0] < ends.length) {
            points[next[0]] = readOut(province, ends[next[0]], fold);
            next[0]++;
        }
        for (int i = refold.nextSetBit(0); i >= 0; i = refold.nextSetBit(i + 1)) {
            points[i] = readOut(province, ends[i], queries.foldAsOf(province.code(), ends[i]));
        }
        for (int i = 0; i < ends.length && ends[i].isBefore(settled); i++) {
            checkpoints.keep(province.code(), ends[i], seenMax[0], points[i]);
        }
        return Arrays.asList(points);
    }

    private static BudgetViews.ProvinceBudget readOut(Jurisdiction province, Instant at, BudgetFold fold) {
        return BudgetViews.provinceBudget(province, at, fold.programs(), fold.liabilities());
    }

    /** The index of the first end at or after {@code time}; the caller has made sure there is one. */
    private static int firstEndNotBefore(Instant[] ends, Instant time) {
        int index = Arrays.binarySearch(ends, time);
        return index >= 0 ? index : -index - 1;
    }

    private static Instant instant(String name, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new LedgerRejection(
                    RejectionCode.VALIDATION_FAILED,
                    name + " '" + Text.shown(text) + "' is not an ISO-8601 instant such as 2026-11-28T00:00:00Z.");
        }
    }
}
