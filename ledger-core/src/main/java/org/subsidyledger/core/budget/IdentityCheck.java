package org.subsidyledger.core.budget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramStreamEvent;

/**
 * SPEC §4's budget identity {@code Σ issued + Σ granted = committed + disbursed + released}, checked for every program
 * after every entry of the log, between two sides that are folded independently (docs/AUDIT.md §6):
 * <ul>
 *   <li>the <em>flows</em>: face values issued and schedules granted on the left; subsidies and housing amounts paid
 *   ({@code disbursed}) and what each release says it released ({@code released}) on the right;</li>
 *   <li>the <em>stated</em> {@code committed}: what the events themselves say is still held — each voucher's
 *   {@code remaining} as its latest redemption states it (its face value until then, nothing once it expired or was
 *   revoked) and each housing month's commitment as its grant's schedule states it, until the month is paid, lapses
 *   or is released.</li>
 * </ul>
 * A release that gives back less than the voucher held, a redemption whose {@code remaining} does not follow from its
 * {@code subsidy}, or a month paid for more than it committed breaks the identity at that entry. Each event's own
 * arithmetic is checked too ({@link StatedBook}): a consistent edit of both figures of one event does not slip through.
 *
 * <p>Feed it the events of program streams in global index order; {@link #firstFinding()} is the first entry at which
 * anything failed. It shares nothing with the program aggregate or with {@link ProgramBudget} but {@link Money}.
 */
public final class IdentityCheck {
    private final Map<ProgramId, StatedBook> books = new HashMap<>();
    private Finding first;

    /**
     * The first entry at which a program's figures failed.
     *
     * @param problems          what failed at that entry, in words with the figures
     * @param issuedAndGranted  the identity's left side after the entry
     * @param committedDisbursedReleased its right side after the entry
     */
    public record Finding(
            long globalIndex,
            ProgramId programId,
            List<String> problems,
            Money issuedAndGranted,
            Money committedDisbursedReleased) {
        public Finding {
            problems = List.copyOf(problems);
        }

        public String describe() {
            return programId.value() + ": " + String.join("; ", problems);
        }
    }

    /** Folds one event of a program's stream, stored at {@code globalIndex}, into both sides and checks them. */
    public void accept(long globalIndex, ProgramStreamEvent event) {
        StatedBook book = books.computeIfAbsent(event.programId(), id -> new StatedBook(event.currency()));
        List<String> problems;
        try {
            problems = book.apply(event);
        } catch (RuntimeException e) {
            problems = new ArrayList<>(
                    List.of(event.getClass().getSimpleName() + "'s figures cannot be" + " folded: " + e.getMessage()));
        }
        if (first != null) {
            return;
        }
        Money left = book.issuedAndGranted();
        Money right = book.committedDisbursedReleased();
        if (!left.equals(right)) {
            problems.add(
                    0,
                    "the budget identity breaks: Σ issued + Σ granted = "
                            + left.amount().toPlainString()
                            + " but committed + disbursed + released = "
                            + book.committed().amount().toPlainString() + " + "
                            + book.disbursed().amount().toPlainString() + " + "
                            + book.released().amount().toPlainString()
                            + " = " + right.amount().toPlainString());
        }
        if (book.available().isNegative()) {
            problems.add("available is " + book.available().amount().toPlainString() + ", below zero");
        }
        if (!problems.isEmpty()) {
            first = new Finding(globalIndex, event.programId(), problems, left, right);
        }
    }

    /** The first entry at which an identity, an invariant or an event's arithmetic failed; null while none did. */
    public Finding firstFinding() {
        return first;
    }

    /** Programs seen. */
    public int programs() {
        return books.size();
    }
}
