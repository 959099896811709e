package org.subsidyledger.projections.budget;

import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;

/**
 * SPEC §4's figures in one currency. {@code payable} and {@code available} are derived, so the stored figures can never
 * disagree with them: {@code payable = disbursed − paid}, {@code available = appropriated − committed − disbursed}.
 * {@code clawbackDue} is what recipients of terminated housing grants owe back (SPEC §11), outside the identity.
 */
public record BudgetFigures(
        Money appropriated, Money committed, Money disbursed, Money paid, Money released, Money clawbackDue) {

    public static BudgetFigures zero(CurrencyCode currency) {
        Money zero = Money.zero(currency);
        return new BudgetFigures(zero, zero, zero, zero, zero, zero);
    }

    public CurrencyCode currency() {
        return appropriated.currency();
    }

    public Money payable() {
        return disbursed.minus(paid);
    }

    public Money available() {
        return appropriated.minus(committed).minus(disbursed);
    }

    public BudgetFigures plus(BudgetFigures other) {
        return new BudgetFigures(
                appropriated.plus(other.appropriated),
                committed.plus(other.committed),
                disbursed.plus(other.disbursed),
                paid.plus(other.paid),
                released.plus(other.released),
                clawbackDue.plus(other.clawbackDue));
    }
}
