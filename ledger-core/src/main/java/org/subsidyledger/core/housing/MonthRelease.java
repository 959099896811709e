package org.subsidyledger.core.housing;

import java.time.YearMonth;
import org.subsidyledger.core.shared.Money;

/** Money given back to the program for one housing month. */
public record MonthRelease(YearMonth month, Money released) {}
