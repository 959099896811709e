package org.subsidyledger.core.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifier `redemptionId`: 1-64 characters of [A-Za-z0-9._-] (SPEC §11). */
public record RedemptionId(@JsonValue String value) implements Comparable<RedemptionId> {
    public RedemptionId {
        Text.requireId(value, "redemptionId");
    }

    @JsonCreator
    public static RedemptionId of(String value) {
        return new RedemptionId(value);
    }

    @Override
    public int compareTo(RedemptionId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
