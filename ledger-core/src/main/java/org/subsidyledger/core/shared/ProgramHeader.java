package org.subsidyledger.core.shared;

/**
 * What every event of a program's stream says about its program (SPEC §7): the program, its jurisdiction, city, kind
 * and currency. The program holds one; its books build their events from it instead of repeating five fields.
 */
public record ProgramHeader(
        ProgramId programId, Jurisdiction jurisdiction, String city, ProgramKind kind, CurrencyCode currency) {

    /** The province's code as the events carry it. */
    public String province() {
        return jurisdiction.code();
    }

    /** Zero in the program's currency. */
    public Money zero() {
        return Money.zero(currency);
    }

    /** Whether an amount is in another currency than the program's (refused with {@code CURRENCY_MISMATCH}). */
    public boolean foreign(Money amount) {
        return amount.currency() != currency;
    }

    /** The message of a {@code CURRENCY_MISMATCH} for this amount. */
    public String mismatch(Money amount) {
        return "Amount in " + amount.currency() + " but program " + programId + " is in " + currency + ".";
    }
}
