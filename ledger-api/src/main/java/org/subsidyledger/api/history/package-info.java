/**
 * The event history of a voucher or a housing grant (SPEC §5 "status, amounts, history"): every event of it, in log
 * order, read from the event store through a small index written with the events.
 */
package org.subsidyledger.api.history;
