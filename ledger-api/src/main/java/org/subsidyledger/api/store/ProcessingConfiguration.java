package org.subsidyledger.api.store;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How nodes share the work of streaming (tracking) processors: the token store their claims go through, and the
 * registry of live nodes that sets each node's fair share of segments ({@link ProcessorNodes}).
 */
@Configuration(proxyBeanMethods = false)
public class ProcessingConfiguration {

    /**
     * {@code ledger.processing.node-id} names this node in token claims; by default the JVM's name plus a random
     * suffix. Axon's default (the JVM's name alone) would give two ledgers in one JVM the same identity, and each
     * would then believe it owned the other's segments.
     */
    @Bean
    public ProcessorNodes processorNodes(
            JdbcTemplate jdbcTemplate,
            @Value("${ledger.processing.node-id:}") String nodeId,
            @Value("${ledger.processing.node-timeout:10s}") Duration nodeTimeout) {
        String id = nodeId.isBlank()
                ? ManagementFactory.getRuntimeMXBean().getName() + "-"
                        + UUID.randomUUID().toString().substring(0, 8)
                : nodeId;
        return new ProcessorNodes(jdbcTemplate, id, nodeTimeout);
    }

    /** Axon's JDBC token store on Flyway's {@code token_entry}, claiming as this node. */
    @Bean
    public TokenStore tokenStore(
            ConnectionProvider connectionProvider,
            Serializer serializer,
            TokenSchema tokenSchema,
            ProcessorNodes nodes,
            @Value("${axon.eventhandling.tokenstore.claim-timeout:10s}") Duration claimTimeout) {
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .schema(tokenSchema)
                .serializer(serializer)
                .claimTimeout(claimTimeout)
                .nodeId(nodes.nodeId())
                .build();
    }
}
