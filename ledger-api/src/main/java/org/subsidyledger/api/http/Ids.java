package org.subsidyledger.api.http;

import java.util.UUID;
import java.util.function.Function;

/** Identifiers of created things: the client's if it supplied one (validated by the id type), else a new UUID. */
public final class Ids {
    private Ids() {
    }

    public static <T> T supplied(String value, Function<String, T> parse) {
        return parse.apply(value == null ? UUID.randomUUID().toString() : value);
    }

    /** Parses a path variable; an id of the wrong form is VALIDATION_FAILED (SPEC §11). */
    public static <T> T path(String value, Function<String, T> parse) {
        return parse.apply(value);
    }
}
