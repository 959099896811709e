package org.subsidyledger.core.shared;

import java.util.List;

/**
 * The settings a program was launched with — the {@code rules} object of SPEC §2 — one implementation per family of
 * program kinds. ("Rules" in the code is {@link Rules}, the collector of broken rules; these are settings.)
 */
public interface ProgramSettings {
    /** The money fields of the settings, so a launch can check they are all in the program's currency. */
    List<Money> moneyFields();
}
