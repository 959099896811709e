package org.subsidyledger.core.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifier `providerId`: 1-64 characters of [A-Za-z0-9._-] (SPEC §11). */
public record ProviderId(@JsonValue String value) implements Comparable<ProviderId> {
    public ProviderId {
        Text.requireId(value, "providerId");
    }

    @JsonCreator
    public static ProviderId of(String value) {
        return new ProviderId(value);
    }

    @Override
    public int compareTo(ProviderId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
