package org.subsidyledger.api.http;

import java.math.RoundingMode;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.shared.Money;

/**
 * SPEC §4's figures in one currency, as decimal strings; {@code executionRate} = disbursed / appropriated with four
 * decimals half-up, or null when nothing is appropriated (SPEC §11).
 */
public record FiguresView(
        String currency,
        String appropriated,
        String committed,
        String disbursed,
        String paid,
        String payable,
        String released,
        String available,
        String executionRate) {

    public static FiguresView of(Program.Figures f) {
        return new FiguresView(
                f.appropriated().currency().name(),
                text(f.appropriated()),
                text(f.committed()),
                text(f.disbursed()),
                text(f.paid()),
                text(f.disbursed().minus(f.paid())),
                text(f.released()),
                text(f.available()),
                rate(f.disbursed(), f.appropriated()));
    }

    public static String rate(Money numerator, Money denominator) {
        if (denominator.amount().signum() == 0) {
            return null;
        }
        return numerator
                .amount()
                .divide(denominator.amount(), 4, RoundingMode.HALF_UP)
                .toPlainString();
    }

    private static String text(Money money) {
        return money.amount().toPlainString();
    }
}
