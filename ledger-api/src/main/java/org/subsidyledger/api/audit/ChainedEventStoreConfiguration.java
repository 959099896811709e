package org.subsidyledger.api.audit;

import java.time.Duration;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.store.StoreProperties;

/**
 * The event store the ledger appends to: Axon's JDBC engine on the tables and settings of {@code store}
 * ({@code StoreConfiguration}), wrapped by the hash chain, and the lock that orders appends and seals. Wired here,
 * beside the chain, so that {@code store} knows nothing of {@code audit}.
 */
@Configuration(proxyBeanMethods = false)
public class ChainedEventStoreConfiguration {

    /**
     * In-JVM exclusion between appends and seals ({@link JdbcSealWriter}), each side waited for at most
     * {@code ledger.store.lock-wait}.
     */
    @Bean
    public AppendLock appendLock(@Value("${ledger.store.lock-wait:2s}") Duration lockWait) {
        return new AppendLock(lockWait);
    }

    /** The JDBC engine, hash-chaining every appended event ({@link HashChainingStorageEngine}, docs/AUDIT.md). */
    @Bean
    public EventStorageEngine eventStorageEngine(
            Serializer serializer,
            @Qualifier("eventSerializer") Serializer eventSerializer,
            PersistenceExceptionResolver persistenceExceptionResolver,
            org.axonframework.config.Configuration configuration,
            ConnectionProvider connectionProvider,
            TransactionManager transactionManager,
            EventSchema eventSchema,
            StoreProperties properties,
            JdbcTemplate jdbcTemplate,
            AppendLock appendLock) {
        JdbcEventStorageEngine engine = JdbcEventStorageEngine.builder()
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .dataType(byte[].class)
                .eventSerializer(eventSerializer)
                .snapshotSerializer(serializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .batchSize(properties.batchSize())
                .gapTimeout(Math.toIntExact(properties.gapTimeout().toMillis()))
                .maxGapOffset(properties.maxGapOffset())
                .gapCleaningThreshold(properties.gapCleaningThreshold())
                .build();
        return new HashChainingStorageEngine(
                engine, eventSerializer, jdbcTemplate, appendLock, properties.appendWindow());
    }
}
