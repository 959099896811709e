package org.subsidyledger.core.shared;

/**
 * An event of a program's stream. Each one names its program and jurisdiction, its kind and currency, so that an
 * integrator can place it without calling back.
 */
public interface ProgramStreamEvent {
    ProgramId programId();

    String province();

    String city();

    ProgramKind programKind();

    CurrencyCode currency();
}
