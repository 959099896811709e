/**
 * Read models derived from the log — budget views, alerts, the audit chain — and the Kafka publisher. Depends on
 * ledger-core only.
 */
package org.subsidyledger.projections;
