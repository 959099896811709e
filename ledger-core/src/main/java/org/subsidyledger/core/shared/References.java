package org.subsidyledger.core.shared;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one way the ledger compares invoice, contract and lease references (SPEC §11 "Contracts and invoices"): after
 * Unicode NFKC, trimming, collapsing inner runs of white space to one space and upper-casing. {@code "INV-001"},
 * {@code " inv-001 "} and the full-width {@code "ＩＮＶ－００１"} are one invoice. References are stored as given;
 * only their comparison key is normalized, so an auditor still sees what the provider wrote.
 */
public final class References {
    /** Any Unicode white space, including the ideographic space NFKC leaves as a plain space anyway. */
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    /** Separates the parts of a composite key; free text never contains control characters. */
    private static final String SEP = "\u001f";

    private References() {}

    /** One map key made of several parts, none of which can run into the next. */
    public static String composite(Object... parts) {
        StringBuilder key = new StringBuilder();
        for (Object part : parts) {
            if (key.length() > 0) {
                key.append(SEP);
            }
            key.append(part);
        }
        return key.toString();
    }

    /** The comparison key of a reference; null stays null. */
    public static String key(String reference) {
        if (reference == null) {
            return null;
        }
        String folded = Normalizer.normalize(reference, Normalizer.Form.NFKC);
        folded = WHITE_SPACE.matcher(folded).replaceAll(" ").trim();
        // Upper-casing can produce characters outside NFKC (rarely); normalizing once more makes the key stable.
        return Normalizer.normalize(folded.toUpperCase(Locale.ROOT), Normalizer.Form.NFKC);
    }
}
