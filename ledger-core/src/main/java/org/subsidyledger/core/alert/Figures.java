package org.subsidyledger.core.alert;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures an alert shows, as decimal strings in the order the rule adds them. Money keeps its two decimals;
 * ratios and other quotients are shown with four decimals half-up (SPEC §11), while the rules themselves compare exact
 * values (see {@link #atLeast}).
 */
final class Figures {
    private final Map<String, String> values = new LinkedHashMap<>();

    static Figures of() {
        return new Figures();
    }

    Figures amount(String name, BigDecimal value) {
        values.put(
                name,
                value.setScale(Math.max(2, value.scale()), RoundingMode.UNNECESSARY)
                        .toPlainString());
        return this;
    }

    Figures quotient(String name, BigDecimal numerator, BigDecimal denominator) {
        values.put(name, numerator.divide(denominator, 4, RoundingMode.HALF_UP).toPlainString());
        return this;
    }

    Figures number(String name, BigDecimal value) {
        values.put(name, value.toPlainString());
        return this;
    }

    Map<String, String> asMap() {
        return values;
    }

    /** {@code numerator / denominator ≥ threshold}, exactly: {@code numerator ≥ threshold × denominator}, denominator > 0. */
    static boolean atLeast(BigDecimal numerator, BigDecimal denominator, BigDecimal threshold) {
        return denominator.signum() > 0 && numerator.compareTo(threshold.multiply(denominator)) >= 0;
    }

    /** {@code numerator / denominator > threshold}, exactly, denominator > 0. */
    static boolean above(BigDecimal numerator, BigDecimal denominator, BigDecimal threshold) {
        return denominator.signum() > 0 && numerator.compareTo(threshold.multiply(denominator)) > 0;
    }

    /** {@code numerator / denominator < threshold}, exactly, denominator > 0. */
    static boolean below(BigDecimal numerator, BigDecimal denominator, BigDecimal threshold) {
        return denominator.signum() > 0 && numerator.compareTo(threshold.multiply(denominator)) < 0;
    }

    /** Percent of {@code part} in {@code whole} for messages: {@code 12.3 %}. */
    static String percent(BigDecimal part, BigDecimal whole) {
        return part.multiply(BigDecimal.valueOf(100))
                        .divide(whole, 1, RoundingMode.HALF_UP)
                        .toPlainString() + " %";
    }
}
