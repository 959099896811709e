package org.subsidyledger.core.shared;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the rules a command breaks and reports the one of highest precedence (SPEC §11). Handlers state their
 * rules in any order; the order of {@link RejectionCode} alone decides which is reported, so precedence is kept
 * in one place rather than in the order of if-statements.
 */
public final class Rules {
    private final List<LedgerRejection> broken = new ArrayList<>();

    public static Rules check() {
        return new Rules();
    }

    /** Records a broken rule when {@code violated} is true. */
    public Rules reject(boolean violated, RejectionCode code, String message) {
        if (violated) {
            broken.add(new LedgerRejection(code, message));
        }
        return this;
    }

    /** Throws the broken rule of highest precedence, if any. */
    public void enforce() {
        broken.stream().min(Comparator.comparingInt(r -> r.code().ordinal())).ifPresent(r -> {
            throw r;
        });
    }

    /** Rejects at once: for conditions that make the remaining rules meaningless (an unknown voucher, say). */
    public static LedgerRejection rejection(RejectionCode code, String message) {
        return new LedgerRejection(code, message);
    }

    public static void require(boolean condition, RejectionCode code, String message) {
        if (!condition) {
            throw new LedgerRejection(code, message);
        }
    }
}
