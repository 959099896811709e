package org.subsidyledger.core.alert;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * The thresholds of SPEC §6: one set for every province, and per-province overrides. They are configuration
 * ({@code ledger.alerts.<name>}, {@code ledger.alerts.provinces.<CODE>.<name>}); a change of them changes the alert
 * history a rebuild produces, so the {@code alerts} projection is rebuilt after a change.
 */
public record AlertThresholds(Limits defaults, Map<String, Limits> provinces) {

    public AlertThresholds {
        Objects.requireNonNull(defaults, "defaults");
        provinces = Map.copyOf(provinces);
    }

    /** SPEC §6's defaults, no overrides. */
    public static AlertThresholds spec() {
        return new AlertThresholds(Limits.SPEC, Map.of());
    }

    /** The limits that apply to a province. */
    public Limits forProvince(String province) {
        return provinces.getOrDefault(province, defaults);
    }

    /**
     * Thresholds from configuration: {@code defaults} by threshold name (kebab or camel case), then each province's
     * values on top of those.
     *
     * @throws LedgerRejection {@code VALIDATION_FAILED} for an unknown name or a value that is not a positive decimal
     */
    public static AlertThresholds configured(Map<String, String> defaults, Map<String, Map<String, String>> provinces) {
        Limits base = Limits.SPEC.with(defaults);
        Map<String, Limits> overrides = new TreeMap<>();
        provinces.forEach((province, values) -> overrides.put(province.toUpperCase(Locale.ROOT), base.with(values)));
        return new AlertThresholds(base, overrides);
    }

    /** One value for each {@link Threshold}. */
    public static final class Limits {
        public static final Limits SPEC = new Limits(defaultValues());

        private final Map<Threshold, BigDecimal> values;

        private Limits(Map<Threshold, BigDecimal> values) {
            this.values = Collections.unmodifiableMap(new EnumMap<>(values));
        }

        private static Map<Threshold, BigDecimal> defaultValues() {
            Map<Threshold, BigDecimal> values = new EnumMap<>(Threshold.class);
            for (Threshold t : Threshold.values()) {
                values.put(t, t.defaultValue());
            }
            return values;
        }

        public BigDecimal value(Threshold threshold) {
            return values.get(threshold);
        }

        /** A whole-number threshold (days, counts). */
        public int count(Threshold threshold) {
            return values.get(threshold).intValueExact();
        }

        /** These limits with one threshold changed. */
        public Limits with(Threshold threshold, String value) {
            BigDecimal d;
            try {
                d = new BigDecimal(value.trim());
            } catch (RuntimeException e) {
                d = null;
            }
            if (d == null
                    || d.signum() <= 0
                    || (threshold.whole() && d.stripTrailingZeros().scale() > 0)) {
                throw new LedgerRejection(
                        RejectionCode.VALIDATION_FAILED,
                        "ledger.alerts." + threshold.propertyName()
                                + " must be a positive " + (threshold.whole() ? "whole number" : "decimal") + ", not '"
                                + value + "'.");
            }
            Map<Threshold, BigDecimal> changed = new EnumMap<>(values);
            changed.put(threshold, threshold.whole() ? new BigDecimal(d.intValueExact()) : d);
            return new Limits(changed);
        }

        /** These limits with the thresholds named in {@code byName} changed (kebab or camel case names). */
        public Limits with(Map<String, String> byName) {
            Limits limits = this;
            for (Map.Entry<String, String> e : new TreeMap<>(byName).entrySet()) {
                String key = e.getKey().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
                Threshold threshold = Arrays.stream(Threshold.values())
                        .filter(t -> t.propertyName().equals(key))
                        .findFirst()
                        .orElseThrow(() -> new LedgerRejection(
                                RejectionCode.VALIDATION_FAILED,
                                "ledger.alerts: unknown threshold '" + e.getKey() + "'."));
                limits = limits.with(threshold, e.getValue());
            }
            return limits;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Limits other && values.equals(other.values);
        }

        @Override
        public int hashCode() {
            return values.hashCode();
        }

        @Override
        public String toString() {
            return values.toString();
        }
    }
}
