package org.subsidyledger.core.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifier `filingNo`: 1-64 characters of [A-Za-z0-9._-] (SPEC §11). */
public record FilingNo(@JsonValue String value) implements Comparable<FilingNo> {
    public FilingNo {
        Text.requireId(value, "filingNo");
    }

    @JsonCreator
    public static FilingNo of(String value) {
        return new FilingNo(value);
    }

    @Override
    public int compareTo(FilingNo other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
