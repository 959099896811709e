package org.subsidyledger.core.shared;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The fiscal-year start months configured for jurisdictions (SPEC §11: "configurable per jurisdiction"), read by
 * {@link Jurisdiction#fiscalYearStartMonth()}; a jurisdiction without one keeps its statutory default. The
 * application installs the configuration once at start-up, before any command or projection runs, and restores the
 * previous one when it stops; the domain only reads it, so it stays free of any framework.
 */
public final class FiscalCalendars {
    private static volatile Map<Jurisdiction, Integer> starts = Map.of();

    private FiscalCalendars() {}

    /**
     * Installs the start months, replacing any installed before, and returns those (to restore on stop). A month
     * outside 1-12 is refused with {@link IllegalArgumentException} and nothing is installed.
     */
    public static Map<Jurisdiction, Integer> install(Map<Jurisdiction, Integer> startMonths) {
        Map<Jurisdiction, Integer> checked = new EnumMap<>(Jurisdiction.class);
        startMonths.forEach((jurisdiction, month) -> {
            Objects.requireNonNull(jurisdiction, "jurisdiction");
            if (month == null || month < 1 || month > 12) {
                throw new IllegalArgumentException("The fiscal year of " + jurisdiction.code()
                        + " must start in a month 1-12, not " + month + ".");
            }
            checked.put(jurisdiction, month);
        });
        Map<Jurisdiction, Integer> previous = starts;
        starts = Map.copyOf(checked);
        return previous;
    }

    /** The configured start month of a jurisdiction's fiscal year, or {@code statutory} when none is configured. */
    static int startMonth(Jurisdiction jurisdiction, int statutory) {
        return starts.getOrDefault(jurisdiction, statutory);
    }
}
