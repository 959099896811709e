package org.subsidyledger.core.alert;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Amounts by group (provider groups, beneficiary groups), with what the concentration rules ask of them kept current
 * as each amount grows: {@code Σ amount²} and the amounts in order. A rule then reads the HHI and the largest shares
 * in time independent of the number of groups; recomputing them from every group at every entry made the alert engine's
 * cost per entry grow with the ledger (a province with 100,000 beneficiaries). The sums are exact: each change
 * replaces a group's square by its new square, in {@link BigDecimal}.
 */
final class Shares {
    private final Map<String, BigDecimal> byGroup = new HashMap<>();
    /** Every group's amount, with how many groups hold it. */
    private final TreeMap<BigDecimal, Integer> ordered = new TreeMap<>();

    private BigDecimal sumOfSquares = BigDecimal.ZERO;

    /** Adds {@code amount} to the group's total. */
    void add(String group, BigDecimal amount) {
        BigDecimal before = byGroup.get(group);
        BigDecimal after = before == null ? amount : before.add(amount);
        byGroup.put(group, after);
        if (before != null) {
            ordered.computeIfPresent(before, (key, count) -> count == 1 ? null : count - 1);
            sumOfSquares = sumOfSquares.subtract(before.multiply(before));
        }
        ordered.merge(after, 1, Integer::sum);
        sumOfSquares = sumOfSquares.add(after.multiply(after));
    }

    /** Σ of the {@code n} largest amounts (all of them when there are fewer groups). */
    BigDecimal top(int n) {
        BigDecimal sum = BigDecimal.ZERO;
        int left = n;
        for (Map.Entry<BigDecimal, Integer> entry : ordered.descendingMap().entrySet()) {
            if (left <= 0) {
                break;
            }
            int taken = Math.min(left, entry.getValue());
            for (int i = 0; i < taken; i++) {
                sum = sum.add(entry.getKey());
            }
            left -= taken;
        }
        return sum;
    }

    BigDecimal sumOfSquares() {
        return sumOfSquares;
    }

    int groups() {
        return byGroup.size();
    }

    /** The amounts by group, read only. */
    Map<String, BigDecimal> byGroup() {
        return Collections.unmodifiableMap(byGroup);
    }
}
