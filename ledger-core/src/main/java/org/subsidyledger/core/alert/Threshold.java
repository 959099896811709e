package org.subsidyledger.core.alert;

import java.math.BigDecimal;

/**
 * Each configurable threshold of SPEC §6, with its configuration name ({@code ledger.alerts.<name>}) and default.
 * Ratios are fractions (0.80 = 80 %) compared exactly with the figures; periods are whole days of 24 hours; HHI is on
 * the 0–10,000 scale.
 */
public enum Threshold {
    COMMITMENT_WARNING("commitment-warning", "0.80", false),
    COMMITMENT_CRITICAL("commitment-critical", "0.95", false),
    EXHAUSTION_WINDOW_DAYS("exhaustion-window-days", "90", true),
    LOW_REDEMPTION_AGE_DAYS("low-redemption-age-days", "90", true),
    LOW_REDEMPTION_RATIO("low-redemption-ratio", "0.25", false),
    LAPSE_RATIO("lapse-ratio", "0.30", false),
    ESCALATION_RATIO("escalation-ratio", "0.50", false),
    FORWARD_LIABILITY_RATIO("forward-liability-ratio", "0.50", false),
    ARREARS_DAYS("arrears-days", "30", true),
    ARREARS_RATIO("arrears-ratio", "0.02", false),
    BENEFICIARY_TOP_GROUPS("beneficiary-top-groups", "5", true),
    BENEFICIARY_TOP_SHARE("beneficiary-top-share", "0.50", false),
    BENEFICIARY_HHI("beneficiary-hhi", "1800", false),
    PROVIDER_GROUP_SHARE("provider-group-share", "0.60", false),
    PROVIDER_HHI("provider-hhi", "1800", false),
    CONCENTRATION_MIN_REDEMPTIONS("concentration-min-redemptions", "10", true);

    private final String propertyName;
    private final BigDecimal defaultValue;
    private final boolean whole;

    Threshold(String propertyName, String defaultValue, boolean whole) {
        this.propertyName = propertyName;
        this.defaultValue = new BigDecimal(defaultValue);
        this.whole = whole;
    }

    /** The name under {@code ledger.alerts}, e.g. {@code commitment-warning}. */
    public String propertyName() {
        return propertyName;
    }

    public BigDecimal defaultValue() {
        return defaultValue;
    }

    /** A count or a number of days, rather than a ratio. */
    public boolean whole() {
        return whole;
    }
}
