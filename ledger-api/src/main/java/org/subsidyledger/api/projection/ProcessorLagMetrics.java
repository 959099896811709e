package org.subsidyledger.api.projection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code ledger.processor.lag{processor=…}}: for each streaming processor, the events of the log beyond its position
 * (read from the token store, so every node reports the same figure). Registered once the processors exist.
 */
@Component
public class ProcessorLagMetrics {
    private final ObjectProvider<MeterRegistry> registry;
    private final EventProcessingConfiguration processing;
    private final Projections projections;

    public ProcessorLagMetrics(
            ObjectProvider<MeterRegistry> registry, EventProcessingConfiguration processing, Projections projections) {
        this.registry = registry;
        this.processing = processing;
        this.projections = projections;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void register() {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters == null) {
            return;
        }
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor) {
                Gauge.builder("ledger.processor.lag", projections, p -> {
                            Long lag = p.lag(name);
                            return lag == null ? Double.NaN : lag;
                        })
                        .description("Events of the log beyond the processor's position")
                        .baseUnit("events")
                        .tag("processor", name)
                        .register(meters);
            }
        });
    }
}
