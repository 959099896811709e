package org.subsidyledger.api.command;

import java.util.UUID;
import java.util.function.Function;
import org.subsidyledger.api.idempotency.IdempotencyFilter;
import org.subsidyledger.api.idempotency.IdempotencyStore;

/**
 * Identifiers of created things: the client's if it supplied one (validated by the id type), else a UUID — derived
 * from the request's idempotency scope when it has an {@code Idempotency-Key}, so that a retry of a request whose
 * command already committed names the same thing (SPEC §11), and random otherwise.
 */
public final class Ids {
    private Ids() {}

    /** The id the client supplied ({@code value}, parsed), or a new one when it supplied none. */
    public static <T> T suppliedOrNew(String value, Function<String, T> parse) {
        if (value != null) {
            return parse.apply(value);
        }
        IdempotencyStore.Scope scope = IdempotencyFilter.scopeOfCurrentRequest();
        return parse.apply((scope != null ? scope.derivedId() : UUID.randomUUID()).toString());
    }
}
