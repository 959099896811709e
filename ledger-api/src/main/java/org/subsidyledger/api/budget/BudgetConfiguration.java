package org.subsidyledger.api.budget;

import java.time.Clock;
import java.time.Duration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.store.LedgerJson;
import org.subsidyledger.api.store.ProcessorNodes;
import org.subsidyledger.api.store.ProcessorRequirement;
import org.subsidyledger.projections.budget.BudgetProjector;
import org.subsidyledger.projections.budget.BudgetReadModel;

/**
 * Wires the budget projection into Axon.
 *
 * <p>The processing group {@value BudgetProjector#PROCESSING_GROUP} is a pooled streaming processor
 * ({@code axon.eventhandling.processors.budget.mode=pooled} in application.yml, with its segment count and batch size):
 * <ul>
 *   <li>sequenced per aggregate, so all events of a program go to one segment and are applied in log order;</li>
 *   <li>handler errors propagate: the batch (read-model rows and token) rolls back and is retried, instead of Axon's
 *       default of logging the error and moving past the event, which would leave the figures wrong for good;</li>
 *   <li>each node claims at most its fair share of segments ({@link ProcessorNodes#fairShare()}), so nodes sharing the
 *       database split the work;</li>
 *   <li>once caught up, it looks for new events every {@code ledger.budget.wake-up-interval} (50 ms) instead of Axon's
 *       500 ms ({@link CoordinatorWakeUps});</li>
 *   <li>a segment that has only passed over other segments' events stores its position every
 *       {@code ledger.budget.idle-token-interval} (400 ms; Axon's default is 5 s), so the stored tokens, which the
 *       lag figures and a restart read, trail the log by no more than that;</li>
 *   <li>the processor's own timing (claim rounds, releases, claim extensions) runs on the wall clock. The ledger's
 *       event clock ({@code GenericEventMessage.clock}, Axon's default for processors) stamps events and may be set
 *       by hand in tests and by the demo loader; claims must not expire or stall because of it.</li>
 * </ul>
 * Startup fails if the group is not a pooled streaming processor.
 */
@Configuration(proxyBeanMethods = false)
public class BudgetConfiguration {

    @Bean
    public BudgetProjector budgetProjector(JdbcTemplate jdbcTemplate) {
        return new BudgetProjector(jdbcTemplate, LedgerJson.newMapper());
    }

    @Bean
    public BudgetReadModel budgetReadModel(JdbcTemplate jdbcTemplate) {
        return new BudgetReadModel(jdbcTemplate);
    }

    @Bean
    public CoordinatorWakeUps budgetWakeUps(@Value("${ledger.budget.wake-up-interval:50ms}") Duration interval) {
        return new CoordinatorWakeUps(interval);
    }

    @Bean
    public ConfigurerModule budgetProcessing(
            ProcessorNodes nodes,
            CoordinatorWakeUps wakeUps,
            @Value("${ledger.budget.idle-token-interval:400ms}") Duration idleTokenInterval) {
        String group = BudgetProjector.PROCESSING_GROUP;
        return configurer -> {
            configurer.eventProcessing(processing -> processing
                    .registerSequencingPolicy(group, c -> SequentialPerAggregatePolicy.instance())
                    .registerPooledStreamingEventProcessorConfiguration(
                            group,
                            (c, builder) -> builder.clock(Clock.systemUTC())
                                    .maxSegmentProvider(nodes.fairShare())
                                    .messageSource(wakeUps.over(c.eventStore()))
                                    .claimExtensionThreshold(idleTokenInterval.toMillis())));
            ProcessorRequirement.require(
                    configurer,
                    group,
                    PooledStreamingEventProcessor.class,
                    "a pooled streaming processor",
                    "pooled",
                    "the budget read model is built behind the log, in segments.");
        };
    }
}
