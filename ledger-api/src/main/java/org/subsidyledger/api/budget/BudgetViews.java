package org.subsidyledger.api.budget;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.subsidyledger.api.http.FiguresView;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.projections.budget.BudgetFigures;
import org.subsidyledger.projections.budget.Liability;
import org.subsidyledger.projections.budget.ProgramFigures;
import org.subsidyledger.projections.budget.ProgramSummary;

/**
 * The JSON answers of the budget queries, and how they are summed from per-program figures. Figures are decimal
 * strings of their currency; {@code executionRate} = disbursed / appropriated with four decimals half-up, or null when
 * nothing is appropriated (SPEC §11). Currencies, cities (a program without a city last), kinds and years are ordered.
 */
public final class BudgetViews {
    private BudgetViews() {}

    /** SPEC §5: {@code GET /provinces/{code}/budget}. */
    public record ProvinceBudget(String province, String asOf, List<CurrencyBudget> currencies) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CurrencyBudget(
            String currency,
            String appropriated,
            String committed,
            String disbursed,
            String paid,
            String payable,
            String released,
            String available,
            String executionRate,
            String clawbackDue,
            List<CityBudget> byCity,
            List<KindBudget> byKind,
            List<ForwardLiability> forwardLiabilities) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CityBudget(
            String city,
            String appropriated,
            String committed,
            String disbursed,
            String paid,
            String payable,
            String released,
            String available,
            String executionRate,
            String clawbackDue) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record KindBudget(
            String kind,
            String appropriated,
            String committed,
            String disbursed,
            String paid,
            String payable,
            String released,
            String available,
            String executionRate,
            String clawbackDue) {}

    public record ForwardLiability(int year, String amount) {}

    /** {@code GET /provinces}: every province with programs, its program count and its totals per currency. */
    public record Provinces(List<ProvinceTotals> provinces) {}

    public record ProvinceTotals(String province, String name, int programs, List<CurrencyTotals> currencies) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CurrencyTotals(
            String currency,
            String appropriated,
            String committed,
            String disbursed,
            String paid,
            String payable,
            String released,
            String available,
            String executionRate) {}

    /** {@code GET /programs?province=}: programs as {@code GET /programs/{id}} shows them, from the read model. */
    public record Programs(String province, List<ProgramItem> programs) {}

    public record ProgramItem(
            String programId,
            String name,
            String kind,
            String province,
            String city,
            String currency,
            JsonNode rules,
            String status,
            FiguresView figures,
            Map<String, Long> vouchers,
            Map<String, Long> housingGrants) {}

    // ---------------------------------------------------------------- summing

    static ProvinceBudget provinceBudget(
            Jurisdiction province, Instant asOf, List<ProgramFigures> programs, List<Liability> liabilities) {
        Map<ProgramId, CurrencyCode> currencyOf = new HashMap<>();
        Map<CurrencyCode, List<ProgramFigures>> byCurrency = new TreeMap<>();
        for (ProgramFigures p : programs) {
            currencyOf.put(p.program().programId(), p.program().currency());
            byCurrency
                    .computeIfAbsent(p.program().currency(), c -> new ArrayList<>())
                    .add(p);
        }
        Map<CurrencyCode, Map<Integer, Money>> dueByCurrency = new TreeMap<>();
        for (Liability l : liabilities) {
            CurrencyCode currency = currencyOf.get(l.programId());
            if (currency != null && l.amount().isPositive()) {
                dueByCurrency
                        .computeIfAbsent(currency, c -> new TreeMap<>())
                        .merge(l.fiscalYear(), l.amount(), Money::plus);
            }
        }
        List<CurrencyBudget> currencies = new ArrayList<>();
        byCurrency.forEach((currency, list) -> {
            BudgetFigures total = sum(currency, list);
            Map<String, BudgetFigures> cities = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
            Map<ProgramKind, BudgetFigures> kinds = new EnumMap<>(ProgramKind.class);
            for (ProgramFigures p : list) {
                cities.merge(p.program().city(), p.figures(), BudgetFigures::plus);
                kinds.merge(p.program().kind(), p.figures(), BudgetFigures::plus);
            }
            List<ForwardLiability> due = dueByCurrency.getOrDefault(currency, Map.of()).entrySet().stream()
                    .map(e -> new ForwardLiability(e.getKey(), text(e.getValue())))
                    .toList();
            currencies.add(new CurrencyBudget(
                    currency.name(),
                    text(total.appropriated()),
                    text(total.committed()),
                    text(total.disbursed()),
                    text(total.paid()),
                    text(total.payable()),
                    text(total.released()),
                    text(total.available()),
                    rate(total),
                    text(total.clawbackDue()),
                    cities.entrySet().stream()
                            .map(e -> cityBudget(e.getKey(), e.getValue()))
                            .toList(),
                    kinds.entrySet().stream()
                            .map(e -> kindBudget(e.getKey(), e.getValue()))
                            .toList(),
                    due));
        });
        return new ProvinceBudget(province.code(), asOf.toString(), currencies);
    }

    static Provinces provinces(List<ProgramFigures> programs) {
        Map<String, List<ProgramFigures>> byProvince = new TreeMap<>();
        for (ProgramFigures p : programs) {
            byProvince
                    .computeIfAbsent(p.program().province(), k -> new ArrayList<>())
                    .add(p);
        }
        List<ProvinceTotals> provinces = new ArrayList<>();
        byProvince.forEach((code, list) -> {
            Map<CurrencyCode, List<ProgramFigures>> byCurrency = new TreeMap<>();
            list.forEach(p -> byCurrency
                    .computeIfAbsent(p.program().currency(), c -> new ArrayList<>())
                    .add(p));
            List<CurrencyTotals> totals = byCurrency.entrySet().stream()
                    .map(e -> currencyTotals(e.getKey(), sum(e.getKey(), e.getValue())))
                    .toList();
            provinces.add(new ProvinceTotals(code, Jurisdiction.parse(code).displayName(), list.size(), totals));
        });
        return new Provinces(provinces);
    }

    static Programs programs(String province, List<ProgramSummary> summaries, Function<String, JsonNode> rules) {
        return new Programs(
                province,
                summaries.stream()
                        .map(s -> new ProgramItem(
                                s.program().programId().value(),
                                s.program().name(),
                                s.program().kind().name(),
                                s.program().province(),
                                s.program().city(),
                                s.program().currency().name(),
                                rules.apply(s.rulesJson()),
                                s.closed() ? "CLOSED" : "ACTIVE",
                                figuresView(s.figures()),
                                s.vouchers(),
                                s.housingGrants()))
                        .toList());
    }

    private static BudgetFigures sum(CurrencyCode currency, List<ProgramFigures> programs) {
        BudgetFigures total = BudgetFigures.zero(currency);
        for (ProgramFigures p : programs) {
            total = total.plus(p.figures());
        }
        return total;
    }

    private static CityBudget cityBudget(String city, BudgetFigures f) {
        return new CityBudget(
                city,
                text(f.appropriated()),
                text(f.committed()),
                text(f.disbursed()),
                text(f.paid()),
                text(f.payable()),
                text(f.released()),
                text(f.available()),
                rate(f),
                text(f.clawbackDue()));
    }

    private static KindBudget kindBudget(ProgramKind kind, BudgetFigures f) {
        return new KindBudget(
                kind.name(),
                text(f.appropriated()),
                text(f.committed()),
                text(f.disbursed()),
                text(f.paid()),
                text(f.payable()),
                text(f.released()),
                text(f.available()),
                rate(f),
                text(f.clawbackDue()));
    }

    private static CurrencyTotals currencyTotals(CurrencyCode currency, BudgetFigures f) {
        return new CurrencyTotals(
                currency.name(),
                text(f.appropriated()),
                text(f.committed()),
                text(f.disbursed()),
                text(f.paid()),
                text(f.payable()),
                text(f.released()),
                text(f.available()),
                rate(f));
    }

    private static FiguresView figuresView(BudgetFigures f) {
        return new FiguresView(
                f.currency().name(),
                text(f.appropriated()),
                text(f.committed()),
                text(f.disbursed()),
                text(f.paid()),
                text(f.payable()),
                text(f.released()),
                text(f.available()),
                rate(f));
    }

    private static String rate(BudgetFigures f) {
        return FiguresView.rate(f.disbursed(), f.appropriated());
    }

    private static String text(Money money) {
        return money.amount().toPlainString();
    }
}
