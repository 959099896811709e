/**
 * Programs: launch, appropriation, rescission, closure, and the program aggregate, which decides every command on
 * its vouchers and housing grants so that the budget invariants of SPEC §4 hold at every point of the log.
 */
package org.subsidyledger.core.program;
