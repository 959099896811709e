package org.subsidyledger.api.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.registry.Provider;
import org.subsidyledger.core.registry.RegisteredModel;

/**
 * Wires the durable event store and the ledger index into Axon's Spring Boot configuration.
 *
 * <ul>
 *   <li><b>Event store</b>: the schema of Axon's JDBC engine on the application's {@code DataSource}, with the
 *       snake_case tables Flyway creates ({@code db/migration/{vendor}}) and byte-array payloads (bytea / VARBINARY,
 *       never large objects); the engine itself, wrapped by the hash chain, is wired in {@code audit}
 *       ({@code ChainedEventStoreConfiguration}). Appends join the Spring transaction the command bus opens for each
 *       command.</li>
 *   <li><b>Serialization</b>: one Jackson serializer for events, messages, snapshots and tokens, built on
 *       {@link LedgerJson} rather than on Boot's HTTP mapper; snapshot revisions come from {@link SnapshotRevisions}.</li>
 *   <li><b>Aggregates</b>: {@code Program}, {@code Provider} and {@code RegisteredModel} are registered here, as
 *       {@link AggregateConfigurer} beans, so the domain needs no Spring annotation; programs are snapshotted by the
 *       {@code programSnapshotTrigger} every {@code ledger.store.program-snapshot-threshold} events, or a share
 *       {@code ledger.store.program-snapshot-percent} of a large program's stream ({@link GrowingSnapshotTrigger}), on the
 *       {@link SnapshotThread} rather than on the request thread.</li>
 *   <li><b>Index</b>: {@link JdbcLedgerIndex} is the {@code LedgerIndex} bean Axon injects into command handlers;
 *       {@link LedgerIndexProjector} updates it from a subscribing processor whose errors propagate, so index rows
 *       and events commit or roll back together.</li>
 *   <li><b>Time</b>: the {@link Clock} bean (UTC system clock unless one is supplied) becomes Axon's event clock,
 *       which the domain reads as "now".</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StoreProperties.class)
public class StoreConfiguration {

    // ---------------------------------------------------------------- time

    @Bean
    @ConditionalOnMissingBean(Clock.class)
    public Clock clock() {
        return Clock.systemUTC();
    }

    /** Installs the clock as Axon's event clock (read by {@code LedgerClock}); restores the previous one on close. */
    @Bean
    public EventClock eventClock(Clock clock) {
        return new EventClock(clock);
    }

    // ---------------------------------------------------------------- serialization

    /** Revisions: {@code @Revision} of events; the computed shape of snapshotted aggregates. */
    @Bean
    public SnapshotRevisions revisionResolver() {
        return new SnapshotRevisions(Set.of(Program.class));
    }

    /**
     * The general serializer. With {@code axon.serializer.events/messages=jackson} Axon uses this same instance for
     * events and messages; the JDBC engine uses it for snapshots too.
     */
    @Bean
    @Primary
    public Serializer ledgerSerializer(SnapshotRevisions revisionResolver) {
        return JacksonSerializer.builder()
                .objectMapper(LedgerJson.newMapper())
                .revisionResolver(revisionResolver)
                .build();
    }

    // ---------------------------------------------------------------- event store

    @Bean
    public EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    /** For the {@code JdbcTokenStore} of tracking and pooled streaming processors ({@link ProcessingConfiguration}). */
    @Bean
    public TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    /** Recognises unique-key violations of PostgreSQL and H2, so append races become ConcurrencyExceptions. */
    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new DuplicateKeyResolver();
    }

    /**
     * Bounds the wait for an aggregate's lock to {@code ledger.store.lock-wait} (Axon's default waits up to a minute)
     * on every aggregate, so a command queued behind others on a hot program gives up in time and is answered
     * 503 OVERLOADED ({@link BoundedAggregateLocks}).
     */
    @Bean
    public static BoundedAggregateLocks boundedAggregateLocks(
            @Value("${ledger.store.lock-wait:2s}") Duration lockWait) {
        return new BoundedAggregateLocks(lockWait);
    }

    // ---------------------------------------------------------------- aggregates

    /**
     * Takes snapshots on one background thread, after the command that triggered them has committed and been
     * answered (Axon's default takes them on the committing request thread, which then rebuilds and serializes the
     * whole program before its answer is sent). A snapshot runs in its own transaction; one program has at most one
     * snapshot queued or running (Axon's snapshotter drops a second request while one is in progress), so the queue
     * never holds more tasks than there are programs. A snapshot cut short by a shutdown rolls back, and the next load
     * reads the previous one plus the events after it.
     */
    @Bean
    public SnapshotThread snapshotThread() {
        return new SnapshotThread();
    }

    @Bean
    public SpringAggregateSnapshotter aggregateSnapshotter(
            org.axonframework.config.Configuration axon,
            HandlerDefinition handlerDefinition,
            ParameterResolverFactory parameterResolverFactory,
            EventStore eventStore,
            TransactionManager transactionManager,
            SnapshotterSpanFactory spanFactory,
            SnapshotThread snapshotThread) {
        return SpringAggregateSnapshotter.builder()
                .repositoryProvider(axon::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spanFactory)
                .executor(snapshotThread.executor())
                .build();
    }

    @Bean
    public SnapshotTriggerDefinition programSnapshotTrigger(Snapshotter snapshotter, StoreProperties properties) {
        return new GrowingSnapshotTrigger(
                snapshotter, properties.programSnapshotThreshold(), properties.programSnapshotPercent());
    }

    /**
     * Creates program instances, for the repository and for the snapshotter: Axon's Spring snapshotter finds the factory
     * of a snapshotted aggregate among the beans (an {@code @Aggregate} class would have one registered implicitly).
     */
    @Bean
    public AggregateFactory<Program> programAggregateFactory(
            ParameterResolverFactory parameterResolverFactory, HandlerDefinition handlerDefinition) {
        return new GenericAggregateFactory<>(AnnotatedAggregateMetaModelFactory.inspectAggregate(
                Program.class, parameterResolverFactory, handlerDefinition));
    }

    /**
     * The program aggregate, snapshotted. The trigger is looked up when Axon builds the repository (not when this bean
     * is created): the snapshotter needs the Axon configuration, which needs this module first. Snapshots are read
     * only when their revision is the program's current shape ({@link SnapshotRevisions}).
     */
    @Bean
    public AggregateConfigurer<Program> programAggregate(
            AggregateFactory<Program> programAggregateFactory,
            @Qualifier("programSnapshotTrigger") ObjectProvider<SnapshotTriggerDefinition> programSnapshotTrigger,
            SnapshotRevisions revisions,
            StoreProperties properties,
            DecideInTime decideInTime) {
        return cached(
                AggregateConfigurer.defaultConfiguration(Program.class)
                        .configureAggregateFactory(c -> programAggregateFactory)
                        .configureSnapshotTrigger(c -> programSnapshotTrigger.getObject())
                        .configureSnapshotFilter(c -> revisions.filter()),
                properties,
                decideInTime);
    }

    @Bean
    public AggregateConfigurer<Provider> providerAggregate(StoreProperties properties, DecideInTime decideInTime) {
        return cached(AggregateConfigurer.defaultConfiguration(Provider.class), properties, decideInTime);
    }

    @Bean
    public AggregateConfigurer<RegisteredModel> registeredModelAggregate(
            StoreProperties properties, DecideInTime decideInTime) {
        return cached(AggregateConfigurer.defaultConfiguration(RegisteredModel.class), properties, decideInTime);
    }

    /**
     * Keeps aggregates in memory between commands, each load checked against the store's last sequence number
     * ({@link CheckedAggregateCache}), unless {@code ledger.store.aggregate-cache-size} is 0.
     */
    private static <A> AggregateConfigurer<A> cached(
            AggregateConfigurer<A> aggregate, StoreProperties properties, DecideInTime decideInTime) {
        if (properties.aggregateCacheSize() > 0) {
            aggregate.configureCache(c -> decideInTime.register(
                    aggregate.aggregateType(),
                    new CheckedAggregateCache(c::eventStore, properties.aggregateCacheSize())));
        }
        return aggregate;
    }

    /** Commands out of time once their aggregate is loaded: refused before deciding, the loaded aggregate kept. */
    @Bean
    public DecideInTime decideInTime() {
        return new DecideInTime();
    }

    // ---------------------------------------------------------------- ledger index

    @Bean
    public JdbcLedgerIndex ledgerIndex(
            JdbcTemplate jdbcTemplate, @Value("${ledger.store.lock-wait:2s}") Duration lockWait) {
        return new JdbcLedgerIndex(jdbcTemplate, new GroupLocks(jdbcTemplate, lockWait));
    }

    @Bean
    public LedgerIndexProjector ledgerIndexProjector(JdbcTemplate jdbcTemplate, JdbcLedgerIndex ledgerIndex) {
        return new LedgerIndexProjector(jdbcTemplate, ledgerIndex);
    }

    /**
     * The index processor must be subscribing (running inside the appending unit of work and transaction) and must let
     * every error propagate: Axon's default for handler errors is to log them and go on, which would commit events whose
     * index rows are missing. The mode comes from {@code axon.eventhandling.processors.ledger-index.mode=subscribing}
     * in application.yml (Axon refuses a second registration of the same processor); because the index's correctness
     * depends on it, startup fails if that setting is lost or changed.
     */
    @Bean
    public ConfigurerModule ledgerIndexProcessing() {
        return configurer -> ProcessorRequirement.require(
                configurer,
                LedgerIndexProjector.PROCESSING_GROUP,
                SubscribingEventProcessor.class,
                "subscribing",
                "subscribing",
                "the ledger index must be written in the transaction that appends the events.");
    }
}
