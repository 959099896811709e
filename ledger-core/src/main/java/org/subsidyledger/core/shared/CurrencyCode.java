package org.subsidyledger.core.shared;

import java.util.Arrays;

/** The ISO 4217 currencies the ledger accepts (SPEC §11). */
public enum CurrencyCode {
    CNY,
    USD;

    public static CurrencyCode parse(String code) {
        return Arrays.stream(values())
                .filter(c -> c.name().equals(code))
                .findFirst()
                .orElseThrow(() -> Rules.rejection(
                        RejectionCode.VALIDATION_FAILED,
                        "Currency '" + Text.shown(code) + "' is not accepted; use CNY or USD."));
    }
}
