/**
 * Talent housing subsidies: rules, the month-by-month schedule of a grant, claims, lapses, termination and
 * clawback. Grants are decided by their program aggregate, which keeps the budget consistent.
 */
package org.subsidyledger.core.housing;
