package org.subsidyledger.api.audit;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.projections.budget.BudgetFigures;
import org.subsidyledger.projections.budget.BudgetFold;
import org.subsidyledger.projections.budget.ProgramFigures;

/**
 * SPEC §4's figures recomputed from an export's payloads alone, with the read side's own fold ({@link BudgetFold},
 * built on ledger-core's {@code ProgramBudget}): per program, and per province and currency. The budget identity is
 * {@link LedgerVerifier}'s, checked at every entry; this fold is fed the events it read
 * ({@link LedgerVerifier#alsoFolding}).
 */
public final class ExportFigures {
    private final BudgetFold fold = new BudgetFold(null);

    /** Folds an event of a program's stream. */
    public void accept(ProgramStreamEvent event) {
        fold.apply(event);
    }

    public List<ProgramFigures> programs() {
        return fold.programs();
    }

    /** Figures summed per "province currency" (e.g. "CN-ZJ CNY"), in that order. */
    public Map<String, BudgetFigures> byProvinceAndCurrency() {
        Map<String, BudgetFigures> sums = new TreeMap<>();
        for (ProgramFigures p : fold.programs()) {
            sums.merge(p.program().province() + " " + p.program().currency().name(), p.figures(), BudgetFigures::plus);
        }
        return sums;
    }
}
