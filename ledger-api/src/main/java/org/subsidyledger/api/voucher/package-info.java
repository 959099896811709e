/** Voucher endpoints: issue, compute and model redemptions, settlement, revocation, and the voucher view. */
package org.subsidyledger.api.voucher;
