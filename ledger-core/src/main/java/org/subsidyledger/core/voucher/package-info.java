/**
 * Compute and model vouchers: their rules, commands, public events and the state of one voucher. Vouchers are
 * decided by the program aggregate that issued them, which keeps the budget consistent.
 */
package org.subsidyledger.core.voucher;
