/**
 * The alerts read model and outbox: {@link org.subsidyledger.projections.alert.AlertProjector} runs ledger-core's
 * alert engine behind the log and keeps {@code fiscal_alert} (every alert, open or cleared) and
 * {@code alert_transition} (each raise and clear, in log order, for publication) in step with it.
 */
package org.subsidyledger.projections.alert;
