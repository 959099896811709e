package org.subsidyledger.api.store;

import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.lifecycle.Phase;

/**
 * What a processor the ledger's correctness depends on must be: its handler errors propagate (Axon's default logs
 * them and moves on, which would lose an index row, a read-model update or a Kafka record), and it runs in the mode its
 * projection needs, set in application.yml ({@code axon.eventhandling.processors.<group>.mode}; Axon refuses a second
 * registration of the same processor). Start-up fails, saying why, if that setting is lost or changed.
 */
public final class ProcessorRequirement {
    private ProcessorRequirement() {}

    /**
     * @param kind the processor class the group must run as
     * @param what how the mode reads in the message, e.g. "subscribing"
     * @param mode the value of {@code axon.eventhandling.processors.<group>.mode}
     * @param why  what would go wrong otherwise
     */
    public static void require(
            Configurer configurer,
            String group,
            Class<? extends EventProcessor> kind,
            String what,
            String mode,
            String why) {
        configurer.eventProcessing(processing ->
                processing.registerListenerInvocationErrorHandler(group, c -> PropagatingErrorHandler.instance()));
        configurer.onInitialize(config -> config.onStart(Phase.INBOUND_EVENT_CONNECTORS + 1, () -> {
            boolean right = config.eventProcessingConfiguration()
                    .eventProcessorByProcessingGroup(group)
                    .filter(kind::isInstance)
                    .isPresent();
            if (!right) {
                throw new IllegalStateException("The event processor of processing group '" + group + "' must be "
                        + what + " (set axon.eventhandling.processors." + group + ".mode=" + mode + "): " + why);
            }
        }));
    }
}
