package org.subsidyledger.api.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The health component {@code seals}: DOWN when seals are written on schedule with a
 * {@code ledger.audit.seal.interval} and the oldest entry after the last seal has waited more than three intervals
 * (seals are failing or postponed again and again: the newest entries are protected by no seal), UP otherwise. Its
 * details, for those allowed to see them: when the last seal was stamped and its age, and since when the oldest
 * unsealed entry has waited. Ages are on the ledger clock, like the seals' own stamps. It reads what the seal schedule
 * last saw and asks the database nothing, so it answers at once while the database is away (the {@code db} component
 * reports that); if the schedule cannot look, what it last saw ages until it is overdue.
 */
public class SealHealth implements HealthIndicator {
    static final int OVERDUE_INTERVALS = 3;

    private final JdbcSealWriter sealWriter;
    private final SealSchedule schedule;
    private final AuditProperties properties;
    private final Clock clock;

    public SealHealth(JdbcSealWriter sealWriter, SealSchedule schedule, AuditProperties properties, Clock clock) {
        this.sealWriter = sealWriter;
        this.schedule = schedule;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        Optional<Instant> oldest = schedule.oldestUnsealedSeen();
        Optional<Instant> last = sealWriter.lastSealedAt();
        Duration interval = properties.interval();
        boolean timed = properties.sealsByTime();
        boolean overdue = timed
                && oldest.filter(
                                at -> Duration.between(at, now).compareTo(interval.multipliedBy(OVERDUE_INTERVALS)) > 0)
                        .isPresent();
        Health.Builder health = overdue ? Health.down() : Health.up();
        last.ifPresent(at -> health.withDetail("lastSealAt", at.toString())
                .withDetail("lastSealAgeSeconds", Duration.between(at, now).toSeconds()));
        oldest.ifPresent(at -> health.withDetail("oldestUnsealedAt", at.toString())
                .withDetail("unsealedForSeconds", Duration.between(at, now).toSeconds()));
        if (timed) {
            health.withDetail("intervalSeconds", interval.toSeconds());
        }
        return health.build();
    }
}
