package org.subsidyledger.projections.budget;

/** One program's figures: the unit every budget answer is summed from (per city, kind, currency, province). */
public record ProgramFigures(ProgramDefinition program, BudgetFigures figures) {}
