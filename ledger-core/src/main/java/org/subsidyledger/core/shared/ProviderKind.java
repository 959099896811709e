package org.subsidyledger.core.shared;

/** What an accredited provider sells under the voucher programs. */
public enum ProviderKind {
    COMPUTE,
    MODEL_VENDOR
}
