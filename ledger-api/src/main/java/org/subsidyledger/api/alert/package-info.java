/**
 * Fiscal-sustainability alerts (SPEC §6): the tracking processor {@code alerts} that keeps the alert tables behind the
 * log ({@link org.subsidyledger.api.alert.AlertConfiguration}), its thresholds from {@code ledger.alerts.*}, and
 * {@code GET /alerts}.
 */
package org.subsidyledger.api.alert;
