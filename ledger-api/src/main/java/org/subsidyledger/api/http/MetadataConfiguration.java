package org.subsidyledger.api.http;

import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Copies who-and-why from each command's metadata to every event it appends (SPEC §8 metadata: commandId, principal,
 * idempotencyKey, correlationId). Replaces Axon's default provider, whose own "correlationId" (the command message's
 * id) would overwrite the request's.
 */
@Configuration(proxyBeanMethods = false)
public class MetadataConfiguration {
    public static final String[] KEYS = {
        "commandId", "principal", "principalProvince", "idempotencyKey", "correlationId"
    };

    @Bean
    public CorrelationDataProvider ledgerMetadata() {
        return new SimpleCorrelationDataProvider(KEYS);
    }
}
