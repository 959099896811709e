package org.subsidyledger.core.voucher;

/** The life of a voucher. EXHAUSTED, EXPIRED and REVOKED vouchers have ended. */
public enum VoucherStatus {
    ACTIVE,
    EXHAUSTED,
    EXPIRED,
    REVOKED
}
