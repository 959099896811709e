/**
 * The budget read side (SPEC §5): {@code GET /provinces}, {@code GET /provinces/{code}/budget?asOf=} and
 * {@code GET /programs?province=}. Without {@code asOf} the answers come from the budget read model, kept by the
 * pooled streaming processor {@code budget} (projections module); with {@code asOf} they are folded from the stored
 * events stamped at or before that instant. Both paths produce per-program figures and liabilities that
 * {@link org.subsidyledger.api.budget.BudgetViews} sums the same way.
 */
package org.subsidyledger.api.budget;
