package org.subsidyledger.core.housing;

import org.subsidyledger.core.shared.Money;

import java.time.YearMonth;

/** Money given back to the program for one housing month. */
public record MonthRelease(YearMonth month, Money released) {
}
