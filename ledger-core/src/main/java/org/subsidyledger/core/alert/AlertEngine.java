package org.subsidyledger.core.alert;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccredited;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.voucher.VoucherEvent.Redeemed;

/**
 * The fiscal-sustainability alerts of SPEC §6, computed from the log alone. Feed it every log entry in global order
 * ({@link #apply}); each answer is the list of transitions that entry caused.
 *
 * <p>"Now" is the entry's event time — the largest seen so far, so a slightly out-of-order timestamp (two nodes
 * appending at once) never moves time back. Any payload counts: the core events change the facts, anything else (a
 * seal, an event type this engine does not know) only advances time, which is how time-based rules raise on the day
 * their condition starts to hold even when no program event arrives (SPEC §11). At every entry the time-based rules
 * are evaluated for every scope, the others for the program and province the entry touched; rules run in a fixed
 * order over scopes in a fixed order, so the same log always gives the same transitions in the same order.
 *
 * <p>An alert id is derived from (code, scope, raisedAt): the name-based UUID of {@code code|scope|raisedAt}. Should
 * that text repeat (an alert raised, cleared and raised again at one instant, which only hand-set clocks produce), the
 * repetition's number is appended ({@code |2}, {@code |3}), so ids stay unique and are still the same on every rebuild.
 *
 * <p>Not thread-safe; one engine per fold.
 */
public final class AlertEngine {
    private final AlertThresholds thresholds;
    private final List<AlertPolicy<ProgramFacts>> programSettings = List.of(
            new CommitmentHigh.Program(),
            new ExhaustionForecast(),
            new LowRedemption(),
            new LapseRate(),
            new ForwardLiability(),
            new PaymentArrears(),
            new ProviderConcentration());
    private final List<AlertPolicy<ProvinceFacts>> provinceRules =
            List.of(new CommitmentHigh.Province(), new EscalatingSupport(), new BeneficiaryConcentration());

    private final Map<ProgramId, ProgramFacts> programs = new TreeMap<>();
    private final Map<String, ProvinceFacts> provinces = new TreeMap<>();
    private final Map<ProviderId, String> providerGroups = new HashMap<>();
    private final Map<String, Alert> open = new HashMap<>();
    private final Map<String, Integer> idTexts = new HashMap<>();
    private Instant now;
    private long lastIndex = -1;

    public AlertEngine(AlertThresholds thresholds) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    }

    /**
     * Folds one log entry and evaluates the rules at its time.
     *
     * @param globalIndex the entry's global index (ascending: the projector folds in index order, live as on a rebuild)
     * @param eventTime   the entry's event time
     * @param payload     the entry's payload; only the core events are read, anything else is a tick of time
     * @return the raises and clears this entry caused, in order
     */
    public List<AlertTransition> apply(long globalIndex, Instant eventTime, Object payload) {
        now = now == null || eventTime.isAfter(now) ? eventTime : now;
        lastIndex = Math.max(lastIndex, globalIndex);
        ProgramFacts touched = fold(payload);
        ProvinceFacts touchedProvince = touched == null ? null : provinces.get(provinceKey(touched));
        for (ProgramFacts p : programs.values()) {
            p.advanceTo(now);
        }
        Transitions transitions = new Transitions(globalIndex);
        for (AlertPolicy<ProgramFacts> rule : programSettings) {
            for (ProgramFacts p : programs.values()) {
                if (rule.timeBased() || p == touched) {
                    reconcile(rule.code(), p.scope, rule.evaluate(p, now), transitions);
                }
            }
        }
        for (AlertPolicy<ProvinceFacts> rule : provinceRules) {
            for (ProvinceFacts p : provinces.values()) {
                if (rule.timeBased() || p == touchedProvince) {
                    reconcile(rule.code(), p.scope, rule.evaluate(p, now), transitions);
                }
            }
        }
        return transitions.list;
    }

    /** The highest global index folded, −1 before the first. */
    public long lastIndex() {
        return lastIndex;
    }

    /** The alerts open now, oldest first. */
    public List<Alert> openAlerts() {
        return open.values().stream()
                .sorted(Comparator.comparing(Alert::raisedAt)
                        .thenComparingLong(Alert::raisedIndex)
                        .thenComparing(Alert::alertId))
                .toList();
    }

    private ProgramFacts fold(Object payload) {
        if (payload instanceof ProgramLaunched launched) {
            AlertThresholds.Limits limits = thresholds.forProvince(launched.province());
            ProgramFacts facts =
                    programs.computeIfAbsent(launched.programId(), id -> new ProgramFacts(launched, limits));
            ProvinceFacts province = provinces.computeIfAbsent(
                    provinceKey(facts), k -> new ProvinceFacts(launched.province(), launched.currency(), limits));
            if (!province.programs.contains(facts)) {
                province.programs.add(facts);
            }
            return facts;
        }
        if (payload instanceof ProgramStreamEvent event) {
            ProgramFacts facts = programs.get(event.programId());
            if (facts == null) {
                return null; // a program whose launch this engine never saw has no scope
            }
            facts.apply(event, now, this::providerGroup);
            provinces.get(provinceKey(facts)).apply(event);
            return facts;
        }
        if (payload instanceof ProviderAccredited accredited && accredited.group() != null) {
            providerGroups.put(accredited.providerId(), accredited.group());
        }
        return null;
    }

    private String providerGroup(Redeemed redeemed) {
        if (redeemed.providerGroup() != null) {
            return redeemed.providerGroup();
        }
        return providerGroups.getOrDefault(
                redeemed.providerId(), redeemed.providerId().value());
    }

    private static String provinceKey(ProgramFacts facts) {
        return facts.province + "|" + facts.scope.currency();
    }

    private void reconcile(
            AlertCode code, AlertScope scope, Optional<AlertPolicy.Finding> finding, Transitions transitions) {
        String key = code + "|" + scope.key();
        Alert current = open.get(key);
        if (current != null && (finding.isEmpty() || finding.get().level() != current.level())) {
            open.remove(key);
            transitions.add(AlertTransition.Kind.CLEARED, current.clearedAt(now, transitions.globalIndex));
        }
        if (finding.isPresent() && (current == null || finding.get().level() != current.level())) {
            AlertPolicy.Finding f = finding.get();
            Alert raised = new Alert(
                    alertId(code, scope),
                    code,
                    f.level(),
                    scope,
                    now,
                    transitions.globalIndex,
                    null,
                    null,
                    f.figures().asMap(),
                    f.message());
            open.put(key, raised);
            transitions.add(AlertTransition.Kind.RAISED, raised);
        }
    }

    private String alertId(AlertCode code, AlertScope scope) {
        String text = code + "|" + scope.key() + "|" + now;
        int seen = idTexts.merge(text, 1, Integer::sum);
        String unique = seen == 1 ? text : text + "|" + seen;
        return UUID.nameUUIDFromBytes(unique.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private final class Transitions {
        final long globalIndex;
        final List<AlertTransition> list = new ArrayList<>();

        Transitions(long globalIndex) {
            this.globalIndex = globalIndex;
        }

        void add(AlertTransition.Kind kind, Alert alert) {
            list.add(new AlertTransition(kind, alert, globalIndex, list.size(), now));
        }
    }
}
