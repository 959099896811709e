package org.subsidyledger.core.shared;

/**
 * The Unified Social Credit Code of GB 32100-2015: 18 characters from a 31-character alphabet (digits and
 * capitals without I, O, Z, S, V), the last a check character over the first 17 with weights 3^(i) mod 31.
 */
public final class Uscc {
    private static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private Uscc() {}

    public static boolean isValid(String code) {
        if (code == null || code.length() != 18) {
            return false;
        }
        for (int i = 0; i < 18; i++) {
            if (ALPHABET.indexOf(code.charAt(i)) < 0) {
                return false;
            }
        }
        return checkCharacter(code.substring(0, 17)) == code.charAt(17);
    }

    /** The check character for the first 17 characters of a code. */
    public static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int value = ALPHABET.indexOf(first17.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException("not a USCC character: " + first17.charAt(i));
            }
            sum += value * WEIGHTS[i];
        }
        int check = (31 - sum % 31) % 31;
        return ALPHABET.charAt(check);
    }

    public static String require(String code, String field) {
        if (!isValid(code)) {
            throw Rules.rejection(
                    RejectionCode.VALIDATION_FAILED,
                    field + " '" + Text.shown(code) + "' is not a valid 18-character Unified Social Credit Code "
                            + "(GB 32100-2015 check character).");
        }
        return code;
    }
}
