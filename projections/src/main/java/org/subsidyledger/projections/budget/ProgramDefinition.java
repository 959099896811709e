package org.subsidyledger.projections.budget;

import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;

/** What a program is, as launched: the keys budget figures are grouped by. {@code city} may be null. */
public record ProgramDefinition(
        ProgramId programId, String name, ProgramKind kind, String province, String city, CurrencyCode currency) {}
