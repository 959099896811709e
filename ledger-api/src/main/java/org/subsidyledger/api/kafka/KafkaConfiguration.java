package org.subsidyledger.api.kafka;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.subsidyledger.api.store.ProcessorPosition;
import org.subsidyledger.api.store.ProcessorRequirement;
import org.subsidyledger.projections.kafka.AlertKafkaPublisher;
import org.subsidyledger.projections.kafka.KafkaEventPublisher;
import org.subsidyledger.projections.kafka.LedgerCloudEvents;
import org.subsidyledger.projections.kafka.StoredIndexes;

/**
 * Wires the Kafka publication of SPEC §7.
 *
 * <ul>
 *   <li><b>Cluster</b>: {@code ledger.kafka.bootstrap-servers} (filled from {@code spring.kafka.bootstrap-servers}).
 *       When it is empty — the embedded default — the ledger starts its own {@link InProcessKafkaBroker} on
 *       127.0.0.1:9092 (controller 9093, data in ./data/kafka) with both topics created; with a cluster configured it
 *       starts none. The {@code production} profile refuses to run without a cluster.</li>
 *   <li><b>Publisher</b>: {@link KafkaEventPublisher} in the tracking processor {@code kafka-publisher}
 *       (application.yml sets mode and batch size) with an idempotent {@code acks=all} producer writing CloudEvents in
 *       structured JSON mode. Its listener errors propagate, so a failed batch is retried rather than skipped; startup
 *       fails if the processor is not a streaming (token-tracking) one.</li>
 *   <li><b>Lag</b>: {@link ProcessorPosition} as the gauge {@code ledger.kafka.publication.lag} and in the health
 *       component {@code kafka}.</li>
 * </ul>
 * {@code ledger.kafka.enabled=false} turns all of it off (the tests do so unless they test Kafka).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LedgerKafkaProperties.class)
@ConditionalOnProperty(prefix = "ledger.kafka", name = "enabled", havingValue = "true", matchIfMissing = true)
public class KafkaConfiguration {

    @Bean(initMethod = "start", destroyMethod = "stop")
    @Conditional(NoExternalCluster.class)
    public InProcessKafkaBroker inProcessKafkaBroker(LedgerKafkaProperties properties, Environment environment) {
        if (environment.acceptsProfiles(Profiles.of("production"))) {
            throw new IllegalStateException("The production profile publishes to an external Kafka cluster: set"
                    + " spring.kafka.bootstrap-servers (or ledger.kafka.bootstrap-servers).");
        }
        LedgerKafkaProperties.Broker broker = properties.broker();
        return new InProcessKafkaBroker(
                broker.host(),
                broker.port(),
                broker.controllerPort(),
                broker.dataDir(),
                List.of(properties.eventsTopic(), properties.alertsTopic()),
                properties.partitions());
    }

    @Bean(destroyMethod = "close")
    public KafkaEventPublisher kafkaEventPublisher(
            LedgerKafkaProperties properties,
            Optional<InProcessKafkaBroker> inProcessBroker,
            @Qualifier("eventSerializer") Serializer eventSerializer,
            JdbcTemplate jdbcTemplate,
            Environment environment) {
        // Operational time, not the event clock: health compares it with the wall clock.
        return new KafkaEventPublisher(
                producers(properties, inProcessBroker, environment),
                properties.eventsTopic(),
                new LedgerCloudEvents(eventSerializer),
                storedIndexes(jdbcTemplate),
                properties.producer().batchTimeout(),
                Clock.systemUTC());
    }

    /**
     * The stored global index of each event of a batch, in one query on the unique {@code event_identifier} column.
     * It runs in the publisher's unit of work, on its transaction's connection, and reads only committed events (the
     * processor reads nothing else).
     */
    static StoredIndexes storedIndexes(JdbcTemplate jdbcTemplate) {
        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(jdbcTemplate);
        return ids -> {
            Map<String, Long> indexes = new HashMap<>();
            named.query(
                    "SELECT event_identifier, global_index FROM domain_event_entry"
                            + " WHERE event_identifier IN (:ids)",
                    Map.of("ids", ids),
                    row -> {
                        indexes.put(row.getString(1), row.getLong(2));
                    });
            return indexes;
        };
    }

    /** Fiscal-alert transitions, from the alert projection's outbox to {@code subsidy.ledger.alerts}. */
    @Bean(destroyMethod = "close")
    public AlertKafkaPublisher alertKafkaPublisher(
            LedgerKafkaProperties properties,
            Optional<InProcessKafkaBroker> inProcessBroker,
            JdbcTemplate jdbcTemplate,
            PlatformTransactionManager transactionManager,
            Environment environment) {
        return new AlertKafkaPublisher(
                jdbcTemplate,
                new TransactionTemplate(transactionManager),
                producers(properties, inProcessBroker, environment),
                properties.alertsTopic(),
                properties.producer().batchTimeout(),
                100,
                Clock.systemUTC());
    }

    /** Drains the alert outbox every {@code ledger.kafka.alerts-interval}; a failed round is retried by the next. */
    @Bean
    public AlertPublication alertPublication(AlertKafkaPublisher publisher) {
        return new AlertPublication(publisher);
    }

    /** Producers for both topics: the delivery settings of {@link #producerConfig} plus the client's own settings. */
    private static Supplier<Producer<String, CloudEvent>> producers(
            LedgerKafkaProperties properties, Optional<InProcessKafkaBroker> inProcessBroker, Environment environment) {
        String bootstrapServers =
                inProcessBroker.map(InProcessKafkaBroker::bootstrapServers).orElse(properties.bootstrapServers());
        Map<String, Object> config = withClientProperties(
                producerConfig(bootstrapServers, properties.producer()),
                Binder.get(environment)
                        .bind("spring.kafka.properties", Bindable.mapOf(String.class, String.class))
                        .orElse(Map.of()));
        return () -> new KafkaProducer<>(config);
    }

    static Map<String, Object> producerConfig(String bootstrapServers, LedgerKafkaProperties.Producer producer) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "subsidy-ledger-publisher");
        // Idempotent, all in-sync replicas: a retried send never duplicates or reorders within the producer session.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(producer.requestTimeout()));
        // The producer never gives a record up by itself: an expired record could let a later one of its partition be
        // written first (the epoch is bumped). The publisher gives up a whole batch instead, and drops the producer.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis(producer.maxBlock()));
        config.put(ProducerConfig.LINGER_MS_CONFIG, millis(producer.linger()));
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class);
        config.put(CloudEventSerializer.ENCODING_CONFIG, Encoding.STRUCTURED);
        // The format itself rather than its name: no ServiceLoader lookup, which a repackaged jar may not see.
        config.put(CloudEventSerializer.EVENT_FORMAT_CONFIG, new JsonFormat());
        return Map.copyOf(config);
    }

    /**
     * Client settings passed through from {@code spring.kafka.properties.*} — for a secured cluster, e.g.
     * {@code security.protocol=SASL_SSL}, {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.location}.
     * The settings that delivery depends on (idempotence, acks, retries, timeouts, serializers) cannot be overridden.
     */
    static Map<String, Object> withClientProperties(Map<String, Object> config, Map<String, String> client) {
        Map<String, Object> merged = new HashMap<>(config);
        client.forEach((key, value) -> {
            if (!config.containsKey(key) || key.equals(ProducerConfig.CLIENT_ID_CONFIG)) {
                merged.put(key, value);
            }
        });
        return Map.copyOf(merged);
    }

    private static int millis(Duration duration) {
        return Math.toIntExact(duration.toMillis());
    }

    /**
     * The publisher's processor must track a token (so publication resumes where it stopped) and must let handler
     * errors propagate (Axon's default logs them and moves the token on, which would lose events on Kafka).
     */
    @Bean
    public ConfigurerModule kafkaPublisherProcessing() {
        return configurer -> ProcessorRequirement.require(
                configurer,
                KafkaEventPublisher.PROCESSING_GROUP,
                StreamingEventProcessor.class,
                "tracking",
                "tracking",
                "publication must resume from its own token.");
    }

    @Bean
    public ProcessorPosition publicationLag(JdbcTemplate jdbcTemplate, Serializer serializer) {
        return new ProcessorPosition(jdbcTemplate, serializer, KafkaEventPublisher.PROCESSING_GROUP);
    }

    @Bean
    public MeterBinder kafkaPublicationMetrics(
            ProcessorPosition lag,
            KafkaEventPublisher publisher,
            AlertKafkaPublisher alertPublisher,
            LedgerKafkaProperties properties) {
        return registry -> {
            Gauge.builder("ledger.kafka.publication.lag", alertPublisher, AlertKafkaPublisher::pending)
                    .description("Alert transitions in the outbox that Kafka has not acknowledged yet")
                    .baseUnit("events")
                    .tag("topic", properties.alertsTopic())
                    .register(registry);
            Gauge.builder("ledger.kafka.publication.lag", lag, ProcessorPosition::lag)
                    .description("Events in the log that the Kafka publisher has not had acknowledged yet")
                    .baseUnit("events")
                    .tag("topic", properties.eventsTopic())
                    .register(registry);
            FunctionCounter.builder(
                            "ledger.kafka.published",
                            publisher,
                            p -> p.status().snapshot().published())
                    .description("Records acknowledged by Kafka since start (retried ones counted again)")
                    .baseUnit("events")
                    .tag("topic", properties.eventsTopic())
                    .register(registry);
        };
    }

    @Bean("kafka")
    public KafkaPublicationHealthIndicator kafkaHealthIndicator(
            KafkaEventPublisher publisher,
            ProcessorPosition lag,
            AlertKafkaPublisher alertPublisher,
            LedgerKafkaProperties properties,
            Optional<InProcessKafkaBroker> inProcessBroker) {
        return new KafkaPublicationHealthIndicator(
                publisher, lag, alertPublisher, properties, inProcessBroker, Clock.systemUTC());
    }

    /** True when no Kafka cluster is configured: the embedded default runs its own broker. */
    static final class NoExternalCluster implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment environment = context.getEnvironment();
            return environment.getProperty("ledger.kafka.bootstrap-servers", "").isBlank()
                    && environment
                            .getProperty("spring.kafka.bootstrap-servers", "")
                            .isBlank();
        }
    }
}
