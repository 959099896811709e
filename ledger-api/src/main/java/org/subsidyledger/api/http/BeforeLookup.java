package org.subsidyledger.api.http;

import java.util.function.Function;
import org.subsidyledger.core.shared.ProgramId;

/**
 * SPEC §11 precedence, 400 before 404: a request is parsed and validated in full before the ledger looks up what its
 * path names (the voucher's or grant's program, and whether the caller's province may see it), so a malformed body
 * sent to an unknown or another province's voucher is {@code VALIDATION_FAILED}, never {@code NOT_FOUND}.
 */
public final class BeforeLookup {
    private BeforeLookup() {}

    /**
     * Builds the command once before the lookup, with no program yet, so that every field is checked by the same
     * code that checks it later (the request's parsing and the command's own constructor, none of which needs the
     * program id); returns the builder to call again with the program found.
     */
    public static <C> Function<ProgramId, C> validated(Function<ProgramId, C> command) {
        command.apply(null);
        return command;
    }
}
