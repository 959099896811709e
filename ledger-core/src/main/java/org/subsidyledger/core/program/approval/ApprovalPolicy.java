package org.subsidyledger.core.program.approval;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;

/**
 * The national settings of four-eyes approval: how long a request may wait for its checker, and the threshold a
 * program launched without an {@code approvalThreshold} of its own takes in its currency (none: such a program needs no
 * approval). The default is written into the program's rules when it is launched, so that the log alone says which
 * commitments needed a second person, and a later change of the national default never rewrites an old program's
 * rules.
 */
public record ApprovalPolicy(Duration requestLifetime, Map<CurrencyCode, Money> defaultThresholds) {
    public static final Duration DEFAULT_REQUEST_LIFETIME = Duration.ofDays(14);

    public ApprovalPolicy {
        if (requestLifetime == null || requestLifetime.isNegative() || requestLifetime.isZero()) {
            throw new IllegalArgumentException("The lifetime of an approval request must be positive.");
        }
        Map<CurrencyCode, Money> copy = new EnumMap<>(CurrencyCode.class);
        defaultThresholds.forEach((currency, threshold) -> {
            if (threshold.currency() != currency || !threshold.isPositive()) {
                throw new IllegalArgumentException("The national approval threshold for " + currency
                        + " must be a positive " + currency + " amount.");
            }
            copy.put(currency, threshold);
        });
        defaultThresholds = Map.copyOf(copy);
    }

    /** Fourteen days, and no national threshold. */
    public static ApprovalPolicy standard() {
        return new ApprovalPolicy(DEFAULT_REQUEST_LIFETIME, Map.of());
    }

    public Optional<Money> defaultThreshold(CurrencyCode currency) {
        return Optional.ofNullable(defaultThresholds.get(currency));
    }
}
