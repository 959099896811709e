package org.subsidyledger.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.subsidyledger.api.kafka.LedgerScenario.HANGZHOU;
import static org.subsidyledger.api.kafka.LedgerScenario.cny;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.subsidyledger.api.kafka.PublishedEvents.Received;
import org.subsidyledger.api.kafka.PublishedEvents.Stored;
import org.subsidyledger.api.store.ProcessorPosition;
import org.subsidyledger.api.store.SealWriter;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.projections.kafka.KafkaEventPublisher;

/**
 * The publisher against a real Kafka broker (in-process KRaft, on free ports) that the ledger is pointed at as an
 * external cluster, so the ledger starts no broker of its own.
 */
class KafkaPublicationTest {
    private static final String EVENTS = "it.events";
    private static final String REPLAY_EVENTS = "it.replay.events";
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @TempDir
    static Path brokerDirectory;

    static InProcessKafkaBroker broker;

    @TempDir
    Path dataDirectory;

    private final MutableClock clock = new MutableClock(LedgerScenario.START);

    @BeforeAll
    static void startBroker() {
        broker = new InProcessKafkaBroker(
                "127.0.0.1",
                KafkaLedger.freePort(),
                KafkaLedger.freePort(),
                brokerDirectory,
                List.of(EVENTS, REPLAY_EVENTS),
                3);
        broker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    private KafkaLedger start(String topic) {
        return KafkaLedger.start(
                dataDirectory,
                clock,
                Map.of(
                        "spring.kafka.bootstrap-servers",
                        broker.bootstrapServers(),
                        "ledger.kafka.events-topic",
                        topic));
    }

    /**
     * SPEC §7: every event type of SPEC §3 arrives exactly once, keyed by what it is about, as a CloudEvent whose
     * attributes, extensions and data match the stored event and whose data is valid against its schema; per key in
     * log order. Lag is 0 afterwards, as metric and health detail.
     */
    @Test
    void everyEventTypeArrivesOnceAsACloudEventInLogOrderPerKey() {
        try (KafkaLedger ledger = start(EVENTS);
                PublishedEvents topic = new PublishedEvents(broker.bootstrapServers(), EVENTS)) {
            assertThat(ledger.context
                            .getBeanProvider(InProcessKafkaBroker.class)
                            .getIfAvailable())
                    .as("an in-process broker although a cluster is configured")
                    .isNull();

            LedgerScenario.setUp(ledger);
            LedgerScenario.everyOtherEvent(ledger, clock);
            assertThat(ledger.bean(SealWriter.class).seal(SealWriter.Trigger.ON_DEMAND))
                    .as("a seal")
                    .isTrue();
            List<Stored> stored = PublishedEvents.storedEvents(ledger.jdbc);
            assertThat(stored.stream().map(Stored::eventName).collect(Collectors.toSet()))
                    .as("event types the scenario appended, and the seal")
                    .hasSize(22)
                    .contains("LedgerSealed", "ApprovalRequested", "ApprovalGranted", "ApprovalRejected");

            topic.readAll(stored.stream().map(Stored::id).toList(), DELIVERY);
            List<Received> received = topic.drain(Duration.ofMillis(500));

            assertThat(received)
                    .extracting(Received::id)
                    .as("each event exactly once")
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(
                            stored.stream().map(Stored::id).toList());
            Map<String, Received> byId = received.stream().collect(Collectors.toMap(Received::id, r -> r));
            for (Stored event : stored) {
                PublishedEvents.assertCloudEventOf(byId.get(event.id()), event);
            }
            PublishedEvents.assertLogOrderPerKey(received);

            assertThat(ledger.bean(ProcessorPosition.class).lag()).isZero();
            MeterRegistry meters = ledger.bean(MeterRegistry.class);
            KafkaLedger.await(
                    "lag gauge 0",
                    Duration.ofSeconds(5),
                    () -> meters.get("ledger.kafka.publication.lag").gauge().value() == 0);
            var health = ledger.context.getBean("kafka", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("lag", 0L).containsEntry("inProcessBroker", "none");

            consumersDetectAMissedEventFromTheExtensions(received);
        }
    }

    /**
     * SPEC §7: "so a consumer can prove it missed nothing". A consumer that read the topic groups events by stream (the
     * program of a program, voucher or housing event; the provider or model of a registry event) and finds every
     * aggregatesequence from 0 up; a record lost in between shows up as a missing number, and globalindex tells where
     * in the log to look for it.
     */
    private static void consumersDetectAMissedEventFromTheExtensions(List<Received> received) {
        List<JsonNode> events = received.stream().map(Received::event).toList();
        assertThat(missedEvents(events)).as("gaps in what was read").isEmpty();
        assertThat(brokenLinks(events))
                .as("hash chain links (prevhash = hash of the stream's previous event)")
                .isEmpty();
        List<JsonNode> forged = new ArrayList<>(events);
        JsonNode issued = forged.stream()
                .filter(e -> e.path("type").asText().contains(".VoucherIssued."))
                .findFirst()
                .orElseThrow();
        forged.set(forged.indexOf(issued), ((ObjectNode) issued.deepCopy()).put("hash", "f".repeat(64)));
        assertThat(brokenLinks(forged))
                .as("a consumer sees a record whose hash its successor does not link to")
                .isNotEmpty();

        JsonNode settled = events.stream()
                .filter(e -> e.path("type").asText().contains(".RedemptionSettled."))
                .findFirst()
                .orElseThrow();
        JsonNode accredited = events.stream()
                .filter(e -> e.path("type").asText().contains(".ProviderAccredited."))
                .findFirst()
                .orElseThrow();
        List<JsonNode> lossy = new ArrayList<>(events);
        lossy.remove(settled);
        lossy.remove(accredited);
        assertThat(missedEvents(lossy))
                .isEqualTo(new TreeMap<>(Map.of(
                        settled.path("data").path("programId").asText(),
                        List.of(settled.path("aggregatesequence").asLong()),
                        accredited.path("subject").asText(),
                        List.of(0L))));

        // The global index brackets the missed event: after its predecessor in the stream, before its successor.
        long settledIndex = settled.path("globalindex").asLong();
        List<Long> streamIndexes = lossy.stream()
                .filter(e -> e.path("data")
                        .path("programId")
                        .asText()
                        .equals(settled.path("data").path("programId").asText()))
                .map(e -> e.path("globalindex").asLong())
                .sorted()
                .toList();
        assertThat(streamIndexes).anyMatch(i -> i < settledIndex).anyMatch(i -> i > settledIndex);
    }

    /** Per stream, in aggregatesequence order, the events whose prevhash is not the previous event's hash. */
    static List<String> brokenLinks(List<JsonNode> events) {
        Map<String, TreeMap<Long, JsonNode>> streams = new TreeMap<>();
        for (JsonNode event : events) {
            JsonNode data = event.path("data");
            String stream = data.has("programId")
                    ? data.path("programId").asText()
                    : event.path("subject").asText();
            streams.computeIfAbsent(stream, s -> new TreeMap<>())
                    .put(event.path("aggregatesequence").asLong(), event);
        }
        List<String> broken = new ArrayList<>();
        streams.forEach((stream, bySequence) -> {
            String previous = "0".repeat(64);
            for (JsonNode event : bySequence.values()) {
                if (!event.path("prevhash").asText().equals(previous)) {
                    broken.add(stream + "#" + event.path("aggregatesequence").asLong());
                }
                previous = event.path("hash").asText();
            }
        });
        return broken;
    }

    /** Per stream, the aggregatesequence numbers below the highest one read that were not read. */
    static Map<String, List<Long>> missedEvents(List<JsonNode> events) {
        Map<String, Set<Long>> seen = new TreeMap<>();
        for (JsonNode event : events) {
            JsonNode data = event.path("data");
            String stream = data.has("programId")
                    ? data.path("programId").asText()
                    : event.path("subject").asText();
            seen.computeIfAbsent(stream, s -> new TreeSet<>())
                    .add(event.path("aggregatesequence").asLong());
        }
        Map<String, List<Long>> missed = new TreeMap<>();
        seen.forEach((stream, sequences) -> {
            long highest = sequences.stream().mapToLong(Long::longValue).max().orElse(-1);
            List<Long> gaps = new ArrayList<>();
            for (long s = 0; s <= highest; s++) {
                if (!sequences.contains(s)) {
                    gaps.add(s);
                }
            }
            if (!gaps.isEmpty()) {
                missed.put(stream, gaps);
            }
        });
        return missed;
    }

    /**
     * DESIGN §2: the publisher has side effects, so it refuses Axon's reset, and a replay token (what a reset or a
     * rebuild leaves in token_entry) makes it skip the replayed events: nothing is published twice, and events appended
     * afterwards are published as usual.
     */
    @Test
    void aReplayRepublishesNothing() {
        try (KafkaLedger ledger = start(REPLAY_EVENTS);
                PublishedEvents topic = new PublishedEvents(broker.bootstrapServers(), REPLAY_EVENTS)) {
            LedgerScenario.setUp(ledger);
            List<String> before = PublishedEvents.storedEvents(ledger.jdbc).stream()
                    .map(Stored::id)
                    .toList();
            topic.readAll(before, DELIVERY);

            TrackingEventProcessor processor = ledger.bean(EventProcessingConfiguration.class)
                    .eventProcessor(KafkaEventPublisher.PROCESSING_GROUP, TrackingEventProcessor.class)
                    .orElseThrow();
            processor.shutDown();
            assertThat(processor.supportsReset()).isFalse();
            assertThatThrownBy(processor::resetTokens).hasMessageContaining("do not support a reset");

            // What a forced reset would store: replay everything from the start up to the stored position.
            TokenStore tokens = ledger.bean(TokenStore.class);
            String name = KafkaEventPublisher.PROCESSING_GROUP;
            ledger.bean(TransactionManager.class).executeInTransaction(() -> {
                TrackingToken position = tokens.fetchToken(name, 0);
                tokens.storeToken(ReplayToken.createReplayToken(position, null), name, 0);
                tokens.releaseClaim(name, 0);
            });
            processor.start();

            ledger.send(new AppropriateFunds(HANGZHOU, cny("1.00"), "after-the-replay"));
            List<Stored> stored = PublishedEvents.storedEvents(ledger.jdbc);
            topic.readAll(stored.stream().map(Stored::id).toList(), DELIVERY);
            List<Received> received = topic.drain(Duration.ofMillis(500));

            Map<String, Long> copies =
                    received.stream().collect(Collectors.groupingBy(Received::id, Collectors.counting()));
            assertThat(copies)
                    .as("records per event id")
                    .hasSize(before.size() + 1)
                    .allSatisfy((id, n) -> assertThat(n).as("records of %s", id).isEqualTo(1L));
            Map<String, Stored> storedById = stored.stream().collect(Collectors.toMap(Stored::id, Function.identity()));
            received.forEach(r -> PublishedEvents.assertCloudEventOf(r, storedById.get(r.id())));
        }
    }
}
