package org.subsidyledger.core.voucher;

/** How a model voucher's beneficiary uses the model it pays for. */
public enum ModelUsage {
    API_ACCESS,
    LICENSE
}
