package org.subsidyledger.projections.budget;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A program as the read model lists it: definition, rules (their stored JSON), whether it is closed, SPEC §4's figures
 * and how many vouchers and housing grants it has by status ({@code ACTIVE}, {@code EXHAUSTED}, {@code EXPIRED},
 * {@code REVOKED}; {@code ACTIVE}, {@code TERMINATED}).
 */
public record ProgramSummary(
        ProgramDefinition program,
        String rulesJson,
        boolean closed,
        BudgetFigures figures,
        Map<String, Long> vouchers,
        Map<String, Long> housingGrants) {
    public ProgramSummary {
        vouchers = Collections.unmodifiableMap(new LinkedHashMap<>(vouchers));
        housingGrants = Collections.unmodifiableMap(new LinkedHashMap<>(housingGrants));
    }
}
