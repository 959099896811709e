package org.subsidyledger.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.api.kafka.LedgerScenario.ALIYUN;
import static org.subsidyledger.api.kafka.LedgerScenario.HANGZHOU;
import static org.subsidyledger.api.kafka.LedgerScenario.cny;
import static org.subsidyledger.api.kafka.LedgerScenario.uscc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.subsidyledger.api.kafka.PublishedEvents.Received;
import org.subsidyledger.api.kafka.PublishedEvents.Stored;
import org.subsidyledger.api.store.ProcessorPosition;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.projections.kafka.KafkaEventPublisher;

/**
 * The embedded default: with no cluster configured the ledger starts its own KRaft broker (here on free ports) and
 * creates both topics. That broker is stopped and started again on the same port to show that an outage delays
 * publication and loses nothing, and that a ledger restarted while events wait resumes where publishing stopped.
 */
class KafkaOutageTest {
    private static final String EVENTS = "subsidy.ledger.events";
    private static final Duration DELIVERY = Duration.ofSeconds(40);

    @TempDir
    Path dataDirectory;

    private final MutableClock clock = new MutableClock(LedgerScenario.START);
    private final int port = KafkaLedger.freePort();
    private final int controllerPort = KafkaLedger.freePort();

    /** Short producer timeouts turn the outage into failed, retried batches within the test's time. */
    private KafkaLedger start() {
        return KafkaLedger.start(
                dataDirectory,
                clock,
                Map.of(
                        "ledger.kafka.broker.port", port,
                        "ledger.kafka.broker.controller-port", controllerPort,
                        "ledger.kafka.broker.data-dir", dataDirectory.resolve("kafka"),
                        "ledger.kafka.unreachable-after", "1s",
                        "ledger.kafka.producer.request-timeout", "1500ms",
                        "ledger.kafka.producer.batch-timeout", "2s",
                        "ledger.kafka.producer.max-block", "1s"));
    }

    @Test
    void aBrokerOutageDelaysPublicationAndLosesNothing() throws Exception {
        try (KafkaLedger ledger = start()) {
            InProcessKafkaBroker broker = ledger.bean(InProcessKafkaBroker.class);
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
                        .contains("subsidy.ledger.events", "subsidy.ledger.alerts");
            }
            try (PublishedEvents topic = new PublishedEvents(broker.bootstrapServers(), EVENTS)) {
                LedgerScenario.setUp(ledger);
                topic.readAll(ids(ledger), DELIVERY);

                broker.stop();
                // Commands do not depend on Kafka: the ledger goes on appending while the broker is away.
                issueAndRedeem(ledger, "outage", 6);
                KafkaEventPublisher publisher = ledger.bean(KafkaEventPublisher.class);
                KafkaLedger.await(
                        "a failed publication batch",
                        Duration.ofSeconds(20),
                        () -> publisher.status().snapshot().failures() > 0);
                HealthIndicator health = ledger.context.getBean("kafka", HealthIndicator.class);
                KafkaLedger.await(
                        "health DOWN",
                        Duration.ofSeconds(10),
                        () -> health.health().getStatus().equals(Status.DOWN));
                Health down = health.health();
                assertThat(down.getDetails())
                        .containsEntry("lag", 12L)
                        .containsEntry("inProcessBroker", "stopped")
                        .containsKey("lastFailure");
                assertThat(ledger.bean(ProcessorPosition.class).lag())
                        .as("the token did not move past unsent events")
                        .isEqualTo(12);
                issueAndRedeem(ledger, "still-down", 2);

                broker.start();
                List<Stored> stored = PublishedEvents.storedEvents(ledger.jdbc);
                List<Received> received =
                        topic.readAll(stored.stream().map(Stored::id).toList(), DELIVERY);
                assertEveryEventArrived(stored, received);
                KafkaLedger.await(
                        "lag 0 and health UP",
                        Duration.ofSeconds(10),
                        () -> ledger.bean(ProcessorPosition.class).lag() == 0
                                && health.health().getStatus().equals(Status.UP));
            }
        }
    }

    @Test
    void aLedgerRestartedWhileEventsWaitPublishesThemAll() {
        try (KafkaLedger first = start()) {
            InProcessKafkaBroker broker = first.bean(InProcessKafkaBroker.class);
            try (PublishedEvents topic = new PublishedEvents(broker.bootstrapServers(), EVENTS)) {
                LedgerScenario.setUp(first);
                issueAndRedeem(first, "before", 3);
                topic.readAll(ids(first), DELIVERY);
            }
            broker.stop();
            issueAndRedeem(first, "pending", 5); // appended, not yet published, when the ledger stops
        }
        try (KafkaLedger second = start()) {
            InProcessKafkaBroker broker = second.bean(InProcessKafkaBroker.class);
            assertThat(broker.isRunning()).isTrue();
            issueAndRedeem(second, "after", 2);
            try (PublishedEvents topic = new PublishedEvents(broker.bootstrapServers(), EVENTS)) {
                List<Stored> stored = PublishedEvents.storedEvents(second.jdbc);
                assertThat(stored).hasSize(9 + 2 * (3 + 5 + 2));
                List<Received> received =
                        topic.readAll(stored.stream().map(Stored::id).toList(), DELIVERY);
                assertEveryEventArrived(stored, received);
            }
        }
    }

    /**
     * Every stored event is on the topic as its CloudEvent; repeats (a batch retried after the broker took part of it)
     * carry the same id and the same content, so a consumer deduplicating on id sees each event once, in log order per
     * key.
     */
    private static void assertEveryEventArrived(List<Stored> stored, List<Received> received) {
        Map<String, Stored> storedById = stored.stream().collect(Collectors.toMap(Stored::id, Function.identity()));
        assertThat(received).extracting(Received::id).as("ids on the topic").allMatch(storedById::containsKey);
        List<Received> unique = PublishedEvents.deduplicated(received);
        assertThat(unique).extracting(Received::id).containsExactlyInAnyOrderElementsOf(storedById.keySet());
        unique.forEach(r -> PublishedEvents.assertCloudEventOf(r, storedById.get(r.id())));
        Map<String, Received> first = unique.stream().collect(Collectors.toMap(Received::id, r -> r));
        received.forEach(r -> assertThat(r.event())
                .as("repeat of %s", r.id())
                .isEqualTo(first.get(r.id()).event()));
        PublishedEvents.assertLogOrderPerKey(received);
    }

    private static List<String> ids(KafkaLedger ledger) {
        return PublishedEvents.storedEvents(ledger.jdbc).stream()
                .map(Stored::id)
                .toList();
    }

    /** Issues {@code count} vouchers and redeems each once: 2 × count events. */
    private static void issueAndRedeem(KafkaLedger ledger, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            VoucherId voucher = VoucherId.of(prefix + "-v-" + i);
            ledger.send(new IssueVoucher(
                    HANGZHOU,
                    voucher,
                    new Beneficiary(
                            uscc("9133010" + String.format("%02d", prefix.length())
                                    + prefix.substring(0, 1).toUpperCase().replaceAll("[IOSVZ]", "A")
                                    + String.format("%03d", i)),
                            "Firm " + prefix + " " + i,
                            "software",
                            null),
                    cny("10000.00")));
            ledger.send(new RedeemCompute(
                    HANGZHOU,
                    voucher,
                    RedemptionId.of(prefix + "-r-" + i),
                    prefix + "-contract-" + i,
                    prefix + "-invoice-" + i,
                    ALIYUN,
                    cny("1000.00"),
                    null));
        }
    }
}
