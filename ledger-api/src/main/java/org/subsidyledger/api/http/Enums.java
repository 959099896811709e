package org.subsidyledger.api.http;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Parses enum values of requests with a message naming the accepted values. */
public final class Enums {
    private Enums() {}

    public static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw StrictJson.invalid(field + " must be one of "
                + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")) + ".");
    }
}
