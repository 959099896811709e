package org.subsidyledger.core.voucher;

/** Who receives a voucher's subsidy: the beneficiary firm (reimbursement) or the provider (direct payment). */
public enum Payee {
    BENEFICIARY,
    PROVIDER
}
