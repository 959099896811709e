/**
 * Keeping the ledger answering under load and faults (issue 11): admission control on commands, the database health
 * probe and the load metrics. Which failures are "busy or away" (answered 503 OVERLOADED) is decided by
 * {@code http.Unavailability}, next to the commands and problem answers that use it.
 */
package org.subsidyledger.api.overload;
