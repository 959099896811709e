package org.subsidyledger.api.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.annotation.AnnotatedHandlerInspector;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.timeout.HandlerTimeoutHandlerEnhancerDefinition;
import org.axonframework.springboot.TimeoutProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.budget.BudgetNode;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.registry.RegistryCommands.AccreditProvider;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.Uscc;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherCommands.ExpireVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.core.voucher.VoucherCommands.RevokeVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.SettleRedemption;
import org.subsidyledger.core.voucher.VoucherSettings;
import org.subsidyledger.projections.alert.AlertProjector;
import org.subsidyledger.projections.alert.AlertReadModel;
import org.subsidyledger.projections.budget.BudgetProjector;

/**
 * The alerts of SPEC §6 through the real application: commands go through Axon into the event store, the tracking
 * processor {@code alerts} runs the engine behind them, and {@code GET /alerts} answers. One application per class, on
 * a database of its own; each test works in provinces of its own. The engine's "now" is the latest event time of the
 * whole log, so the tests run in the order of the instants they set.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AlertContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T02:00:00Z"));
    BudgetNode node;
    private Map<String, Object> database;

    abstract Map<String, Object> createDatabase();

    abstract void dropDatabase();

    @BeforeAll
    void startLedger() {
        database = createDatabase();
        node = BudgetNode.start(database, clock, true);
    }

    @AfterAll
    void stopLedger() {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            dropDatabase();
        }
    }

    /**
     * Anhui: 85,000 of 100,000 committed raises COMMITMENT_HIGH (WARNING) for the program and the province at the
     * issue's event time; the ledger restarts (the engine warms up from the stored log); revoking the voucher clears
     * both at the revocation's event time. The outbox holds each raise and clear once, in log order.
     */
    @Test
    @Order(1)
    void anAlertIsRaisedAndClearedEndToEndAcrossARestart() {
        ProgramId program = ProgramId.of("ah-hf-compute");
        clock.set(Instant.parse("2026-03-02T02:00:00Z"));
        node.send(new LaunchProgram(
                program,
                "Hefei compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-AH",
                "Hefei",
                CurrencyCode.CNY,
                vouchers(30)));
        node.send(new AppropriateFunds(program, cny("100000.00"), "HF-2026"));
        clock.set(Instant.parse("2026-03-03T02:00:00Z"));
        node.send(new IssueVoucher(program, VoucherId.of("ah-v1"), firm(1, null), cny("85000.00")));
        awaitAlerts();

        List<JsonNode> open = commitmentHigh(node.getOk("/alerts?province=CN-AH&status=OPEN"));
        assertThat(open).hasSize(2);
        JsonNode programAlert = open.stream()
                .filter(a -> !a.get("programId").isNull())
                .findFirst()
                .orElseThrow();
        JsonNode provinceAlert = open.stream()
                .filter(a -> a.get("programId").isNull())
                .findFirst()
                .orElseThrow();
        assertThat(programAlert.get("programId").asText()).isEqualTo("ah-hf-compute");
        assertThat(programAlert.get("city").asText()).isEqualTo("Hefei");
        assertThat(provinceAlert.get("city").isNull()).isTrue();
        for (JsonNode alert : open) {
            assertThat(alert.get("level").asText()).isEqualTo("WARNING");
            assertThat(alert.get("province").asText()).isEqualTo("CN-AH");
            assertThat(alert.get("currency").asText()).isEqualTo("CNY");
            assertThat(alert.get("raisedAt").asText()).isEqualTo("2026-03-03T02:00:00Z");
            assertThat(alert.get("clearedAt").isNull()).isTrue();
            assertThat(alert.get("message").asText()).contains("85.0 %");
            JsonNode figures = alert.get("figures");
            assertThat(figures.get("appropriated").asText()).isEqualTo("100000.00");
            assertThat(figures.get("committed").asText()).isEqualTo("85000.00");
            assertThat(figures.get("commitmentRatio").asText()).isEqualTo("0.8500");
        }
        List<String> ids = open.stream().map(a -> a.get("alertId").asText()).toList();

        node.close();
        node = BudgetNode.start(database, clock, true);
        clock.set(Instant.parse("2026-03-04T02:00:00Z"));
        node.send(new RevokeVoucher(program, VoucherId.of("ah-v1"), "beneficiary withdrew"));
        awaitAlerts();

        assertThat(commitmentHigh(node.getOk("/alerts?province=CN-AH&status=OPEN")))
                .isEmpty();
        List<JsonNode> cleared = commitmentHigh(node.getOk("/alerts?province=CN-AH&status=CLEARED"));
        assertThat(cleared).extracting(a -> a.get("alertId").asText()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(cleared).allSatisfy(a -> {
            assertThat(a.get("raisedAt").asText()).isEqualTo("2026-03-03T02:00:00Z");
            assertThat(a.get("clearedAt").asText()).isEqualTo("2026-03-04T02:00:00Z");
        });
        assertThat(commitmentHigh(node.getOk("/alerts?programId=ah-hf-compute")))
                .extracting(a -> a.get("alertId").asText())
                .containsExactly(programAlert.get("alertId").asText());

        for (String id : ids) {
            List<Map<String, Object>> rows = node.bean(JdbcTemplate.class)
                    .queryForList(
                            "SELECT transition, global_index, payload, published_at FROM alert_transition WHERE alert_id = ?"
                                    + " ORDER BY global_index, entry_position",
                            id);
            assertThat(rows).extracting(r -> r.get("transition")).containsExactly("RAISED", "CLEARED");
            assertThat(((Number) rows.get(0).get("global_index")).longValue())
                    .isLessThan(((Number) rows.get(1).get("global_index")).longValue());
            assertThat(rows).allSatisfy(r -> assertThat(r.get("published_at")).isNull());
            assertThat(json((String) rows.get(1).get("payload"))
                            .get("clearedAt")
                            .asText())
                    .isEqualTo("2026-03-04T02:00:00Z");
        }
        List<JsonNode> all = list(node.getOk("/alerts?province=CN-AH"));
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i - 1).get("raisedAt").asText())
                    .as("newest first")
                    .isGreaterThanOrEqualTo(all.get(i).get("raisedAt").asText());
        }
    }

    /**
     * A province officer sees their own province's alerts only, exactly as with {@code GET /programs?province=}: without
     * a province their own, another province's is 404. National and auditor see every province.
     */
    @Test
    @Order(2)
    void aProvinceOfficerSeesTheirOwnProvinceOnly() {
        clock.set(Instant.parse("2026-04-01T02:00:00Z"));
        for (String province : List.of("CN-ZJ", "CN-GD")) {
            ProgramId program = ProgramId.of(province.toLowerCase() + "-scope");
            node.send(new LaunchProgram(
                    program,
                    "Scoped vouchers",
                    ProgramKind.COMPUTE_VOUCHER,
                    province,
                    null,
                    CurrencyCode.CNY,
                    vouchers(30)));
            node.send(new AppropriateFunds(program, cny("10000.00"), "scope"));
            node.send(new IssueVoucher(
                    program, VoucherId.of(province.toLowerCase() + "-sv"), firm(2, null), cny("9000.00")));
        }
        awaitAlerts();

        List<JsonNode> own = list(ok(node.get("/alerts", "officer-cn-zj")));
        assertThat(own)
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.get("province").asText()).isEqualTo("CN-ZJ"));
        assertThat(list(ok(node.get("/alerts?province=CN-ZJ", "officer-cn-zj"))))
                .hasSameSizeAs(own);
        BudgetNode.Answer other = node.get("/alerts?province=CN-GD", "officer-cn-zj");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(other.body().get("code").asText()).isEqualTo("NOT_FOUND");

        assertThat(list(node.getOk("/alerts?province=CN-GD")))
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.get("province").asText()).isEqualTo("CN-GD"));
        assertThat(list(ok(node.get("/alerts", "auditor"))))
                .extracting(a -> a.get("province").asText())
                .contains("CN-ZJ", "CN-GD");
    }

    @Test
    @Order(3)
    void refusesABadStatusProvinceOrProgramId() {
        for (String path : List.of(
                "/alerts?status=open",
                "/alerts?status=ALL",
                "/alerts?province=CN-XX",
                "/alerts?province=zj",
                "/alerts?programId=bad%20id")) {
            BudgetNode.Answer answer = node.get(path);
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.contentType()).as(path).startsWith("application/problem+json");
            assertThat(answer.body().get("code").asText()).as(path).isEqualTo("VALIDATION_FAILED");
        }
    }

    /**
     * A history across Beijing and California with redemptions, settlements, expiries and months passing raises and
     * clears several alerts. Resetting the {@code alerts} and {@code budget} processors and letting them replay the log
     * rebuilds exactly the same alert rows, outbox rows (ids, instants, indexes) and budgets.
     */
    @Test
    @Order(4)
    void resettingTheProcessorsRebuildsIdenticalAlertsAndBudgets() {
        clock.set(Instant.parse("2026-05-04T02:00:00Z"));
        ProgramId beijing = ProgramId.of("bj-det-compute");
        ProgramId california = ProgramId.of("ca-det-compute");
        node.send(new AccreditProvider(
                ProviderId.of("bj-cloud"),
                "Beijing Cloud",
                uscc("91110000MA0P00001"),
                ProviderKind.COMPUTE,
                "grp-bj-cloud",
                null));
        node.send(new LaunchProgram(
                beijing,
                "Beijing compute",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-BJ",
                "Beijing",
                CurrencyCode.CNY,
                vouchers(30)));
        node.send(new AppropriateFunds(beijing, cny("1000000.00"), "BJ-2026"));
        node.send(new LaunchProgram(
                california,
                "California compute",
                ProgramKind.COMPUTE_VOUCHER,
                "US-CA",
                "San Diego",
                CurrencyCode.USD,
                new VoucherSettings(
                        Ratio.of("0.5"),
                        usd("1000000.00"),
                        usd("5000000.00"),
                        400,
                        List.of("software"),
                        Payee.BENEFICIARY)));
        node.send(new AppropriateFunds(california, usd("500000.00"), "CA-2026"));
        for (int i = 1; i <= 12; i++) {
            clock.advance(Duration.ofHours(1));
            node.send(new IssueVoucher(
                    beijing, VoucherId.of("bj-dv" + i), firm(100 + i, i <= 4 ? "grp-a" : null), cny("70000.00")));
            node.send(new RedeemCompute(
                    beijing,
                    VoucherId.of("bj-dv" + i),
                    RedemptionId.of("bj-dr" + i),
                    "bj-dc" + i,
                    "bj-di" + i,
                    ProviderId.of("bj-cloud"),
                    cny("20000.00"),
                    null));
            if (i % 3 == 0) {
                node.send(new SettleRedemption(
                        beijing, VoucherId.of("bj-dv" + i), RedemptionId.of("bj-dr" + i), "bj-pay" + i));
            }
        }
        node.send(new IssueVoucher(california, VoucherId.of("ca-dv1"), firm(200, null), usd("300000.00")));
        clock.advance(Duration.ofDays(31));
        for (int i = 1; i <= 6; i++) {
            node.send(new ExpireVoucher(beijing, VoucherId.of("bj-dv" + i)));
        }
        clock.advance(Duration.ofDays(70));
        node.send(new AppropriateFunds(california, usd("10000.00"), "CA-2027"));
        for (int i = 7; i <= 12; i += i % 3 == 1 ? 1 : 2) {
            node.send(new SettleRedemption(
                    beijing, VoucherId.of("bj-dv" + i), RedemptionId.of("bj-dr" + i), "bj-pay" + i));
        }
        awaitAlerts();
        BudgetNode.awaitProjection(node);

        Map<String, Object> before = snapshot();
        assertThat((List<?>) before.get("fiscal_alert"))
                .as("alerts of the history")
                .hasSizeGreaterThanOrEqualTo(4);
        assertThat(node.bean(JdbcTemplate.class)
                        .queryForObject("SELECT COUNT(*) FROM fiscal_alert WHERE cleared_at IS NOT NULL", Long.class))
                .as("cleared alerts")
                .isPositive();

        TrackingEventProcessor alerts = alertsProcessor();
        alerts.shutDown();
        alerts.resetTokens();
        assertThat(node.bean(AlertReadModel.class).rowCounts().values())
                .as("alerts after the reset")
                .containsOnly(0L);
        assertThat(node
                        .bean(JdbcTemplate.class)
                        .queryForList("SELECT * FROM alert_transition ORDER BY global_index, entry_position")
                        .stream()
                        .map(AlertContract::comparable)
                        .toList())
                .as("the outbox survives a reset")
                .isEqualTo(before.get("alert_transition"));
        PooledStreamingEventProcessor budget = node.budgetProcessor();
        budget.shutDown();
        budget.resetTokens();
        alerts.start();
        budget.start();
        awaitAlerts();
        BudgetNode.awaitProjection(node);

        assertThat(snapshot()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, Object> snapshot() {
        JdbcTemplate jdbc = node.bean(JdbcTemplate.class);
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put(
                "fiscal_alert",
                jdbc.queryForList("SELECT * FROM fiscal_alert ORDER BY alert_id").stream()
                        .map(AlertContract::comparable)
                        .toList());
        snapshot.put(
                "alert_transition",
                jdbc.queryForList("SELECT * FROM alert_transition" + " ORDER BY global_index, entry_position").stream()
                        .map(AlertContract::comparable)
                        .toList());
        for (String province : List.of("CN-AH", "CN-BJ", "US-CA", "CN-ZJ", "CN-GD")) {
            snapshot.put(
                    "budget " + province,
                    node.getOk("/provinces/" + province + "/budget").toString());
        }
        snapshot.put("programs", node.getOk("/programs").toString());
        return snapshot;
    }

    /**
     * Axon's time limits as the ledger runs them: none per handler invocation (each took a full stack trace of its
     * thread at every event and every command), one per unit of work (a command, a processor's batch) still in force.
     */
    @Test
    @Order(5)
    void handlersRunWithoutATimeLimitOfTheirOwnButUnitsOfWorkKeepTheirs() {
        HandlerTimeoutHandlerEnhancerDefinition enhancer = node.bean(HandlerTimeoutHandlerEnhancerDefinition.class);
        List<MessageHandlingMember<?>> members = new ArrayList<>();
        for (Class<?> type : List.of(AlertProjector.class, BudgetProjector.class, CommandProbe.class)) {
            AnnotatedHandlerInspector.inspectType(type)
                    .getAllHandlers()
                    .values()
                    .forEach(members::addAll);
        }
        assertThat(members).anyMatch(m -> m.canHandleMessageType(CommandMessage.class));
        assertThat(members).anyMatch(m -> m.canHandleMessageType(EventMessage.class));
        for (MessageHandlingMember<?> member : members) {
            assertThat(wrap(enhancer, member)).as(member.toString()).isSameAs(member);
        }
        TimeoutProperties timeouts = node.bean(TimeoutProperties.class);
        assertThat(timeouts.isEnabled()).isTrue();
        assertThat(timeouts.getTransaction().getEventProcessors().getTimeoutMs())
                .isPositive();
        assertThat(timeouts.getTransaction().getCommandBus().getTimeoutMs()).isPositive();
    }

    /** A command handler as Axon sees one (an aggregate's handlers need the application's own parameter resolvers). */
    static class CommandProbe {
        @CommandHandler
        void handle(String command) {
            // only inspected, never invoked
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static MessageHandlingMember<?> wrap(
            HandlerTimeoutHandlerEnhancerDefinition enhancer, MessageHandlingMember<?> member) {
        return enhancer.wrapHandler((MessageHandlingMember) member);
    }

    /** A row with its values as text, so that rows read at different times compare by value. */
    private static Map<String, String> comparable(Map<String, Object> row) {
        Map<String, String> values = new TreeMap<>();
        row.forEach((column, value) -> values.put(
                column.toLowerCase(),
                value == null
                        ? null
                        : value instanceof Timestamp t
                                ? t.toInstant().toString()
                                : value instanceof OffsetDateTime o
                                        ? o.toInstant().toString()
                                        : value.toString()));
        return values;
    }

    TrackingEventProcessor alertsProcessor() {
        return node.bean(EventProcessingConfiguration.class)
                .eventProcessor(AlertProjector.PROCESSING_GROUP, TrackingEventProcessor.class)
                .orElseThrow(() -> new AssertionError("no tracking processor 'alerts'"));
    }

    /** Waits until the alerts processor has handled every event appended so far; fails after 30 seconds. */
    void awaitAlerts() {
        TrackingToken headToken = node.bean(EventStorageEngine.class).createHeadToken();
        long head = headToken == null ? -1 : headToken.position().orElse(-1);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            Map<Integer, EventTrackerStatus> segments =
                    new HashMap<>(alertsProcessor().processingStatus());
            List<String> described = new ArrayList<>();
            boolean done = segments.size() == 1;
            for (EventTrackerStatus status : segments.values()) {
                OptionalLong position = status.getCurrentPosition();
                done &= !status.isErrorState() && position.isPresent() && position.getAsLong() >= head;
                described.add("segment " + status.getSegment().getSegmentId() + " at " + position
                        + (status.isErrorState() ? " (error " + status.getError() + ")" : ""));
            }
            if (done) {
                return;
            }
            seen = described.toString();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        fail("the alerts processor did not reach the head of the event store (" + head + ") within 30 s: " + seen);
    }

    private static List<JsonNode> commitmentHigh(JsonNode alerts) {
        return list(alerts).stream()
                .filter(a -> "COMMITMENT_HIGH".equals(a.get("code").asText()))
                .toList();
    }

    private static List<JsonNode> list(JsonNode array) {
        assertThat(array.isArray()).as("a JSON list: %s", array).isTrue();
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private static JsonNode ok(BudgetNode.Answer answer) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        return answer.body();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static VoucherSettings vouchers(int validityDays) {
        return new VoucherSettings(
                Ratio.of("0.5"),
                cny("10000000.00"),
                cny("50000000.00"),
                validityDays,
                List.of("software", "research"),
                Payee.BENEFICIARY);
    }

    static Beneficiary firm(int n, String group) {
        return new Beneficiary(uscc("913401" + String.format("%011d", n)), "Firm " + n, "software", group);
    }

    static String uscc(String first17) {
        return first17 + Uscc.checkCharacter(first17);
    }

    static Money cny(String amount) {
        return Money.of(amount, CurrencyCode.CNY);
    }

    static Money usd(String amount) {
        return Money.of(amount, CurrencyCode.USD);
    }
}
