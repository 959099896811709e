/**
 * Four eyes (SPEC §3, §11): the national approval settings, the index of approval requests kept in the appending
 * transaction, the {@code /approvals} endpoints and the {@code 202 Accepted} answer of a command that became a
 * request.
 */
package org.subsidyledger.api.approval;
