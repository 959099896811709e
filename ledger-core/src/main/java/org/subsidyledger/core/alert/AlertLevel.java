package org.subsidyledger.core.alert;

/** How serious an alert is; a change of level clears the alert and raises a new one (SPEC §11). */
public enum AlertLevel {
    WARNING,
    CRITICAL
}
