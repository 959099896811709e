package org.subsidyledger.core.alert;

import java.math.BigDecimal;

/** Shares and the Herfindahl-Hirschman index of amounts by group, on SPEC §11's 0–10,000 scale. */
final class Concentration {
    private static final BigDecimal SCALE = BigDecimal.valueOf(10_000);

    private Concentration() {}

    /** {@code HHI = 10,000 × Σ amount² / total²} ≥ {@code threshold}, compared without division. */
    static boolean hhiAtLeast(Shares shares, BigDecimal total, BigDecimal threshold) {
        return total.signum() > 0
                && SCALE.multiply(shares.sumOfSquares()).compareTo(threshold.multiply(total.multiply(total))) >= 0;
    }

    /** The HHI as a figure: {@code 10,000 × Σ amount² / total²} (total > 0). */
    static Figures hhi(Figures figures, String name, Shares shares, BigDecimal total) {
        return figures.quotient(name, SCALE.multiply(shares.sumOfSquares()), total.multiply(total));
    }
}
