/**
 * Keeping the ledger answering under load and faults (issue 11): admission control on commands, the mapping of
 * "the database is busy or away" to {@code 503 OVERLOADED}, the database health probe and the load metrics.
 */
package org.subsidyledger.api.overload;
