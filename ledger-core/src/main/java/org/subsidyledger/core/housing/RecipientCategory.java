package org.subsidyledger.core.housing;

/** The talent category the certification system assigned to a housing-subsidy recipient. */
public enum RecipientCategory {
    GRADUATE,
    FOUNDER,
    PROFESSIONAL
}
