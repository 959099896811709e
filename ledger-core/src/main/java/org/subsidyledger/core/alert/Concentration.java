package org.subsidyledger.core.alert;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.PriorityQueue;

/** Shares and the Herfindahl-Hirschman index of amounts by group, on SPEC §11's 0–10,000 scale. */
final class Concentration {
    private static final BigDecimal SCALE = BigDecimal.valueOf(10_000);

    private Concentration() {}

    /** Σ of the {@code n} largest amounts. */
    static BigDecimal top(Collection<BigDecimal> amounts, int n) {
        if (n <= 0) {
            return BigDecimal.ZERO;
        }
        // the n largest so far, smallest first: one pass, no sort of every amount (this runs at every entry)
        PriorityQueue<BigDecimal> largest = new PriorityQueue<>(n + 1);
        for (BigDecimal amount : amounts) {
            if (largest.size() < n) {
                largest.add(amount);
            } else if (amount.compareTo(largest.peek()) > 0) {
                largest.poll();
                largest.add(amount);
            }
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal amount : largest) {
            sum = sum.add(amount);
        }
        return sum;
    }

    /** {@code HHI = 10,000 × Σ amount² / total²} ≥ {@code threshold}, compared without division. */
    static boolean hhiAtLeast(Collection<BigDecimal> amounts, BigDecimal total, BigDecimal threshold) {
        return total.signum() > 0
                && SCALE.multiply(sumOfSquares(amounts)).compareTo(threshold.multiply(total.multiply(total))) >= 0;
    }

    /** The HHI as a figure: {@code 10,000 × Σ amount² / total²} (total > 0). */
    static Figures hhi(Figures figures, String name, Collection<BigDecimal> amounts, BigDecimal total) {
        return figures.quotient(name, SCALE.multiply(sumOfSquares(amounts)), total.multiply(total));
    }

    private static BigDecimal sumOfSquares(Collection<BigDecimal> amounts) {
        return amounts.stream().map(a -> a.multiply(a)).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
