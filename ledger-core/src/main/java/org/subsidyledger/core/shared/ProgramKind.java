package org.subsidyledger.core.shared;

/** What a program pays for. */
public enum ProgramKind {
    COMPUTE_VOUCHER,
    MODEL_VOUCHER,
    HOUSING_SUBSIDY;

    public boolean isVoucher() {
        return this != HOUSING_SUBSIDY;
    }
}
