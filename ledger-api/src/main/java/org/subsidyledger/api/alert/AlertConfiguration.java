package org.subsidyledger.api.alert;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.store.LedgerJson;
import org.subsidyledger.api.store.ProcessorRequirement;
import org.subsidyledger.core.alert.AlertThresholds;
import org.subsidyledger.projections.alert.AlertProjector;
import org.subsidyledger.projections.alert.AlertReadModel;
import org.subsidyledger.projections.alert.SettledLog;
import org.subsidyledger.projections.alert.StoredEntries;

/**
 * Wires the alert projection into Axon.
 *
 * <p>The processing group {@value AlertProjector#PROCESSING_GROUP} is a tracking processor with one segment
 * ({@code axon.eventhandling.processors.alerts} in application.yml): the engine must see every entry in global order,
 * which one segment guarantees and which splitting would break. Its handler errors propagate, so a failed batch is
 * rolled back and retried rather than skipped (Axon's default logs and moves on, which would lose a raise or a clear);
 * startup fails if the group is not a tracking processor.
 *
 * <p>Thresholds: {@code ledger.alerts.<threshold>} for every province, {@code ledger.alerts.provinces.<CODE>.<threshold>}
 * for one (names in {@link org.subsidyledger.core.alert.Threshold}); a bad name or value stops the start.
 */
@Configuration(proxyBeanMethods = false)
public class AlertConfiguration {

    @Bean
    public AlertThresholds alertThresholds(Environment environment) {
        Binder binder = Binder.get(environment);
        Map<String, String> defaults =
                new LinkedHashMap<>(binder.bind("ledger.alerts", Bindable.mapOf(String.class, String.class))
                        .orElse(Map.of()));
        defaults.keySet().removeIf(key -> key.startsWith("provinces"));
        Map<String, Map<String, String>> provinces = new LinkedHashMap<>();
        binder.bind("ledger.alerts.provinces", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of())
                .forEach((key, value) -> {
                    int dot = key.indexOf('.');
                    if (dot < 0) {
                        throw new IllegalStateException("ledger.alerts.provinces." + key
                                + " names no threshold: use ledger.alerts.provinces.<CODE>.<threshold>.");
                    }
                    provinces
                            .computeIfAbsent(key.substring(0, dot), p -> new LinkedHashMap<>())
                            .put(key.substring(dot + 1), value);
                });
        return AlertThresholds.configured(defaults, provinces);
    }

    @Bean
    public AlertProjector alertProjector(
            JdbcTemplate jdbcTemplate,
            AlertThresholds thresholds,
            EventStorageEngine storageEngine,
            SettledLog settledLog) {
        return new AlertProjector(
                jdbcTemplate, LedgerJson.newMapper(), thresholds, storedEntries(storageEngine), settledLog);
    }

    @Bean
    public AlertReadModel alertReadModel(JdbcTemplate jdbcTemplate) {
        return new AlertReadModel(jdbcTemplate, LedgerJson.newMapper());
    }

    /**
     * The stored log read as a processor would (a tracking read in global order) from just after {@code after},
     * stopping at the first entry beyond {@code upTo}. Payloads of types this node does not know arrive as Axon's
     * unknown-type placeholder, which the engine takes as a tick of time.
     */
    static StoredEntries storedEntries(EventStorageEngine storageEngine) {
        return (after, upTo, entry) -> {
            TrackingToken from = after < 0 ? null : GapAwareTrackingToken.newInstance(after, Set.of());
            try (Stream<? extends TrackedEventMessage<?>> events = storageEngine.readEvents(from, false)) {
                events.takeWhile(e -> AlertProjector.globalIndex(e.trackingToken()) <= upTo)
                        .forEach(e -> entry.accept(
                                AlertProjector.globalIndex(e.trackingToken()), e.getTimestamp(), e.getPayload()));
            }
        };
    }

    @Bean
    public ConfigurerModule alertProcessing() {
        String group = AlertProjector.PROCESSING_GROUP;
        return configurer -> ProcessorRequirement.require(
                configurer,
                group,
                TrackingEventProcessor.class,
                "a tracking processor with one segment",
                "tracking",
                "alerts are evaluated over the whole log in global order.");
    }
}
