package org.subsidyledger.api.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a demo load did: whether it ran (or why it refused), the simulated period, the events it appended, the commands
 * accepted by type and rejected by code, and how long it took.
 */
public record DemoReport(
        boolean loaded,
        String refusal,
        Instant from,
        Instant to,
        long events,
        Map<String, Integer> accepted,
        Map<String, Integer> rejected,
        Duration duration) {

    static DemoReport refused(String reason) {
        return new DemoReport(false, reason, null, null, 0, Map.of(), Map.of(), Duration.ZERO);
    }
}
