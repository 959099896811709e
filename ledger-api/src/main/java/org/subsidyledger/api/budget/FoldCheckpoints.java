package org.subsidyledger.api.budget;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.subsidyledger.api.store.ProvinceStreams;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.projections.budget.BudgetFold;

/**
 * What makes a province's budget of the past fast on a long log, without giving up exactness (docs/DECISIONS.md, the
 * budget series): per province, a <em>checkpoint</em> — the fold of the province's events in global order up to a
 * global index, every one of them stamped at or before a settled instant — and the <em>points</em> already answered
 * for settled instants.
 *
 * <p>An instant is settled once it lies {@code ledger.budget.settle-margin} (5 minutes) in the past. An event's time
 * is the instant it is appended, and an append commits within its request's budget (seconds) or not at all, so once an
 * event stamped at or before a settled instant is visible, every event before it in global order is visible too, and
 * (i) a checkpoint plus the events after it, stamped at or before an instant at or after the checkpoint's, is exactly
 * what {@code asOf} folds; (ii) a point kept for a settled instant does not change — unless a writer of the past
 * appends events stamped before it (the demo loader into an empty ledger, a database restored under a running ledger).
 * Every use reads the events after the checkpoint; one that was not visible when a kept point was computed and is
 * stamped at or before it drops the province's points (counted as {@code ledger.budget.points.dropped}).
 *
 * <p>A published checkpoint is never changed: a use folds into a copy and publishes the copy. Two uses at once each
 * publish a valid checkpoint; the last one stays.
 */
@Component
public class FoldCheckpoints {
    private record Checkpoint(long maxIndex, BudgetFold fold) {}

    /** What the province's kept points were computed from: the lowest "last index seen", the latest instant. */
    private record Watermark(long minSeenMax, Instant maxInstant) {
        Watermark with(long seenMax, Instant at) {
            return new Watermark(Math.min(minSeenMax, seenMax), at.isAfter(maxInstant) ? at : maxInstant);
        }
    }

    private record PointKey(String province, Instant at) {}

    private record Tail(long globalIndex, Instant time, ProgramStreamEvent event) {}

    private final ProvinceStreams streams;
    private final Clock clock;
    private final Duration margin;
    private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, Watermark> watermarks = new ConcurrentHashMap<>();
    /** One lock per province: a checkpoint's advance and a point's keeping never interleave. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    private final Cache<PointKey, BudgetViews.ProvinceBudget> points;
    private final Counter dropped;

    public FoldCheckpoints(
            ProvinceStreams streams,
            Clock clock,
            @Value("${ledger.budget.settle-margin:5m}") Duration margin,
            @Value("${ledger.budget.settled-points:100000}") long maxPoints,
            MeterRegistry meters) {
        this.streams = streams;
        this.clock = clock;
        this.margin = margin;
        this.points = Caffeine.newBuilder().maximumSize(maxPoints).build();
        this.dropped = Counter.builder("ledger.budget.points.dropped")
                .description("Times a province's kept budget points were dropped because an event stamped in their"
                        + " past arrived")
                .register(meters);
    }

    /** The instant before which nothing can change any more: now minus the settling margin. */
    public Instant settledBefore() {
        return clock.instant().minus(margin);
    }

    /**
     * The fold of every event of the province stamped at or before {@code asOf}, in global order: the checkpoint and
     * the events after it. Empty when {@code asOf} is settled (the caller folds the log or reads a kept point).
     * Advances the checkpoint to the settled instant on the way.
     */
    public Optional<BudgetFold> foldAsOf(String province, Instant asOf) {
        Instant horizon = settledBefore();
        if (asOf.isBefore(horizon)) {
            return Optional.empty();
        }
        return Optional.of(advance(province, horizon, asOf));
    }

    /** Brings the province's checkpoint up to the settled instant, dropping its points if they went stale. */
    public void refresh(String province) {
        advance(province, settledBefore(), null);
    }

    /** A point kept for a settled instant, if any. */
    public Optional<BudgetViews.ProvinceBudget> point(String province, Instant at) {
        return Optional.ofNullable(points.getIfPresent(new PointKey(province, at)));
    }

    /**
     * Keeps a point whose instant is settled, computed from a read of the log that saw global indexes up to
     * {@code seenMax}.
     */
    public void keep(String province, Instant at, long seenMax, BudgetViews.ProvinceBudget point) {
        synchronized (lock(province)) {
            Checkpoint current = checkpoints.get(province);
            // Events the checkpoint took in after that read were never checked against this point: do not keep it.
            if (!at.isBefore(settledBefore()) || (current != null && current.maxIndex() > seenMax)) {
                return;
            }
            watermarks.merge(province, new Watermark(seenMax, at), (old, fresh) -> old.with(seenMax, at));
            points.put(new PointKey(province, at), point);
        }
    }

    private Object lock(String province) {
        return locks.computeIfAbsent(province, p -> new Object());
    }

    /**
     * Reads the events after the checkpoint: those up to the first one stamped after {@code horizon} are folded into a
     * copy that becomes the new checkpoint; when {@code asOf} is given, the rest stamped at or before it are folded,
     * in order, into a second copy, which is answered.
     */
    private BudgetFold advance(String province, Instant horizon, Instant asOf) {
        synchronized (lock(province)) {
            return advanceLocked(province, horizon, asOf);
        }
    }

    private BudgetFold advanceLocked(String province, Instant horizon, Instant asOf) {
        Checkpoint current = checkpoints.get(province);
        long after = current == null ? -1 : current.maxIndex();
        BudgetFold next =
                current == null ? new BudgetFold(province) : current.fold().copy();
        Watermark watermark = watermarks.get(province);
        long[] maxIndex = {after};
        boolean[] stale = {false};
        List<Tail> beyond = new ArrayList<>();
        streams.forEachAfter(province, after, (index, time, event) -> {
            if (watermark != null && index > watermark.minSeenMax() && !time.isAfter(watermark.maxInstant())) {
                stale[0] = true;
            }
            if (beyond.isEmpty() && !time.isAfter(horizon)) {
                next.apply(event);
                maxIndex[0] = index;
            } else {
                beyond.add(new Tail(index, time, event));
            }
        });
        if (stale[0]) {
            dropped.increment();
            watermarks.remove(province);
            points.asMap().keySet().removeIf(k -> k.province().equals(province));
        }
        checkpoints.put(province, new Checkpoint(maxIndex[0], next));
        if (asOf == null) {
            return next;
        }
        BudgetFold answer = next.copy();
        for (Tail e : beyond) {
            if (!e.time().isAfter(asOf)) {
                answer.apply(e.event());
            }
        }
        return answer;
    }
}
