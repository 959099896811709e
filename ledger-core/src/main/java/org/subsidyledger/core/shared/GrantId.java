package org.subsidyledger.core.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifier `grantId`: 1-64 characters of [A-Za-z0-9._-] (SPEC §11). */
public record GrantId(@JsonValue String value) implements Comparable<GrantId> {
    public GrantId {
        Text.requireId(value, "grantId");
    }

    @JsonCreator
    public static GrantId of(String value) {
        return new GrantId(value);
    }

    @Override
    public int compareTo(GrantId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
