package org.subsidyledger.projections.budget;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.subsidyledger.core.budget.ProgramBudget;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingMonthsLapsed;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.housing.MonthRelease;
import org.subsidyledger.core.housing.ScheduledMonth;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;

/**
 * The budget read model computed from events alone: fold every event of the programs in scope, in log order, and read
 * the figures and liabilities. Each program's SPEC §4 figures come from ledger-core's {@link ProgramBudget}; this class
 * adds only what a budget answer needs beyond them — the program's definition, and in which fiscal year each voucher
 * expires and each housing month falls due. It is what an answer "as of" an instant is computed with (fold the events
 * stamped at or before it), and it must agree with {@link BudgetReadModel} at every point of the log.
 *
 * <p>Not thread-safe; one fold per question.
 */
public final class BudgetFold {
    private final String province;
    private final Map<ProgramId, ProgramState> programs = new LinkedHashMap<>();

    /** A fold of one province's programs; {@code province} null folds every program. */
    public BudgetFold(String province) {
        this.province = province;
    }

    /** An independent copy of this fold: folding more into either leaves the other as it was. */
    public BudgetFold copy() {
        BudgetFold copy = new BudgetFold(province);
        programs.forEach((id, state) -> copy.programs.put(id, state.copy()));
        return copy;
    }

    /** Whether an event of this province would be folded; lets a caller skip the rest cheaply. */
    public boolean inScope(ProgramStreamEvent event) {
        return province == null || province.equals(event.province());
    }

    /** Folds one event; events of other provinces, and of programs whose launch was not folded, are ignored. */
    public void apply(ProgramStreamEvent event) {
        if (!inScope(event)) {
            return;
        }
        if (event instanceof ProgramLaunched launched) {
            programs.putIfAbsent(launched.programId(), new ProgramState(launched));
            return;
        }
        ProgramState state = programs.get(event.programId());
        if (state != null) {
            state.apply(event);
        }
    }

    public List<ProgramFigures> programs() {
        return programs.values().stream()
                .sorted((a, b) -> a.definition.programId().compareTo(b.definition.programId()))
                .map(s -> new ProgramFigures(s.definition, s.figures()))
                .toList();
    }

    /** Outstanding obligations per program and fiscal year, ordered like {@link BudgetReadModel#liabilities}. */
    public List<Liability> liabilities() {
        List<Liability> all = new ArrayList<>();
        programs.values().stream()
                .sorted((a, b) -> a.definition.programId().compareTo(b.definition.programId()))
                .forEach(s -> all.addAll(s.liabilities()));
        return all;
    }

    private static final class ProgramState {
        final ProgramDefinition definition;
        final Jurisdiction jurisdiction;
        final ProgramBudget budget;
        /** Fiscal year in which each voucher expires; its outstanding value is {@code budget.remainingOf}. */
        final Map<VoucherId, Integer> expiryYear = new LinkedHashMap<>();
        /** Housing months neither paid nor released, with their commitment. */
        final Map<GrantMonth, Money> openMonths = new HashMap<>();

        ProgramState(ProgramLaunched launched) {
            definition = new ProgramDefinition(
                    launched.programId(),
                    launched.name(),
                    launched.programKind(),
                    launched.province(),
                    launched.city(),
                    launched.currency());
            jurisdiction = Jurisdiction.parse(launched.province());
            budget = new ProgramBudget(launched.programId(), launched.currency());
        }

        private ProgramState(ProgramState original) {
            definition = original.definition;
            jurisdiction = original.jurisdiction;
            budget = original.budget.copy();
            expiryYear.putAll(original.expiryYear);
            openMonths.putAll(original.openMonths);
        }

        ProgramState copy() {
            return new ProgramState(this);
        }

        void apply(ProgramStreamEvent event) {
            budget.apply(event);
            if (event instanceof VoucherIssued issued) {
                expiryYear.put(issued.voucherId(), jurisdiction.fiscalYearOf(issued.expiresAt()));
            } else if (event instanceof HousingSubsidyGranted granted) {
                for (ScheduledMonth m : granted.schedule()) {
                    openMonths.put(new GrantMonth(granted.grantId(), m.month()), m.committed());
                }
            } else if (event instanceof HousingSubsidyPaid paid) {
                openMonths.remove(new GrantMonth(paid.grantId(), paid.month()));
            } else if (event instanceof HousingMonthsLapsed lapsed) {
                close(lapsed.grantId(), lapsed.months());
            } else if (event instanceof HousingGrantTerminated terminated) {
                close(terminated.grantId(), terminated.releasedMonths());
            }
        }

        private void close(GrantId grantId, List<MonthRelease> months) {
            for (MonthRelease m : months) {
                openMonths.remove(new GrantMonth(grantId, m.month()));
            }
        }

        BudgetFigures figures() {
            return new BudgetFigures(
                    budget.appropriated(),
                    budget.committed(),
                    budget.disbursed(),
                    budget.paid(),
                    budget.released(),
                    budget.clawbackDue());
        }

        List<Liability> liabilities() {
            Map<Integer, Money> byYear = new TreeMap<>();
            Money zero = Money.zero(definition.currency());
            expiryYear.forEach((voucher, year) -> {
                Money remaining = budget.remainingOf(voucher);
                if (remaining.isPositive()) {
                    byYear.merge(year, remaining, Money::plus);
                }
            });
            openMonths.forEach((month, committed) ->
                    byYear.merge(jurisdiction.fiscalYearOf(month.month()), committed, Money::plus));
            Money total = byYear.values().stream().reduce(zero, Money::plus);
            if (!total.equals(budget.committed())) {
                // Both sides count the same vouchers and months; a difference is a defect, never a rounding.
                throw new IllegalStateException("liabilities of " + definition.programId() + " add up to " + total
                        + " but committed is " + budget.committed());
            }
            return byYear.entrySet().stream()
                    .map(e -> new Liability(definition.programId(), e.getKey(), e.getValue()))
                    .toList();
        }
    }

    private record GrantMonth(GrantId grantId, YearMonth month) {}
}
