/**
 * Sending a command from a request: its origin ({@link org.subsidyledger.api.command.RequestContext}: principal,
 * province, idempotency key, correlation id), the ids of created things ({@link org.subsidyledger.api.command.Ids}),
 * and the sender ({@link org.subsidyledger.api.command.LedgerCommands}) with its metadata, retries on conflicts and
 * the idempotency refusal found while the request was admitted. Depends on {@code http}, {@code idempotency} and
 * {@code security}; none of them depends on it.
 */
package org.subsidyledger.api.command;
