package org.subsidyledger.core.alert;

import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.ProgramId;

/**
 * What an alert is about: one program (with its city), or one province in one currency (SPEC §11: province rules work
 * per currency), where {@code city} and {@code programId} are null.
 */
public record AlertScope(String province, String city, ProgramId programId, CurrencyCode currency) {

    static AlertScope program(String province, String city, ProgramId programId, CurrencyCode currency) {
        return new AlertScope(province, city, programId, currency);
    }

    static AlertScope province(String province, CurrencyCode currency) {
        return new AlertScope(province, null, null, currency);
    }

    /** The scope as text, part of the alert id: {@code province|currency|programId} (programId empty for a province). */
    public String key() {
        return province + "|" + currency + "|" + (programId == null ? "" : programId.value());
    }
}
