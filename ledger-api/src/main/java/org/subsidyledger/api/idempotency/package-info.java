/** Idempotency-Key handling for every POST: claim, replay, conflict, retention. */
package org.subsidyledger.api.idempotency;
