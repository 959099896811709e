package org.subsidyledger.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** Settings for a secured cluster pass through to the producer; the ones delivery depends on cannot be overridden. */
class KafkaClientPropertiesTest {

    @Test
    void securedClusterSettingsPassThroughButDeliverySettingsStay() {
        Map<String, Object> base = KafkaConfiguration.producerConfig(
                "broker:9093", new LedgerKafkaProperties.Producer(null, null, null, null));
        Map<String, Object> config = KafkaConfiguration.withClientProperties(
                base,
                Map.of(
                        "security.protocol",
                        "SASL_SSL",
                        "sasl.mechanism",
                        "SCRAM-SHA-512",
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                        "ssl.truststore.location",
                        "/etc/ledger/truststore.p12",
                        ProducerConfig.ACKS_CONFIG,
                        "0",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        "false"));
        assertThat(config)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/ledger/truststore.p12")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9093");
    }
}
