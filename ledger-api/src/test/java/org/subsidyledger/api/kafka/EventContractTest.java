package org.subsidyledger.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;
import org.subsidyledger.projections.kafka.LedgerCloudEvents;
import org.yaml.snakeyaml.Yaml;

/**
 * The published contract (docs/asyncapi.yaml, docs/schemas) against the code, without a broker:
 * <ul>
 *   <li>each public event has a schema for its current revision whose properties are exactly the record's, with the
 *       same types (a field added, removed, renamed or retyped in the record without the schema fails);</li>
 *   <li>no schema breaks what a published version promised ({@code docs/schemas/compatibility.lock}): removing,
 *       renaming or retyping a property, dropping an enum value or allowing null needs a new version (a new
 *       {@code @Revision}, an upcaster, a new schema file), never an edit of the old one;</li>
 *   <li>the AsyncAPI document describes both topics and has a message for each schema.</li>
 * </ul>
 * Every event the Kafka tests publish is validated against these schemas by {@link PublishedEvents}.
 */
class EventContractTest {
    private static final Path DOCS = ContractFiles.docs();
    private static final Path SCHEMAS = DOCS.resolve("schemas");
    private static final Path LOCK = SCHEMAS.resolve("compatibility.lock");
    private static final Set<String> ALERTS = Set.of("FiscalAlertRaised", "FiscalAlertCleared");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyPublicEventOfSpecSection3IsListed() {
        assertThat(LedgerCloudEvents.PUBLIC_EVENTS)
                .extracting(Class::getSimpleName)
                .containsExactlyInAnyOrder(
                        "ProgramLaunched",
                        "FundsAppropriated",
                        "FundsRescinded",
                        "ProgramClosed",
                        "ApprovalRequested",
                        "ApprovalGranted",
                        "ApprovalRejected",
                        "ProviderAccredited",
                        "ProviderAccreditationWithdrawn",
                        "ModelRegistered",
                        "ModelDeregistered",
                        "VoucherIssued",
                        "ComputeRedeemed",
                        "ModelAccessRedeemed",
                        "RedemptionSettled",
                        "VoucherRevoked",
                        "VoucherExpired",
                        "HousingSubsidyGranted",
                        "HousingSubsidyPaid",
                        "HousingMonthsLapsed",
                        "HousingGrantTerminated",
                        "LedgerSealed");
    }

    @Test
    void eachEventRecordMatchesTheSchemaOfItsRevisionExactly() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Class<?> event : LedgerCloudEvents.PUBLIC_EVENTS) {
            String file = schemaName(event) + ".json";
            Path path = SCHEMAS.resolve(file);
            if (!Files.exists(path)) {
                problems.add(event.getSimpleName() + ": no schema docs/schemas/" + file);
                continue;
            }
            Map<String, String> schema = EventShapes.ofSchema(JSON.readTree(path.toFile()));
            Map<String, String> record = EventShapes.ofRecord(event);
            Map<String, String> plain = EventShapes.withoutNullability(schema);
            if (!plain.equals(record)) {
                problems.add(file + " does not describe " + event.getName() + ":\n    only in the record: "
                        + difference(record, plain) + "\n    only in the schema: " + difference(plain, record));
            }
            for (String primitive : EventShapes.primitivesOf(event)) {
                if (schema.getOrDefault(primitive, "").endsWith("?")) {
                    problems.add(
                            file + ": " + primitive + " is a Java primitive, never null, but the schema allows null");
                }
            }
        }
        assertThat(problems)
                .as("event records against their schemas (a changed event needs its schema changed"
                        + " compatibly, or a new revision and a new schema file)")
                .isEmpty();
    }

    @Test
    void noSchemaBreaksWhatAPublishedVersionPromised() throws IOException {
        Map<String, Map<String, String>> lock = Files.exists(LOCK)
                ? JSON.readValue(LOCK.toFile(), new TypeReference<TreeMap<String, Map<String, String>>>() {})
                : new TreeMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> missing = new TreeMap<>();
        for (Path file : schemaFiles()) {
            String name = file.getFileName().toString().replaceFirst("\\.json$", "");
            if (ALERTS.contains(name.replaceFirst("\\.v[0-9]+$", ""))) {
                continue; // provisional until the alerts projection publishes them
            }
            Map<String, String> shape = EventShapes.ofSchema(JSON.readTree(file.toFile()));
            Map<String, String> published = lock.get(name);
            if (published == null) {
                missing.put(name, shape);
            } else {
                EventShapes.incompatibilities(published, shape).forEach(p -> problems.add(name + ": " + p));
            }
        }
        for (String name : lock.keySet()) {
            if (!Files.exists(SCHEMAS.resolve(name + ".json"))) {
                problems.add(name + ": a published version's schema was deleted");
            }
        }
        if (!missing.isEmpty() && Boolean.getBoolean("schemas.lock.write")) {
            Map<String, Map<String, String>> updated = new TreeMap<>(lock);
            updated.putAll(missing);
            JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(LOCK.toFile(), updated);
            missing.clear();
        }
        missing.keySet()
                .forEach(name -> problems.add(name + ": not in docs/schemas/compatibility.lock yet; once"
                        + " the schema is final, record it with ./mvnw verify -pl ledger-api -Dtest=EventContractTest"
                        + " -Dschemas.lock.write=true"));
        assertThat(problems)
                .as("schemas against the versions already published (a breaking change needs a new"
                        + " version: @Revision, an upcaster and a new schema file)")
                .isEmpty();
    }

    @Test
    void everySchemaIsAValidDraft202012SchemaNamedForAnEventOrAlert() throws IOException {
        Set<String> known = LedgerCloudEvents.PUBLIC_EVENTS.stream()
                .map(Class::getSimpleName)
                .collect(Collectors.toCollection(TreeSet::new));
        known.addAll(ALERTS);
        JsonSchema metaSchema =
                PublishedEvents.SCHEMA_FACTORY.getSchema(SchemaLocation.of(SpecVersion.VersionFlag.V202012.getId()));
        List<Path> files = schemaFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(known.size());
        for (Path file : files) {
            String name = file.getFileName().toString();
            assertThat(name).matches("[A-Za-z]+\\.v[0-9]+\\.json");
            assertThat(known).as("event or alert named by %s", name).contains(name.substring(0, name.indexOf('.')));
            JsonNode schema = JSON.readTree(file.toFile());
            assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            Set<ValidationMessage> errors = metaSchema.validate(schema);
            assertThat(errors)
                    .as("%s against the draft 2020-12 meta-schema", name)
                    .isEmpty();
        }
    }

    @Test
    void theAsyncApiDocumentDescribesBothTopicsAndEverySchema() throws IOException {
        Map<String, Object> asyncApi;
        try (var in = Files.newInputStream(DOCS.resolve("asyncapi.yaml"))) {
            asyncApi = new Yaml().load(in);
        }
        assertThat(asyncApi.get("asyncapi")).isEqualTo("3.0.0");
        Map<String, Map<String, Object>> channels = map(asyncApi.get("channels"));
        assertThat(channels.values())
                .extracting(c -> c.get("address"))
                .containsExactlyInAnyOrder("subsidy.ledger.events", "subsidy.ledger.alerts");

        Map<String, Map<String, Object>> messages =
                map(map(asyncApi.get("components")).get("messages"));
        Map<String, String> dataSchemaOf = new LinkedHashMap<>();
        messages.forEach((key, message) -> {
            List<Map<String, Object>> allOf = list(map(message.get("payload")).get("allOf"));
            Map<String, Object> properties = map(allOf.get(1).get("properties"));
            assertThat(map(properties.get("type")).get("const"))
                    .as("type of message %s", key)
                    .isEqualTo("org.subsidyledger." + key);
            dataSchemaOf.put(key, (String) map(properties.get("data")).get("$ref"));
        });
        Set<String> schemaFiles = schemaFiles().stream()
                .map(p -> p.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(dataSchemaOf.values())
                .as("schemas the AsyncAPI messages reference")
                .allSatisfy(ref -> assertThat(schemaFiles).contains(ref.replaceFirst("^schemas/", "")));
        assertThat(dataSchemaOf.keySet())
                .as("a message for each schema file")
                .containsExactlyInAnyOrderElementsOf(schemaFiles.stream()
                        .map(f -> f.replaceFirst("\\.json$", ""))
                        .toList());
        for (Class<?> event : LedgerCloudEvents.PUBLIC_EVENTS) {
            assertThat(dataSchemaOf).as("message of %s", event.getSimpleName()).containsKey(schemaName(event));
        }
        Map<String, Object> eventsChannel = channels.values().stream()
                .filter(c -> "subsidy.ledger.events".equals(c.get("address")))
                .findFirst()
                .orElseThrow();
        assertThat(map(eventsChannel.get("messages")).keySet())
                .containsAll(LedgerCloudEvents.PUBLIC_EVENTS.stream()
                        .map(EventContractTest::schemaName)
                        .toList());
    }

    /** {@code EventName.v{revision}}, the schema (and CloudEvents type suffix) of an event's current revision. */
    static String schemaName(Class<?> event) {
        Revision revision = event.getAnnotation(Revision.class);
        return event.getSimpleName() + ".v" + (revision == null ? "1" : revision.value());
    }

    private static List<Path> schemaFiles() throws IOException {
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        }
    }

    private static Map<String, String> difference(Map<String, String> a, Map<String, String> b) {
        Map<String, String> only = new TreeMap<>();
        a.forEach((k, v) -> {
            if (!v.equals(b.get(k))) {
                only.put(k, v);
            }
        });
        return only;
    }

    @SuppressWarnings("unchecked")
    private static <T> Map<String, T> map(Object o) {
        return (Map<String, T>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }
}
