package org.subsidyledger.core.shared;

/** Validation of identifiers and free text (SPEC §11 "Input"). */
public final class Text {
    private static final int MAX_ID = 64;
    public static final int MAX_TEXT = 200;

    private Text() {}

    /**
     * 1-64 of {@code [A-Za-z0-9._-]}, not "." or "..". Checked character by character rather than with a regular
     * expression: every id of a program is checked again when its snapshot is read (a program of 100,000 vouchers
     * holds about a million ids), and the matcher was a tenth of that read.
     */
    public static boolean isId(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_ID) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        // "." and ".." are ids by their characters but name no resource in a URL path: they would be normalized away
        return !value.equals(".") && !value.equals("..");
    }

    public static String requireId(String value, String field) {
        if (!isId(value)) {
            throw Rules.rejection(
                    RejectionCode.VALIDATION_FAILED,
                    field + " must be 1-64 characters of letters, digits, '.', '_' or '-' (not '.' or '..').");
        }
        return value;
    }

    /** Free text: 1-200 printable characters, no control characters. */
    public static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw Rules.rejection(RejectionCode.VALIDATION_FAILED, field + " is required.");
        }
        int length = value.codePointCount(0, value.length());
        if (length > MAX_TEXT) {
            throw Rules.rejection(
                    RejectionCode.VALIDATION_FAILED, field + " is longer than " + MAX_TEXT + " characters.");
        }
        boolean printable = value.codePoints()
                .allMatch(cp -> !Character.isISOControl(cp)
                        && Character.getType(cp) != Character.UNASSIGNED
                        && Character.getType(cp) != Character.SURROGATE
                        && Character.getType(cp) != Character.PRIVATE_USE
                        && Character.getType(cp) != Character.FORMAT);
        if (!printable) {
            throw Rules.rejection(
                    RejectionCode.VALIDATION_FAILED, field + " contains characters that are not printable.");
        }
        return value;
    }

    public static String optionalText(String value, String field) {
        return value == null ? null : requireText(value, field);
    }

    /** A value shortened for safe inclusion in a message. */
    public static String shown(String value) {
        if (value == null) {
            return "";
        }
        String cleaned = value.codePoints()
                .filter(cp -> !Character.isISOControl(cp))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned;
    }
}
