package org.subsidyledger.core.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifier `voucherId`: 1-64 characters of [A-Za-z0-9._-] (SPEC §11). */
public record VoucherId(@JsonValue String value) implements Comparable<VoucherId> {
    public VoucherId {
        Text.requireId(value, "voucherId");
    }

    @JsonCreator
    public static VoucherId of(String value) {
        return new VoucherId(value);
    }

    @Override
    public int compareTo(VoucherId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
