package org.subsidyledger.api.audit;

import java.time.Clock;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.core.alert.AlertThresholds;

/** Replay-and-compare's wiring. */
@Configuration(proxyBeanMethods = false)
public class ReplayConfiguration {

    @Bean
    public ProjectionReplay projectionReplay(
            EventStorageEngine storageEngine,
            JdbcTemplate jdbcTemplate,
            Serializer serializer,
            EventProcessingConfiguration processing,
            AlertThresholds thresholds,
            Clock clock,
            SettledAppends settledAppends) {
        return new ProjectionReplay(
                storageEngine, jdbcTemplate, serializer, processing, thresholds, clock, settledAppends);
    }
}
