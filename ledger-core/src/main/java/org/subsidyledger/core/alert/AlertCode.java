package org.subsidyledger.core.alert;

/** The alert codes of SPEC §6. */
public enum AlertCode {
    COMMITMENT_HIGH,
    EXHAUSTION_FORECAST,
    LOW_REDEMPTION,
    LAPSE_RATE,
    ESCALATING_SUPPORT,
    FORWARD_LIABILITY,
    PAYMENT_ARREARS,
    BENEFICIARY_CONCENTRATION,
    PROVIDER_CONCENTRATION
}
