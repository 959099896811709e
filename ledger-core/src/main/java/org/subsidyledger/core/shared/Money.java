package org.subsidyledger.core.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An exact amount of one currency, always held at two decimals. All rounding of money in the ledger happens
 * here, half-up to the cent (SPEC §11). On the wire it is {@code {"amount": "8000000.00", "currency": "CNY"}}.
 */
public final class Money implements Comparable<Money> {
    private static final Pattern REQUEST_AMOUNT = Pattern.compile("(0|[1-9][0-9]{0,14})(\\.[0-9]{1,2})?");
    private static final int SCALE = 2;

    private final BigDecimal amount;
    private final CurrencyCode currency;

    private Money(BigDecimal amount, CurrencyCode currency) {
        this.amount = amount.setScale(SCALE, RoundingMode.UNNECESSARY);
        this.currency = Objects.requireNonNull(currency, "currency");
    }

    /** Money computed inside the ledger (products, sums): rounded half-up to the cent, here and nowhere else. */
    public static Money rounded(BigDecimal exact, CurrencyCode currency) {
        return new Money(exact.setScale(SCALE, RoundingMode.HALF_UP), currency);
    }

    public static Money zero(CurrencyCode currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    /** Money as stored: any amount of at most two decimals, zero or negative allowed (for figures). */
    public static Money of(String amount, CurrencyCode currency) {
        try {
            BigDecimal value = new BigDecimal(amount);
            if (value.scale() > SCALE) {
                throw new ArithmeticException("more than two decimals");
            }
            return new Money(value, currency);
        } catch (RuntimeException e) {
            throw Rules.rejection(
                    RejectionCode.VALIDATION_FAILED,
                    "Amount '" + Text.shown(amount) + "' is not a decimal with at most two decimals.");
        }
    }

    /**
     * Money as a request may state it (SPEC §11): a positive decimal string of at most 15 integer digits and
     * two decimals, in an accepted currency.
     */
    public static Money ofRequest(String amount, String currency, String field) {
        if (amount == null || !REQUEST_AMOUNT.matcher(amount).matches()) {
            throw Rules.rejection(
                    RejectionCode.VALIDATION_FAILED,
                    field + " must be a decimal string such as \"1000.00\" with at most two decimals.");
        }
        Money money = new Money(new BigDecimal(amount), CurrencyCode.parse(currency));
        if (money.amount.signum() <= 0) {
            throw Rules.rejection(RejectionCode.VALIDATION_FAILED, field + " must be greater than zero.");
        }
        return money;
    }

    @JsonCreator
    static Money fromJson(@JsonProperty("amount") String amount, @JsonProperty("currency") String currency) {
        return of(amount, CurrencyCode.parse(currency));
    }

    @JsonValue
    Map<String, String> toJson() {
        Map<String, String> json = new LinkedHashMap<>();
        json.put("amount", amount.toPlainString());
        json.put("currency", currency.name());
        return json;
    }

    public BigDecimal amount() {
        return amount;
    }

    public CurrencyCode currency() {
        return currency;
    }

    public Money plus(Money other) {
        return new Money(amount.add(same(other).amount), currency);
    }

    public Money minus(Money other) {
        return new Money(amount.subtract(same(other).amount), currency);
    }

    /** This amount times a ratio, rounded half-up to the cent. */
    public Money times(Ratio ratio) {
        return rounded(amount.multiply(ratio.value()), currency);
    }

    /** This amount times {@code numerator / denominator}, rounded half-up to the cent once. */
    public Money timesFraction(long numerator, long denominator) {
        if (denominator <= 0) {
            throw new IllegalArgumentException("denominator must be positive");
        }
        return new Money(
                amount.multiply(BigDecimal.valueOf(numerator))
                        .divide(BigDecimal.valueOf(denominator), SCALE, RoundingMode.HALF_UP),
                currency);
    }

    public Money min(Money other) {
        return compareTo(other) <= 0 ? this : other;
    }

    public Money max(Money other) {
        return compareTo(other) >= 0 ? this : other;
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    public boolean isPositive() {
        return amount.signum() > 0;
    }

    public boolean isNegative() {
        return amount.signum() < 0;
    }

    public boolean greaterThan(Money other) {
        return compareTo(other) > 0;
    }

    public boolean sameCurrency(Money other) {
        return currency == other.currency;
    }

    private Money same(Money other) {
        if (other.currency != currency) {
            throw new IllegalArgumentException("currency mismatch: " + currency + " and " + other.currency);
        }
        return other;
    }

    @Override
    public int compareTo(Money other) {
        return amount.compareTo(same(other).amount);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Money m && m.currency == currency && m.amount.equals(amount);
    }

    @Override
    public int hashCode() {
        return Objects.hash(amount, currency);
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency;
    }
}
