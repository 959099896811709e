/**
 * Tamper evidence (SPEC §8, docs/AUDIT.md): the hash chain computed at append, seals, the NDJSON export, the verifier
 * shared by {@code GET /audit/verify} and the offline {@code verify} command.
 */
package org.subsidyledger.api.audit;
