package org.subsidyledger.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.subsidyledger.api.kafka.LedgerScenario.cny;
import static org.subsidyledger.api.kafka.LedgerScenario.uscc;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.subsidyledger.api.kafka.PublishedEvents.Received;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherSettings;
import org.subsidyledger.projections.alert.AlertProjector;

/**
 * Fiscal alerts on {@code subsidy.ledger.alerts} (SPEC §7, §11) against a real in-process broker: a raise and its clear
 * each arrive as a CloudEvent whose id is the alertId plus the transition, keyed and subjected by the alertId, with
 * the province as source and extension, no hash, and data valid against its schema; the clear after the raise in
 * the alert's partition. A reset of the alerts processor rebuilds the same alerts and publishes nothing again.
 */
class KafkaAlertPublicationTest {
    private static final String EVENTS = "it.alerting.events";
    private static final String ALERTS = "it.alerts";
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
                List.of(EVENTS, ALERTS),
                3);
        broker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    @Test
    void aRaiseAndItsClearArriveOnceAsCloudEventsAndAReplayRepublishesNothing() {
        try (KafkaLedger ledger = KafkaLedger.start(
                        dataDirectory,
                        clock,
                        Map.of(
                                "spring.kafka.bootstrap-servers",
                                broker.bootstrapServers(),
                                "ledger.kafka.events-topic",
                                EVENTS,
                                "ledger.kafka.alerts-topic",
                                ALERTS,
                                "ledger.kafka.alerts-interval",
                                "200ms"));
                PublishedEvents topic = new PublishedEvents(broker.bootstrapServers(), ALERTS)) {
            ProgramId program = ProgramId.of("zj-nb-compute");
            ledger.send(new LaunchProgram(
                    program,
                    "Ningbo compute vouchers",
                    ProgramKind.COMPUTE_VOUCHER,
                    "CN-ZJ",
                    "Ningbo",
                    CurrencyCode.CNY,
                    new VoucherSettings(
                            Ratio.of("0.30"),
                            cny("1000000.00"),
                            cny("1000000.00"),
                            365,
                            List.of("software"),
                            Payee.BENEFICIARY)));
            ledger.send(new AppropriateFunds(program, cny("1000000.00"), "NB-2026"));
            clock.advance(Duration.ofHours(1));
            // 850,000 of 1,000,000 committed: COMMITMENT_HIGH WARNING for the program and for CN-ZJ
            ledger.send(new IssueVoucher(
                    program,
                    VoucherId.of("nb-v1"),
                    new Beneficiary(uscc("91330200MA2H0001"), "Ningbo Robotics", "software", null),
                    cny("850000.00")));
            clock.advance(Duration.ofHours(1));
            // 850,000 of 2,000,000: both clear
            ledger.send(new AppropriateFunds(program, cny("1000000.00"), "NB-2026-top-up"));

            // Raised at the issue (commitment at 85 %, among others), some cleared by the top-up.
            KafkaLedger.await(
                    "COMMITMENT_HIGH raised and cleared",
                    DELIVERY,
                    () -> ledger.jdbc.queryForObject(
                                    "SELECT COUNT(*) FROM fiscal_alert WHERE code = 'COMMITMENT_HIGH' AND cleared_at IS NOT NULL",
                                    Integer.class)
                            == 2);
            List<Map<String, Object>> alerts = ledger.jdbc.queryForList("SELECT alert_id, code, level, province,"
                    + " program_id, raised_at, cleared_at FROM fiscal_alert ORDER BY alert_id");
            List<String> expectedIds = alerts.stream()
                    .flatMap(a -> (a.get("cleared_at") == null
                                    ? List.of(a.get("alert_id") + "-raised")
                                    : List.of(a.get("alert_id") + "-raised", a.get("alert_id") + "-cleared"))
                            .stream())
                    .toList();
            Map<String, Map<String, Object>> alertsById =
                    alerts.stream().collect(Collectors.toMap(a -> (String) a.get("alert_id"), a -> a));

            List<Received> received = topic.readAll(expectedIds, DELIVERY);
            assertThat(received).extracting(Received::id).containsExactlyInAnyOrderElementsOf(expectedIds);
            for (Received record : received) {
                JsonNode event = record.event();
                String alertId = event.path("data").path("alertId").asText();
                boolean raised = record.id().endsWith("-raised");
                assertThat(event.path("specversion").asText()).isEqualTo("1.0");
                assertThat(event.path("type").asText())
                        .isEqualTo(
                                "org.subsidyledger." + (raised ? "FiscalAlertRaised" : "FiscalAlertCleared") + ".v1");
                assertThat(record.key()).isEqualTo(alertId);
                assertThat(event.path("subject").asText()).isEqualTo(alertId);
                assertThat(event.path("source").asText()).isEqualTo("urn:subsidy-ledger:CN-ZJ");
                assertThat(event.path("province").asText()).isEqualTo("CN-ZJ");
                assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
                assertThat(event.has("hash")).as("alerts carry no hash").isFalse();
                assertThat(event.has("globalindex")).isFalse();
                assertThat(event.path("data").path("code").asText())
                        .isEqualTo(alertsById.get(alertId).get("code"));
                assertThat(event.path("data").path("level").asText())
                        .isEqualTo(alertsById.get(alertId).get("level"));
                assertThat(event.path("data").path("clearedAt").isNull()).isEqualTo(raised);
                assertThat(event.path("time").asText())
                        .isEqualTo(
                                raised
                                        ? event.path("data").path("raisedAt").asText()
                                        : event.path("data").path("clearedAt").asText());
                PublishedEvents.assertValidAgainstSchema(record);
            }
            Map<String, List<Received>> byKey = received.stream().collect(Collectors.groupingBy(Received::key));
            byKey.forEach((key, records) -> {
                if (records.size() == 1) {
                    assertThat(records.get(0).id()).endsWith("-raised");
                    return;
                }
                assertThat(records).hasSize(2);
                assertThat(records.get(0).partition()).isEqualTo(records.get(1).partition());
                Received first = records.get(0).offset() < records.get(1).offset() ? records.get(0) : records.get(1);
                assertThat(first.id()).as("first record of %s", key).endsWith("-raised");
            });
            KafkaLedger.await(
                    "every transition marked published",
                    DELIVERY,
                    () -> ledger.jdbc.queryForObject(
                                    "SELECT COUNT(*) FROM alert_transition WHERE published_at IS NULL", Integer.class)
                            == 0);
            Health health =
                    ledger.context.getBean("kafka", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            @SuppressWarnings("unchecked")
            Map<String, Object> alertHealth =
                    (Map<String, Object>) health.getDetails().get("alerts");
            assertThat(alertHealth)
                    .as("%s", health)
                    .containsEntry("topic", ALERTS)
                    .containsEntry("pending", 0L)
                    .containsKey("lastAcknowledgedAt");

            // A replay of the alerts projection: same alerts rebuilt, nothing published again.
            TrackingEventProcessor processor = ledger.bean(EventProcessingConfiguration.class)
                    .eventProcessor(AlertProjector.PROCESSING_GROUP, TrackingEventProcessor.class)
                    .orElseThrow();
            processor.shutDown();
            processor.resetTokens();
            processor.start();
            KafkaLedger.await(
                    "the alerts rebuilt",
                    DELIVERY,
                    () -> ledger.jdbc
                            .queryForList(
                                    "SELECT alert_id, code,"
                                            + " level, province, program_id, raised_at, cleared_at FROM fiscal_alert ORDER BY alert_id")
                            .equals(alerts));
            List<Received> after = topic.drain(Duration.ofSeconds(2));
            assertThat(after).as("records after the replay").hasSize(received.size());
        }
    }
}
