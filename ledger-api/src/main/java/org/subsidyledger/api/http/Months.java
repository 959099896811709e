package org.subsidyledger.api.http;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.subsidyledger.core.housing.HousingCommands;

/** Months as requests state them: {@code "2026-07"}. */
public final class Months {
    private static final Pattern FORM = Pattern.compile("[0-9]{4}-[0-9]{2}");

    private Months() {}

    public static YearMonth parse(String value, String field) {
        if (value == null || !FORM.matcher(value).matches()) {
            throw StrictJson.invalid(field + " must be a month such as \"2026-07\".");
        }
        try {
            YearMonth month = YearMonth.parse(value);
            if (month.getYear() < HousingCommands.FIRST_YEAR || month.getYear() > HousingCommands.LAST_YEAR) {
                throw StrictJson.invalid(field + " must lie between " + HousingCommands.FIRST_YEAR + " and "
                        + HousingCommands.LAST_YEAR + ".");
            }
            return month;
        } catch (DateTimeParseException e) {
            throw StrictJson.invalid(field + " must be a month such as \"2026-07\".");
        }
    }
}
