package org.subsidyledger.core.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/** A share such as a coverage ratio or a housing rate: a decimal string, at most four decimals, 0 &lt; r ≤ 1. */
public record Ratio(BigDecimal value) {
    private static final Pattern FORM = Pattern.compile("(0|1)(\\.[0-9]{1,4})?");

    public Ratio {
        if (value == null || value.scale() > 4 || value.signum() <= 0 || value.compareTo(BigDecimal.ONE) > 0) {
            throw Rules.rejection(
                    RejectionCode.VALIDATION_FAILED,
                    "A ratio must be greater than 0 and at most 1, with at most four decimals.");
        }
    }

    @JsonCreator
    public static Ratio of(String text) {
        if (text == null || !FORM.matcher(text).matches()) {
            throw Rules.rejection(
                    RejectionCode.VALIDATION_FAILED,
                    "Ratio '" + Text.shown(text) + "' must be a decimal string such as \"0.30\".");
        }
        return new Ratio(new BigDecimal(text));
    }

    @JsonValue
    public String text() {
        return value.toPlainString();
    }

    @Override
    public String toString() {
        return text();
    }
}
