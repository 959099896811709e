package org.subsidyledger.core.shared;

import java.util.regex.Pattern;

/** Validation of identifiers and free text (SPEC §11 "Input"). */
public final class Text {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final int MAX_TEXT = 200;

    private Text() {}

    public static boolean isId(String value) {
        // "." and ".." match the pattern but name no resource in a URL path: they would be normalized away
        return value != null && ID.matcher(value).matches() && !value.equals(".") && !value.equals("..");
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
