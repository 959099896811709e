package org.subsidyledger.api.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.subsidyledger.api.store.LedgerJson;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.projections.budget.BudgetFigures;
import org.subsidyledger.projections.budget.BudgetFold;
import org.subsidyledger.projections.budget.ProgramFigures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SPEC §4's figures recomputed from an export's payloads alone, with the read side's own fold ({@link BudgetFold},
 * built on ledger-core's {@code ProgramBudget}): per program, per province and currency, and the budget identity.
 */
public final class ExportFigures {
    private static final ObjectMapper STORED = LedgerJson.newMapper();
    private final BudgetFold fold = new BudgetFold(null);

    /** Folds an entry if it is an event of a program's stream. */
    public void accept(AuditEntry entry) {
        Class<?> type = EventTypes.BY_NAME.get(entry.type());
        if (type == null || !ProgramStreamEvent.class.isAssignableFrom(type)) {
            return;
        }
        try {
            fold.apply((ProgramStreamEvent) STORED.treeToValue(entry.payload(), type));
        } catch (IOException e) {
            throw new UncheckedIOException("the payload of " + entry.type() + " at index " + entry.globalIndex()
                    + " is not a " + entry.type(), e);
        }
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

    /** Programs whose identity Σ issued + Σ granted = committed + disbursed + released does not hold. */
    public List<ProgramId> identityBreaks() {
        return fold.identityBreaks();
    }
}
