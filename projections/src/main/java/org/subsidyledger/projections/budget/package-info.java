/**
 * SPEC §4's budget figures as a read model and as a fold.
 *
 * <ul>
 *   <li>{@link org.subsidyledger.projections.budget.BudgetProjector} keeps the read-model tables (one row per program,
 *       voucher, housing grant and housing month) in step with the log, from the tracking processor
 *       {@value org.subsidyledger.projections.budget.BudgetProjector#PROCESSING_GROUP}.</li>
 *   <li>{@link org.subsidyledger.projections.budget.BudgetReadModel} reads them; {@code committed} is summed there, by
 *       SQL, from the vouchers and months still outstanding — never kept as a running total.</li>
 *   <li>{@link org.subsidyledger.projections.budget.BudgetFold} computes the same figures from events alone (each
 *       program through ledger-core's {@code ProgramBudget}), for answers "as of" an instant and for checking the
 *       tables against the log.</li>
 * </ul>
 */
package org.subsidyledger.projections.budget;
