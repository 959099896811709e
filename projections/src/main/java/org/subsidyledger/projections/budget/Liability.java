package org.subsidyledger.projections.budget;

import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;

/**
 * Money a program still owes, by the fiscal year of its jurisdiction in which it falls due: a housing month still
 * committed falls due in the fiscal year of that month; a voucher's remaining value in the fiscal year in which the
 * voucher expires. Over all years, a program's liabilities add up to its {@code committed}.
 */
public record Liability(ProgramId programId, int fiscalYear, Money amount) {}
