package org.subsidyledger.core.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifier `requestId` of an approval request: 1-64 characters of [A-Za-z0-9._-] (SPEC §11). */
public record RequestId(@JsonValue String value) implements Comparable<RequestId> {
    public RequestId {
        Text.requireId(value, "requestId");
    }

    @JsonCreator
    public static RequestId of(String value) {
        return new RequestId(value);
    }

    @Override
    public int compareTo(RequestId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
