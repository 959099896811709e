package org.subsidyledger.core.housing;

import java.time.YearMonth;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.Ratio;

/** One month of a housing grant's schedule: its grant year (1-based), the rate of that year, what it commits. */
public record ScheduledMonth(YearMonth month, int grantYear, Ratio rate, Money committed) {}
