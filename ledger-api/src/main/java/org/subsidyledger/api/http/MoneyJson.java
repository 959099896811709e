package org.subsidyledger.api.http;

import org.subsidyledger.core.shared.Money;

/** Money as a request states it: {@code {"amount": "1000.00", "currency": "CNY"}}, both strings. */
public record MoneyJson(String amount, String currency) {
    public Money toMoney(String field) {
        return Money.ofRequest(amount, currency, field);
    }

    public static Money required(MoneyJson json, String field) {
        if (json == null) {
            throw StrictJson.invalid(field + " is required.");
        }
        return json.toMoney(field);
    }
}
