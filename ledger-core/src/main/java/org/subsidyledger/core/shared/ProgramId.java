package org.subsidyledger.core.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifier `programId`: 1-64 characters of [A-Za-z0-9._-] (SPEC §11). */
public record ProgramId(@JsonValue String value) implements Comparable<ProgramId> {
    public ProgramId {
        Text.requireId(value, "programId");
    }

    @JsonCreator
    public static ProgramId of(String value) {
        return new ProgramId(value);
    }

    @Override
    public int compareTo(ProgramId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
