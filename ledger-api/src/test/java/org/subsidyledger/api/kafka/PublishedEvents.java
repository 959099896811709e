package org.subsidyledger.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A consumer's view of {@code subsidy.ledger.events}: reads every partition from the beginning (no consumer group),
 * and checks each record as an integrator would: CloudEvents attributes, the content-type header, the data against its
 * JSON Schema in docs/schemas, and the event against what the log stored.
 */
final class PublishedEvents implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonSchemaFactory SCHEMA_FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();
    private static final Set<String> REGISTRY_EVENTS =
            Set.of("ProviderAccredited", "ProviderAccreditationWithdrawn", "ModelRegistered", "ModelDeregistered");

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> received = new ArrayList<>();

    /** One record as read: where it was, its key, headers and the CloudEvent JSON. */
    record Received(int partition, long offset, String key, Map<String, String> headers, byte[] value, JsonNode event) {
        String id() {
            return event.path("id").asText();
        }

        String eventName() {
            String type = event.path("type").asText();
            return type.substring("org.subsidyledger.".length(), type.lastIndexOf(".v"));
        }

        long globalIndex() {
            return event.path("globalindex").asLong();
        }
    }

    PublishedEvents(String bootstrapServers, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(config);
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        assertThat(partitions).as("partitions of %s", topic).isNotEmpty();
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
    }

    /** Polls until {@code done} holds for everything read so far, or fails after {@code timeout}. */
    List<Received> readUntil(Predicate<List<Received>> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(received)) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + timeout + " waiting for " + what + "; read " + received.size() + " records: "
                        + received.stream()
                                .map(r -> r.eventName() + "@" + r.globalIndex())
                                .toList());
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                Map<String, String> headers = new LinkedHashMap<>();
                for (Header header : record.headers()) {
                    headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
                }
                try {
                    received.add(new Received(
                            record.partition(),
                            record.offset(),
                            record.key(),
                            headers,
                            record.value(),
                            JSON.readTree(record.value())));
                } catch (IOException e) {
                    throw new UncheckedIOException("record value is not JSON", e);
                }
            }
        }
        return List.copyOf(received);
    }

    /** Reads until every one of {@code ids} arrived. */
    List<Received> readAll(Collection<String> ids, Duration timeout) {
        return readUntil(
                r -> r.stream().map(Received::id).collect(Collectors.toSet()).containsAll(ids),
                timeout,
                ids.size() + " events");
    }

    /** Keeps polling for a while, for records that must not arrive. */
    List<Received> drain(Duration quiet) {
        long until = System.nanoTime() + quiet.toNanos();
        return readUntil(r -> System.nanoTime() > until, quiet.plusSeconds(5), "quiet");
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }

    // ---------------------------------------------------------------- checks

    /** One stored event, as the log holds it. */
    record Stored(
            String id,
            long globalIndex,
            String aggregateId,
            long sequence,
            String payloadType,
            String revision,
            JsonNode payload,
            Instant timestamp,
            String hash,
            String prevHash) {
        String eventName() {
            return payloadType.substring(Math.max(payloadType.lastIndexOf('$'), payloadType.lastIndexOf('.')) + 1);
        }
    }

    /** Every event of the log, in log order. */
    static List<Stored> storedEvents(JdbcTemplate jdbc) {
        return jdbc.query(
                "SELECT event_identifier, global_index, aggregate_identifier, sequence_number, payload_type,"
                        + " payload, time_stamp, meta_data, payload_revision FROM domain_event_entry"
                        + " ORDER BY global_index",
                (row, n) -> {
                    try {
                        JsonNode metadata = JSON.readTree(row.getBytes(8));
                        return new Stored(
                                row.getString(1),
                                row.getLong(2),
                                row.getString(3),
                                row.getLong(4),
                                row.getString(5),
                                row.getString(9),
                                JSON.readTree(row.getBytes(6)),
                                Instant.parse(row.getString(7)),
                                metadata.path("hash").asText(),
                                metadata.path("prevHash").asText());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /**
     * Checks one record against SPEC §7 and the stored event it carries: attributes, header, key, extensions, data
     * equal to the stored JSON and valid against its schema.
     */
    static void assertCloudEventOf(Received record, Stored stored) {
        JsonNode event = record.event();
        String name = stored.eventName();
        String what = name + " " + stored.id();
        assertThat(record.headers())
                .as("headers of %s", what)
                .containsEntry("content-type", "application/cloudevents+json");
        assertThat(event.path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.path("id").asText()).isEqualTo(stored.id());
        assertThat(event.path("type").asText())
                .as("type of %s", what)
                .isEqualTo("org.subsidyledger." + name + ".v" + (stored.revision() == null ? "1" : stored.revision()));
        assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(OffsetDateTime.parse(event.path("time").asText()).toInstant())
                .as("time of %s", what)
                .isEqualTo(stored.timestamp());
        assertThat(event.path("globalindex").isIntegralNumber())
                .as("globalindex of %s is a JSON integer: %s", what, event)
                .isTrue();
        assertThat(event.path("globalindex").asLong())
                .as("globalindex of %s", what)
                .isEqualTo(stored.globalIndex());
        assertThat(event.path("aggregatesequence").asLong())
                .as("aggregatesequence of %s", what)
                .isEqualTo(stored.sequence());
        JsonNode data = event.path("data");
        assertThat(data).as("data of %s (the stored JSON)", what).isEqualTo(stored.payload());
        assertThat(event.path("hash").asText())
                .as("hash of %s (the stored one)", what)
                .isEqualTo(stored.hash())
                .matches("[0-9a-f]{64}");
        assertThat(event.path("prevhash").asText())
                .as("prevhash of %s (the stored one)", what)
                .isEqualTo(stored.prevHash())
                .matches("[0-9a-f]{64}");
        if (stored.sequence() == 0) {
            assertThat(stored.prevHash())
                    .as("prevHash of the first entry of a chain")
                    .isEqualTo("0".repeat(64));
        }
        if ("LedgerSealed".equals(name)) {
            assertThat(record.key()).isEqualTo("ledger-seal");
            assertThat(event.path("subject").asText()).isEqualTo("ledger-seal");
            assertThat(event.path("source").asText()).isEqualTo("urn:subsidy-ledger:national");
            assertThat(event.has("province")).as("province of a seal").isFalse();
            assertValidAgainstSchema(record);
            return;
        }

        String subject = event.path("subject").asText();
        assertThat(record.key()).as("key of %s", what).isEqualTo(subject);
        assertThat(subject).as("subject of %s", what).isEqualTo(expectedKey(name, data));
        if (REGISTRY_EVENTS.contains(name)) {
            assertThat(event.path("source").asText())
                    .isEqualTo("urn:subsidy-ledger:" + data.path("country").asText());
            assertThat(event.has("province"))
                    .as("province of national %s", what)
                    .isFalse();
            assertThat(stored.aggregateId()).isEqualTo(subject);
        } else {
            String province = data.path("province").asText();
            assertThat(event.path("source").asText()).isEqualTo("urn:subsidy-ledger:" + province);
            assertThat(event.path("province").asText()).isEqualTo(province);
            assertThat(stored.aggregateId()).isEqualTo(data.path("programId").asText());
        }
        assertValidAgainstSchema(record);

        // An integrator using the CloudEvents SDK reads the same event.
        CloudEvent parsed = new JsonFormat().deserialize(record.value());
        assertThat(parsed.getId()).isEqualTo(stored.id());
        assertThat(parsed.getSubject()).isEqualTo(subject);
    }

    /** The data of a record against docs/schemas/{EventName}.v{n}.json. */
    static void assertValidAgainstSchema(Received record) {
        String type = record.event().path("type").asText();
        String schemaName = type.substring("org.subsidyledger.".length());
        JsonSchema schema = SCHEMAS.computeIfAbsent(schemaName, PublishedEvents::loadSchema);
        Set<ValidationMessage> errors = schema.validate(record.event().path("data"));
        assertThat(errors)
                .as("%s %s against docs/schemas/%s.json", schemaName, record.id(), schemaName)
                .isEmpty();
    }

    private static JsonSchema loadSchema(String name) {
        Path file = ContractFiles.docs().resolve("schemas").resolve(name + ".json");
        assertThat(file).as("schema of %s", name).exists();
        try {
            return SCHEMA_FACTORY.getSchema(
                    JSON.readTree(Files.readAllBytes(file)),
                    SchemaValidatorsConfig.builder()
                            .formatAssertionsEnabled(true)
                            .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String expectedKey(String name, JsonNode data) {
        if (data.has("voucherId")) {
            return data.path("voucherId").asText();
        }
        if (data.has("grantId")) {
            return data.path("grantId").asText();
        }
        if (data.has("programId")) {
            return data.path("programId").asText();
        }
        if (name.startsWith("Provider")) {
            return data.path("providerId").asText();
        }
        return data.path("filingNo").asText();
    }

    /** Drops repeated records (same CloudEvents id), keeping the first: what a deduplicating consumer sees. */
    static List<Received> deduplicated(List<Received> records) {
        Map<String, Received> first = new LinkedHashMap<>();
        records.forEach(r -> first.putIfAbsent(r.id(), r));
        return List.copyOf(first.values());
    }

    /** Per key, global indexes strictly increase in the order a consumer reads them (after deduplication). */
    static void assertLogOrderPerKey(List<Received> records) {
        Map<String, List<Long>> byKey = new TreeMap<>();
        deduplicated(records)
                .forEach(r ->
                        byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.globalIndex()));
        byKey.forEach((key, indexes) -> assertThat(indexes)
                .as(
                        "global indexes of key %s in read order (records: %s)",
                        key,
                        records.stream()
                                .filter(r -> r.key().equals(key))
                                .map(r -> r.globalIndex() + "@" + r.partition() + ":" + r.offset())
                                .toList())
                .isSorted()
                .doesNotHaveDuplicates());
    }
}
