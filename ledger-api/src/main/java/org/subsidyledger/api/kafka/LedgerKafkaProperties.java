package org.subsidyledger.api.kafka;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Kafka settings ({@code ledger.kafka.*}).
 *
 * @param enabled          publish to Kafka at all (and, without a cluster, start the in-process broker)
 * @param bootstrapServers the cluster to publish to; empty (the embedded default) starts the in-process broker and
 *                         publishes there. application.yml fills it from {@code spring.kafka.bootstrap-servers}.
 * @param eventsTopic      where every event of the log goes (SPEC §7)
 * @param alertsTopic      where fiscal alerts go (SPEC §7)
 * @param partitions       partitions of the topics the in-process broker creates
 * @param unreachableAfter how long publication may go without an acknowledgement before health reports DOWN
 * @param producer         producer timeouts
 * @param broker           the in-process broker
 */
@ConfigurationProperties(prefix = "ledger.kafka")
public record LedgerKafkaProperties(
        Boolean enabled,
        String bootstrapServers,
        String eventsTopic,
        String alertsTopic,
        Integer partitions,
        Duration unreachableAfter,
        Producer producer,
        Broker broker) {

    public LedgerKafkaProperties {
        enabled = enabled == null || enabled;
        bootstrapServers = bootstrapServers == null ? "" : bootstrapServers.trim();
        eventsTopic = eventsTopic == null ? "subsidy.ledger.events" : eventsTopic;
        alertsTopic = alertsTopic == null ? "subsidy.ledger.alerts" : alertsTopic;
        partitions = partitions == null ? 3 : partitions;
        unreachableAfter = unreachableAfter == null ? Duration.ofSeconds(60) : unreachableAfter;
        producer = producer == null ? new Producer(null, null, null, null) : producer;
        broker = broker == null ? new Broker(null, null, null, null) : broker;
    }

    /** Whether a cluster is configured; without one the ledger runs its own broker. */
    public boolean externalCluster() {
        return !bootstrapServers.isEmpty();
    }

    /**
     * @param requestTimeout {@code request.timeout.ms}: one request to the broker (the producer retries it)
     * @param batchTimeout   how long a batch of the publisher may wait for the broker's acknowledgements before it is
     *                       given up and retried by the processor with a new producer. Kept below Axon's token claim
     *                       timeout (10 s), so a batch never outlives its claim on the publisher's token. (The
     *                       producer's own {@code delivery.timeout.ms} is unbounded: see KafkaEventPublisher.)
     * @param maxBlock       {@code max.block.ms}: how long {@code send()} waits for metadata of an unreachable cluster
     * @param linger         {@code linger.ms}
     */
    public record Producer(Duration requestTimeout, Duration batchTimeout, Duration maxBlock, Duration linger) {
        public Producer {
            requestTimeout = requestTimeout == null ? Duration.ofSeconds(4) : requestTimeout;
            batchTimeout = batchTimeout == null ? Duration.ofSeconds(8) : batchTimeout;
            maxBlock = maxBlock == null ? Duration.ofSeconds(5) : maxBlock;
            linger = linger == null ? Duration.ofMillis(5) : linger;
        }
    }

    /**
     * @param host           address the broker listens on and advertises
     * @param port           client port (9092, where kcat looks)
     * @param controllerPort KRaft controller port
     * @param dataDir        log and metadata directory, formatted on first start and kept across restarts
     */
    public record Broker(String host, Integer port, Integer controllerPort, Path dataDir) {
        public Broker {
            host = host == null ? "127.0.0.1" : host;
            port = port == null ? 9092 : port;
            controllerPort = controllerPort == null ? 9093 : controllerPort;
            dataDir = dataDir == null ? Path.of("data", "kafka") : dataDir;
        }
    }
}
