package org.subsidyledger.core.shared;

import java.util.List;

/** The rules a program was launched with; one implementation per family of program kinds. */
public interface ProgramRules {
    /** The money fields of the rules, so a launch can check they are all in the program's currency. */
    List<Money> moneyFields();
}
