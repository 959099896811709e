package org.subsidyledger.api.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.subsidyledger.api.http.Unavailability;
import org.subsidyledger.api.store.BackgroundWork;
import org.subsidyledger.api.store.SealWriter.Trigger;

/**
 * Writes seals on their own: every {@code ledger.audit.seal.every-events} entries and once the oldest unsealed entry
 * is {@code ledger.audit.seal.interval} old (both looked at every {@code check-interval}), and at each local midnight
 * of {@code ledger.audit.seal.zone}. Each run first checks the
 * {@link BackgroundWork} gate (closed while the demo loader writes simulated history, which asks for its own daily
 * seals) and skips when nothing was appended since the last seal. Every node runs it; sealing serializes across
 * nodes, and the second node finds nothing new.
 */
public class SealSchedule {
    private static final Logger log = LoggerFactory.getLogger(SealSchedule.class);

    private final JdbcSealWriter sealWriter;
    private final BackgroundWork backgroundWork;
    private final AuditProperties properties;
    private final Clock clock;
    /** What the last check saw: when the oldest unsealed entry was stamped (empty: none, or not looked yet). */
    private volatile Optional<Instant> oldestUnsealed = Optional.empty();

    public SealSchedule(
            JdbcSealWriter sealWriter, BackgroundWork backgroundWork, AuditProperties properties, Clock clock) {
        this.sealWriter = sealWriter;
        this.backgroundWork = backgroundWork;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(
            fixedDelayString = "${ledger.audit.seal.check-interval:5s}",
            initialDelayString = "${ledger.audit.seal.check-interval:5s}")
    public void sealWhenDue() {
        if (!properties.scheduled() || !backgroundWork.mayRun()) {
            // the demo loader seals its own history; nothing is overdue while it writes
            oldestUnsealed = Optional.empty();
            return;
        }
        long unsealed;
        Optional<Instant> oldest;
        try {
            unsealed = sealWriter.unsealedEntries();
            oldest = unsealed == 0 ? Optional.empty() : sealWriter.oldestUnsealedAt();
        } catch (RuntimeException e) {
            // the database is away or locked: what was last seen stays, and ages toward an overdue seal in health
            log.info("The seal schedule could not look at the log; the next check tries again: {}", e.toString());
            return;
        }
        oldestUnsealed = oldest;
        if (unsealed >= properties.everyEvents()) {
            run(Trigger.EVENT_COUNT);
        } else if (oldest.filter(this::intervalReached).isPresent()) {
            run(Trigger.INTERVAL);
        }
    }

    /**
     * When the oldest unsealed entry was stamped, as the last check saw it (no database query: health reads it while
     * the database may be away); empty when there was none or the schedule does not run.
     */
    public Optional<Instant> oldestUnsealedSeen() {
        return oldestUnsealed;
    }

    /** Whether an entry stamped {@code at} has waited {@code interval} on the ledger clock. */
    private boolean intervalReached(Instant at) {
        return properties.sealsByTime() && !at.plus(properties.interval()).isAfter(clock.instant());
    }

    @Scheduled(cron = "0 0 0 * * *", zone = "${ledger.audit.seal.zone:Asia/Shanghai}")
    public void sealAtDayEnd() {
        if (properties.scheduled() && backgroundWork.mayRun()) {
            run(Trigger.DAY_END);
        }
    }

    private void run(Trigger trigger) {
        try {
            sealWriter.seal(trigger);
        } catch (RuntimeException e) {
            // the next run tries again; nothing is lost by a seal written later
            if (Unavailability.isLockTimeout(e)) {
                // by design: a seal waits a bounded time for the appends in flight (or a table someone locked)
                log.info(
                        "A {} seal was postponed, a lock it needs was not free in time; the next run writes it: {}",
                        trigger,
                        e.toString());
            } else {
                log.warn("Writing a {} seal failed: {}", trigger, e.toString());
            }
        }
    }
}
