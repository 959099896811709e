package org.subsidyledger.api.http;

import java.util.UUID;
import java.util.function.Function;

/**
 * Identifiers of created things: the client's if it supplied one (validated by the id type), else a UUID — derived
 * from the request's idempotency scope when it has an {@code Idempotency-Key}, so that a retry of a request whose
 * command already committed names the same thing (SPEC §11), and random otherwise.
 */
public final class Ids {
    private Ids() {
    }

    public static <T> T supplied(String value, Function<String, T> parse) {
        if (value != null) {
            return parse.apply(value);
        }
        org.subsidyledger.api.idempotency.IdempotencyStore.Scope scope =
                org.subsidyledger.api.idempotency.IdempotencyFilter.scopeOfCurrentRequest();
        return parse.apply((scope != null ? scope.derivedId() : UUID.randomUUID()).toString());
    }

    /** Parses a path variable; an id of the wrong form is VALIDATION_FAILED (SPEC §11). */
    public static <T> T path(String value, Function<String, T> parse) {
        return parse.apply(value);
    }
}
