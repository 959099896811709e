package org.subsidyledger.api.audit;

import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ledger.audit.seal.*}: when seals are written on their own (docs/AUDIT.md).
 *
 * @param scheduled     whether this node writes seals on schedule at all (on demand and the demo loader always can)
 * @param everyEvents   a seal after this many entries since the previous one
 * @param checkInterval how often that count is looked at
 * @param zone          a seal at each local midnight of this zone (the day of the national ledger)
 * @param interval      a seal once the oldest unsealed entry is this old (ledger clock), so that no entry waits long
 *                      for a seal on a quiet ledger; 0 turns it off
 */
@ConfigurationProperties("ledger.audit.seal")
public record AuditProperties(
        @DefaultValue("true") boolean scheduled,
        @DefaultValue("1000") long everyEvents,
        @DefaultValue("5s") Duration checkInterval,
        @DefaultValue("Asia/Shanghai") ZoneId zone,
        @DefaultValue("60s") Duration interval) {

    /** Whether seals are written on schedule once an entry has waited {@link #interval} (a positive one). */
    public boolean sealsByTime() {
        return scheduled && !interval.isZero() && !interval.isNegative();
    }
}
