package org.subsidyledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Constructor;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.SimpleResourceParameterResolverFactory;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.core.housing.HousingCommands.ClaimHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.housing.Recipient;
import org.subsidyledger.core.housing.RecipientCategory;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.program.approval.ApprovalPolicy;
import org.subsidyledger.core.registry.RegistryCommands.AccreditProvider;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.LedgerIndex;
import org.subsidyledger.core.shared.LedgerIndex.ContractKey;
import org.subsidyledger.core.shared.LedgerIndex.InvoiceKey;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.Ratio;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Uscc;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.Payee;
import org.subsidyledger.core.voucher.VoucherCommands.ExpireVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.core.voucher.VoucherCommands.SettleRedemption;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherSettings;
import org.subsidyledger.core.voucher.VoucherStatus;

/**
 * What the durable store must do on every database it supports: each subclass runs these tests against one real
 * database (a fresh one per test) through the real Spring Boot application and Axon's command gateway.
 */
abstract class LedgerStoreContract {
    static final Instant START = Instant.parse("2026-03-10T02:00:00Z");

    static final ProgramId HANGZHOU = ProgramId.of("zj-hangzhou-compute-2026");
    static final ProgramId BEIJING = ProgramId.of("bj-compute-2026");
    static final ProgramId ZHUHAI = ProgramId.of("gd-zhuhai-housing-2026");
    static final ProviderId ALIYUN = ProviderId.of("prov-compute-1");
    static final String PROVIDER_USCC = uscc("91330100MA2C00009");
    static final String FIRM_A = uscc("91330100MA2B00001");
    static final String FIRM_B = uscc("91330100MA2B00002");
    static final String FIRM_C = uscc("91330100MA2B00003");
    static final VoucherId V1 = VoucherId.of("v-1");
    static final VoucherId V2 = VoucherId.of("v-2");
    static final VoucherId V3 = VoucherId.of("v-3");
    static final GrantId G1 = GrantId.of("g-1");

    final MutableClock clock = new MutableClock(START);

    /** Spring properties that point the application at this test's fresh database. */
    abstract Map<String, Object> databaseProperties();

    /** SQL that reads a bytes column as UTF-8 text, as an auditor would. */
    abstract String utf8(String column);

    /** The information_schema data type expected for payload, meta_data and token columns. */
    abstract String binaryColumnType();

    /** Whether a session of this database is waiting inside its INSERT INTO invoice_payment (for another's row). */
    abstract boolean waitsToInsertAnInvoice(JdbcTemplate jdbc);

    LedgerNode start() {
        return start(Map.of());
    }

    LedgerNode start(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(databaseProperties());
        properties.putAll(extra);
        return LedgerNode.start(properties, clock);
    }

    // ---------------------------------------------------------------- the scenario

    @Test
    void storesReadableEventsAndIndexRowsAndSurvivesARestart() throws Exception {
        try (LedgerNode node = start()) {
            assertThat(node.bean(EventProcessingConfiguration.class)
                            .eventProcessor(LedgerIndexProjector.PROCESSING_GROUP, EventProcessor.class))
                    .as("the ledger-index processor")
                    .get()
                    .isInstanceOf(SubscribingEventProcessor.class);
            assertThat(node.bean(LedgerIndex.class)).isSameAs(node.index);

            setUpPrograms(node);
            node.send(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "grp-a"), cny("1000000.00")));
            node.send(new IssueVoucher(BEIJING, V2, firm(FIRM_B, null), cny("500000.00")));
            node.send(new RedeemCompute(
                    HANGZHOU,
                    V1,
                    RedemptionId.of("r-1"),
                    "contract-1",
                    "inv-1",
                    ALIYUN,
                    cny("100000.00"),
                    new BigDecimal("120.5")));
            node.send(new GrantHousingSubsidy(
                    ZHUHAI,
                    G1,
                    new Recipient("talent-001", RecipientCategory.GRADUATE),
                    YearMonth.of(2026, 3),
                    cny("4000.00")));
            assertThat(node.eventCount()).isEqualTo(11);

            // An invoice is paid once nationally: another program, another contract, same invoice.
            node.sendRejected(
                    new RedeemCompute(
                            BEIJING, V2, RedemptionId.of("r-2"), "contract-2", "inv-1", ALIYUN, cny("50000.00"), null),
                    RejectionCode.DUPLICATE_INVOICE);
            // Voucher ids are unique across programs (the API routes /vouchers/{id} by them).
            node.sendRejected(
                    new IssueVoucher(BEIJING, V1, firm(FIRM_C, null), cny("1000.00")), RejectionCode.ALREADY_EXISTS);

            assertEventsAreReadableJson(node);
            assertBinaryColumnsAreNotLargeObjects(node);
            assertEventsReadBackWithJavaTime(node);
            assertIndexRows(node);

            // Expiry through the clock: the sweep query finds the due voucher, ExpireVoucher releases it.
            assertThat(node.index.vouchersDueForExpiry(clock.instant(), 10)).isEmpty();
            clock.advance(Duration.ofDays(31));
            assertThat(node.index.vouchersDueForExpiry(clock.instant(), 10))
                    .extracting(JdbcLedgerIndex.VoucherLocation::voucherId)
                    .containsExactly(V2);
            assertThat((Boolean) node.send(new ExpireVoucher(BEIJING, V2))).isTrue();
            assertThat(node.index.voucher(V2))
                    .get()
                    .extracting(JdbcLedgerIndex.VoucherLocation::status)
                    .isEqualTo(VoucherStatus.EXPIRED);
            assertThat(node.index.vouchersDueForExpiry(clock.instant(), 10)).isEmpty();
            assertThat(node.eventCount()).isEqualTo(12);
        }

        // A new node on the same database: aggregates are rebuilt from the log, the index is still there.
        try (LedgerNode node = start()) {
            node.send(new RedeemCompute(
                    HANGZHOU, V1, RedemptionId.of("r-3"), "contract-1", "inv-2", ALIYUN, cny("200000.00"), null));
            node.sendRejected(
                    new RedeemCompute(
                            HANGZHOU, V1, RedemptionId.of("r-4"), "contract-1", "inv-1", ALIYUN, cny("1000.00"), null),
                    RejectionCode.DUPLICATE_INVOICE);
            node.sendRejected(
                    new RedeemCompute(
                            BEIJING, V2, RedemptionId.of("r-5"), "contract-2", "inv-9", ALIYUN, cny("1000.00"), null),
                    RejectionCode.VOUCHER_EXPIRED);
            node.send(new IssueVoucher(BEIJING, V3, firm(FIRM_C, null), cny("300000.00")));
            node.sendRejected(
                    new RedeemCompute(
                            BEIJING, V3, RedemptionId.of("r-6"), "contract-3", "inv-2", ALIYUN, cny("1000.00"), null),
                    RejectionCode.DUPLICATE_INVOICE);
            // The contract binding of CN-ZJ does not reach CN-BJ; a new invoice on it is fine.
            node.send(new RedeemCompute(
                    BEIJING, V3, RedemptionId.of("r-7"), "contract-1", "inv-3", ALIYUN, cny("1000.00"), null));

            Program.Figures hangzhou = node.program(HANGZHOU, Program::figures);
            assertThat(hangzhou.disbursed()).isEqualTo(cny("90000.00"));
            assertThat(hangzhou.committed()).isEqualTo(cny("910000.00"));
            assertThat(hangzhou.available()).isEqualTo(cny("9000000.00"));
            Program.Figures beijing = node.program(BEIJING, Program::figures);
            assertThat(beijing.released()).isEqualTo(cny("500000.00"));
            assertThat(beijing.disbursed()).isEqualTo(cny("200.00"));
        }
    }

    private void setUpPrograms(LedgerNode node) {
        node.send(new LaunchProgram(
                HANGZHOU,
                "Hangzhou compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-ZJ",
                "Hangzhou",
                CurrencyCode.CNY,
                new VoucherSettings(
                        Ratio.of("0.30"),
                        cny("8000000.00"),
                        cny("8000000.00"),
                        365,
                        List.of("software", "healthcare"),
                        Payee.BENEFICIARY)));
        node.send(new AppropriateFunds(HANGZHOU, cny("10000000.00"), "budget-line-1"));
        node.send(new LaunchProgram(
                BEIJING,
                "Beijing compute vouchers",
                ProgramKind.COMPUTE_VOUCHER,
                "CN-BJ",
                null,
                CurrencyCode.CNY,
                new VoucherSettings(
                        Ratio.of("0.20"),
                        cny("2000000.00"),
                        cny("2000000.00"),
                        30,
                        List.of("software", "manufacturing"),
                        Payee.BENEFICIARY)));
        node.send(new AppropriateFunds(BEIJING, cny("5000000.00"), "budget-line-2"));
        node.send(new LaunchProgram(
                ZHUHAI,
                "Zhuhai talent housing",
                ProgramKind.HOUSING_SUBSIDY,
                "CN-GD",
                "Zhuhai",
                CurrencyCode.CNY,
                new HousingSettings(
                        List.of(Ratio.of("1.0"), Ratio.of("0.7"), Ratio.of("0.5")),
                        cny("5000.00"),
                        cny("120000.00"),
                        3,
                        null)));
        node.send(new AppropriateFunds(ZHUHAI, cny("3000000.00"), "budget-line-3"));
        node.send(new AccreditProvider(ALIYUN, "Aliyun", PROVIDER_USCC, ProviderKind.COMPUTE, "grp-cloud", null));
    }

    private void assertEventsAreReadableJson(LedgerNode node) throws Exception {
        List<Map<String, Object>> rows = node.jdbc.queryForList("SELECT payload_type, payload_revision, "
                + utf8("payload") + " AS payload_json, " + utf8("meta_data") + " AS meta_json"
                + " FROM domain_event_entry ORDER BY global_index");
        assertThat(rows).hasSize(11);
        ObjectMapper json = new ObjectMapper();
        for (Map<String, Object> row : rows) {
            JsonNode payload = json.readTree((String) row.get("payload_json"));
            assertThat(payload.isObject())
                    .as("payload of %s", row.get("payload_type"))
                    .isTrue();
            assertThat(json.readTree((String) row.get("meta_json")).isObject()).isTrue();
            // each event's own @Revision: ProgramLaunched is at 2 (the approval threshold), the others at 1
            assertThat(row.get("payload_revision"))
                    .as("revision of %s", row.get("payload_type"))
                    .isEqualTo(row.get("payload_type").equals(ProgramLaunched.class.getName()) ? "2" : "1");
        }
        Map<String, Object> issued = rows.stream()
                .filter(r -> r.get("payload_type").equals(VoucherIssued.class.getName()))
                .findFirst()
                .orElseThrow();
        JsonNode voucher = json.readTree((String) issued.get("payload_json"));
        assertThat(voucher.get("expiresAt").asText()).isEqualTo("2027-03-10T02:00:00Z");
        assertThat(voucher.get("faceValue").toString()).isEqualTo("{\"amount\":\"1000000.00\",\"currency\":\"CNY\"}");
        assertThat(voucher.get("coverageRatio").asText()).isEqualTo("0.30");
        Map<String, Object> granted = rows.stream()
                .filter(r -> r.get("payload_type").equals(HousingSubsidyGranted.class.getName()))
                .findFirst()
                .orElseThrow();
        JsonNode grant = json.readTree((String) granted.get("payload_json"));
        assertThat(grant.get("startMonth").asText()).isEqualTo("2026-03");
        assertThat(grant.get("schedule").get(1).get("month").asText()).isEqualTo("2026-04");
        // time_stamp is the event clock's instant, in ISO-8601.
        assertThat(node.jdbc.queryForObject("SELECT MIN(time_stamp) FROM domain_event_entry", String.class))
                .isEqualTo("2026-03-10T02:00:00.000Z");
    }

    private void assertBinaryColumnsAreNotLargeObjects(LedgerNode node) {
        List<Map<String, Object>> columns = node.jdbc.queryForList("SELECT table_name, column_name, data_type"
                + " FROM information_schema.columns WHERE LOWER(table_name) IN"
                + " ('domain_event_entry', 'snapshot_event_entry', 'token_entry')"
                + " AND LOWER(column_name) IN ('payload', 'meta_data', 'token')");
        assertThat(columns).hasSize(5);
        assertThat(columns)
                .allSatisfy(c -> assertThat(((String) c.get("data_type")).toLowerCase())
                        .as("%s.%s", c.get("table_name"), c.get("column_name"))
                        .isEqualTo(binaryColumnType()));
    }

    /**
     * The program's snapshot row, once the snapshot thread has written it (snapshots are taken after the triggering
     * command is answered).
     */
    private static Map<String, Object> awaitSnapshot(LedgerNode node, ProgramId program) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<Map<String, Object>> rows = node.jdbc.queryForList(
                    "SELECT sequence_number, payload_type, payload_revision, payload FROM snapshot_event_entry"
                            + " WHERE aggregate_identifier = ?",
                    program.value());
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            assertThat(System.nanoTime())
                    .as("snapshot of %s within 30 s", program)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private void assertEventsReadBackWithJavaTime(LedgerNode node) {
        List<? extends DomainEventMessage<?>> hangzhou =
                node.storageEngine().readEvents(HANGZHOU.value(), 0).asStream().toList();
        VoucherIssued issued = hangzhou.stream()
                .map(EventMessage::getPayload)
                .filter(VoucherIssued.class::isInstance)
                .map(VoucherIssued.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(issued.expiresAt()).isEqualTo(Instant.parse("2027-03-10T02:00:00Z"));
        assertThat(issued.faceValue()).isEqualTo(cny("1000000.00"));
        assertThat(issued.beneficiary()).isEqualTo(firm(FIRM_A, "grp-a"));
        assertThat(hangzhou.get(0).getTimestamp()).isEqualTo(START);

        HousingSubsidyGranted granted = (HousingSubsidyGranted) node.storageEngine()
                .readEvents(ZHUHAI.value(), 0)
                .asStream()
                .map(EventMessage::getPayload)
                .filter(HousingSubsidyGranted.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertThat(granted.startMonth()).isEqualTo(YearMonth.of(2026, 3));
        assertThat(granted.schedule()).hasSize(36); // 12 × 4,000 + 12 × 2,800 + 12 × 2,000 = 105,600 ≤ 120,000
        assertThat(granted.schedule().get(12).month()).isEqualTo(YearMonth.of(2027, 3));

        // The tracking read (what tracking processors use, with gap-aware tokens) sees every committed event.
        assertThat(node.storageEngine()
                        .readEvents(null, false)
                        .map(e -> e.getIdentifier())
                        .toList())
                .hasSize(11);
    }

    private void assertIndexRows(LedgerNode node) {
        JdbcLedgerIndex index = node.index;
        assertThat(index.provider(ALIYUN))
                .get()
                .isEqualTo(new LedgerIndex.ProviderRecord(
                        ALIYUN, ProviderKind.COMPUTE, PROVIDER_USCC, "grp-cloud", "CN", true));
        assertThat(index.contractHolder(new ContractKey("CN-ZJ", ALIYUN, "contract-1")))
                .contains(V1);
        assertThat(index.contractHolder(new ContractKey("CN-BJ", ALIYUN, "contract-2")))
                .isEmpty();
        String aliyun = LedgerIndex.ProviderRecord.legalIdentity("CN", PROVIDER_USCC);
        assertThat(index.invoicePaid(new InvoiceKey(aliyun, "inv-1"))).isTrue();
        assertThat(index.invoicePaid(new InvoiceKey(aliyun, " INV-1 ")))
                .as("compared normalized")
                .isTrue();
        assertThat(index.invoicePaid(new InvoiceKey(aliyun, "inv-2"))).isFalse();
        assertThat(index.contractHolder(new ContractKey("CN-ZJ", ALIYUN, "CONTRACT-1")))
                .contains(V1);
        assertThat(index.providerIdOf(aliyun, ProviderKind.COMPUTE)).contains(ALIYUN);
        assertThat(index.providerIdOf(aliyun, ProviderKind.MODEL_VENDOR)).isEmpty();
        assertThat(index.groupMembers("CN-ZJ", "grp-a")).containsExactly(FIRM_A);
        assertThat(index.boundGroup("CN-ZJ", FIRM_A)).contains("grp-a");
        assertThat(index.boundGroup("CN-BJ", FIRM_A)).isEmpty();
        assertThat(index.programOfVoucher(V1)).contains(HANGZHOU);
        assertThat(index.programOfVoucher(V2)).contains(BEIJING);
        assertThat(index.programOfGrant(G1)).contains(ZHUHAI);
        assertThat(index.voucher(V1))
                .get()
                .isEqualTo(new JdbcLedgerIndex.VoucherLocation(
                        V1, HANGZHOU, Instant.parse("2027-03-10T02:00:00Z"), VoucherStatus.ACTIVE));
        assertThat(node.jdbc.queryForObject("SELECT COUNT(*) FROM voucher_location", Integer.class))
                .isEqualTo(2);
        assertThat(node.jdbc.queryForMap(
                        "SELECT voucher_id, program_id, redemption_id FROM invoice_payment"
                                + " WHERE provider_id = ? AND invoice_ref = ?",
                        ALIYUN.value(),
                        "inv-1"))
                .containsEntry("voucher_id", "v-1")
                .containsEntry("program_id", HANGZHOU.value())
                .containsEntry("redemption_id", "r-1");
    }

    // ---------------------------------------------------------------- two nodes racing on one invoice

    /**
     * Another node's transaction has paid invoice inv-race and not committed yet. This node's redemption of the same
     * invoice passes the index lookup (it cannot see the uncommitted row), appends its event, then waits on the
     * primary key of invoice_payment; when the other commits, it fails, its event is rolled back and the command is
     * rejected with DUPLICATE_INVOICE.
     */
    @Test
    void aRedemptionRacingAnotherNodeOnTheSameInvoiceFailsOnThePrimaryKey() throws Exception {
        try (LedgerNode node = start()) {
            setUpPrograms(node);
            node.send(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, null), cny("1000000.00")));
            long before = node.eventCount();
            try (Connection otherNode = node.bean(DataSource.class).getConnection()) {
                otherNode.setAutoCommit(false);
                try (PreparedStatement insert = otherNode.prepareStatement(
                        "INSERT INTO invoice_payment"
                                + " (provider_id, invoice_ref, voucher_id, program_id, redemption_id) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, ALIYUN.value());
                    insert.setString(2, "inv-race");
                    insert.setString(3, "v-elsewhere");
                    insert.setString(4, "zj-other-program");
                    insert.setString(5, "r-elsewhere");
                    insert.executeUpdate();
                }
                CompletableFuture<Object> redemption = CompletableFuture.supplyAsync(() -> node.send(new RedeemCompute(
                        HANGZHOU,
                        V1,
                        RedemptionId.of("r-race"),
                        "contract-race",
                        "inv-race",
                        ALIYUN,
                        cny("1000.00"),
                        null)));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
                while (!redemption.isDone() && !waitsToInsertAnInvoice(node.jdbc) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(redemption)
                        .as("the redemption waits for the other node's transaction")
                        .isNotDone();
                otherNode.commit();
                try {
                    redemption.get(10, TimeUnit.SECONDS);
                    fail("the racing redemption was accepted");
                } catch (ExecutionException e) {
                    assertThat(LedgerNode.rejectionIn(e.getCause())).isEqualTo(RejectionCode.DUPLICATE_INVOICE);
                }
            }
            assertThat(node.eventCount())
                    .as("events left by the failed transaction")
                    .isEqualTo(before);
            assertThat(node.index.contractHolder(new ContractKey("CN-ZJ", ALIYUN, "contract-race")))
                    .isEmpty();
            // The voucher's stream is intact: the next redemption takes the sequence number the failed one had.
            node.send(new RedeemCompute(
                    HANGZHOU,
                    V1,
                    RedemptionId.of("r-next"),
                    "contract-race",
                    "inv-next",
                    ALIYUN,
                    cny("1000.00"),
                    null));
            assertThat(node.eventCount()).isEqualTo(before + 1);
        }
    }

    /**
     * DESIGN §2's trap: a transaction takes global index k, another takes k + 1 and commits first. A tracking reader
     * (what every tracking processor runs on) that has read k + 1 must still deliver k once it commits, late.
     */
    @Test
    void aTrackingReaderDeliversAnEventCommittedAfterALaterIndex() throws Exception {
        try (LedgerNode node = start()) {
            setUpPrograms(node);
            node.send(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, null), cny("1000000.00")));
            try (Connection otherNode = node.bean(DataSource.class).getConnection()) {
                otherNode.setAutoCommit(false);
                // Holds the redemption below inside its transaction, after its event row took a global index.
                try (PreparedStatement insert = otherNode.prepareStatement(
                        "INSERT INTO invoice_payment"
                                + " (provider_id, invoice_ref, voucher_id, program_id, redemption_id) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, ALIYUN.value());
                    insert.setString(2, "inv-late");
                    insert.setString(3, "v-elsewhere");
                    insert.setString(4, "zj-other-program");
                    insert.setString(5, "r-elsewhere");
                    insert.executeUpdate();
                }
                CompletableFuture<Object> late = CompletableFuture.supplyAsync(() -> node.send(new RedeemCompute(
                        HANGZHOU,
                        V1,
                        RedemptionId.of("r-late"),
                        "contract-late",
                        "inv-late",
                        ALIYUN,
                        cny("1000.00"),
                        null)));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
                while (!late.isDone() && !waitsToInsertAnInvoice(node.jdbc) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(late).isNotDone();
                node.send(new AppropriateFunds(BEIJING, cny("1.00"), "budget-line-late")); // takes k + 1, commits

                List<? extends TrackedEventMessage<?>> first =
                        node.storageEngine().readEvents(null, false).toList();
                assertThat(first)
                        .extracting(m -> m.getPayloadType().getSimpleName())
                        .contains("FundsAppropriated")
                        .doesNotContain("ComputeRedeemed");
                TrackingToken position = first.get(first.size() - 1).trackingToken();

                otherNode.rollback(); // the other node gives up: the held redemption goes on and commits index k
                late.get(10, TimeUnit.SECONDS);
                List<? extends TrackedEventMessage<?>> rest =
                        node.storageEngine().readEvents(position, false).toList();
                assertThat(rest)
                        .extracting(m -> m.getPayloadType().getSimpleName())
                        .containsExactly("ComputeRedeemed");
            }
        }
    }

    /**
     * Two nodes on one database appending to one program at once: optimistic locking on (aggregate, sequence) lets
     * one win each race, the loser gets Axon's ConcurrencyException and retries (as the API does), and the log ends
     * with every accepted event, contiguous sequences and a budget that adds up.
     */
    @Test
    void twoNodesAppendingToOneProgramAtOnceLoseNothing() throws Exception {
        try (LedgerNode first = start();
                LedgerNode second = start()) {
            setUpPrograms(first);
            int perNode = 12;
            CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> issueMany(first, "a", perNode));
            CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> issueMany(second, "b", perNode));
            int conflicts = a.get(60, TimeUnit.SECONDS) + b.get(60, TimeUnit.SECONDS);

            List<Long> sequences = first.jdbc.queryForList(
                    "SELECT sequence_number FROM domain_event_entry"
                            + " WHERE aggregate_identifier = ? ORDER BY global_index",
                    Long.class,
                    HANGZHOU.value());
            assertThat(sequences).hasSize(2 + 2 * perNode);
            for (int i = 0; i < sequences.size(); i++) {
                assertThat(sequences.get(i))
                        .as("sequence at position %d (%d conflicts retried)", i, conflicts)
                        .isEqualTo(i);
            }
            assertThat(first.index.vouchersDueForExpiry(clock.instant().plus(Duration.ofDays(400)), 100))
                    .hasSize(2 * perNode);
            assertThat(second.program(HANGZHOU, Program::figures).committed())
                    .isEqualTo(cny(2 * perNode * 1000 + ".00"));
            assertThat(first.storageEngine().readEvents(null, false).count()).isEqualTo(first.eventCount());
        }
    }

    private static int issueMany(LedgerNode node, String prefix, int count) {
        int conflicts = 0;
        for (int i = 0; i < count; i++) {
            IssueVoucher issue = new IssueVoucher(
                    HANGZHOU,
                    VoucherId.of("v-" + prefix + i),
                    firm(uscc("9133010" + (prefix.equals("a") ? "1" : "2") + String.format("%09d", i)), null),
                    cny("1000.00"));
            for (int attempt = 0; ; attempt++) {
                try {
                    node.send(issue);
                    break;
                } catch (RuntimeException e) {
                    if (!isConcurrencyConflict(e) || attempt == 20) {
                        throw e;
                    }
                    conflicts++;
                }
            }
        }
        return conflicts;
    }

    private static boolean isConcurrencyConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- snapshots

    @Test
    void snapshotsProgramsAndLoadsThemBack() throws Exception {
        Map<String, Object> threshold = Map.of("ledger.store.program-snapshot-threshold", "5");
        try (LedgerNode node = start(threshold)) {
            setUpPrograms(node);
            node.send(new IssueVoucher(HANGZHOU, V1, firm(FIRM_A, "grp-a"), cny("1000000.00")));
            node.send(new RedeemCompute(
                    HANGZHOU,
                    V1,
                    RedemptionId.of("r-1"),
                    "contract-1",
                    "inv-1",
                    ALIYUN,
                    cny("100000.00"),
                    new BigDecimal("12.25")));
            node.send(new RedeemCompute(
                    HANGZHOU, V1, RedemptionId.of("r-2"), "contract-1", "inv-2", ALIYUN, cny("10000.00"), null));
            node.send(new SettleRedemption(HANGZHOU, V1, RedemptionId.of("r-1"), "payment-1"));
            node.send(new GrantHousingSubsidy(
                    ZHUHAI,
                    G1,
                    new Recipient("talent-001", RecipientCategory.FOUNDER),
                    YearMonth.of(2026, 1),
                    cny("4500.00")));
            node.send(new ClaimHousingSubsidy(ZHUHAI, G1, YearMonth.of(2026, 1), cny("4500.00"), "lease-1"));
            node.send(new ClaimHousingSubsidy(ZHUHAI, G1, YearMonth.of(2026, 2), cny("4000.00"), "lease-1"));
            node.send(new ClaimHousingSubsidy(ZHUHAI, G1, YearMonth.of(2026, 3), cny("4500.00"), "lease-1"));

            for (ProgramId program : List.of(HANGZHOU, ZHUHAI)) {
                Map<String, Object> row = awaitSnapshot(node, program);
                long sequence = ((Number) row.get("sequence_number")).longValue();
                assertThat(sequence).as("snapshot of %s", program).isGreaterThanOrEqualTo(4);
                assertThat(row.get("payload_type")).isEqualTo(Program.class.getName());
                assertThat((String) row.get("payload_revision")).startsWith("shape-");
                Program snapshot = readSnapshot(node, program, row);
                assertThat(tree(snapshot))
                        .as("snapshot of %s equals the state rebuilt from its events", program)
                        .isEqualTo(tree(replay(node, program, sequence)));
            }
            Program zhuhai = replay(node, ZHUHAI, Long.MAX_VALUE);
            assertThat(zhuhai.figures().disbursed()).isEqualTo(cny("13000.00"));

            // Loads after the snapshot: the snapshot plus later events equals the whole log.
            node.send(new RedeemCompute(
                    HANGZHOU, V1, RedemptionId.of("r-3"), "contract-1", "inv-3", ALIYUN, cny("1000.00"), null));
            node.sendRejected(
                    new RedeemCompute(
                            HANGZHOU, V1, RedemptionId.of("r-4"), "contract-1", "inv-2", ALIYUN, cny("1000.00"), null),
                    RejectionCode.DUPLICATE_INVOICE);
            node.sendRejected(
                    new ClaimHousingSubsidy(ZHUHAI, G1, YearMonth.of(2026, 2), cny("4000.00"), "lease-1"),
                    RejectionCode.DUPLICATE_CLAIM);
            for (ProgramId program : List.of(HANGZHOU, ZHUHAI)) {
                assertThat(tree(node.program(program, p -> p))).isEqualTo(tree(replay(node, program, Long.MAX_VALUE)));
            }

            // A snapshot of another shape (an older build's) is ignored: the program is rebuilt from its events.
            node.jdbc.update(
                    "UPDATE snapshot_event_entry SET payload_revision = 'shape-0000000000000000', payload = ?"
                            + " WHERE aggregate_identifier = ?",
                    "{\"programId\":\"broken\"}".getBytes(StandardCharsets.UTF_8),
                    HANGZHOU.value());
            assertThat(tree(node.program(HANGZHOU, p -> p))).isEqualTo(tree(replay(node, HANGZHOU, Long.MAX_VALUE)));
        }
        // And after a restart, from the database alone.
        try (LedgerNode node = start(threshold)) {
            node.sendRejected(
                    new RedeemCompute(
                            HANGZHOU, V1, RedemptionId.of("r-5"), "contract-1", "inv-1", ALIYUN, cny("1000.00"), null),
                    RejectionCode.DUPLICATE_INVOICE);
            node.sendRejected(
                    new ClaimHousingSubsidy(ZHUHAI, G1, YearMonth.of(2026, 3), cny("4500.00"), "lease-1"),
                    RejectionCode.DUPLICATE_CLAIM);
            node.send(new RedeemCompute(
                    HANGZHOU, V1, RedemptionId.of("r-6"), "contract-1", "inv-6", ALIYUN, cny("1000.00"), null));
            assertThat(tree(node.program(HANGZHOU, p -> p))).isEqualTo(tree(replay(node, HANGZHOU, Long.MAX_VALUE)));
        }
    }

    private static Program readSnapshot(LedgerNode node, ProgramId program, Map<String, Object> row) {
        SimpleSerializedObject<byte[]> serialized = new SimpleSerializedObject<>(
                (byte[]) row.get("payload"), byte[].class, (String) row.get("payload_type"), (String)
                        row.get("payload_revision"));
        try {
            return node.serializer().deserialize(serialized);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new AssertionError(
                    "Jackson cannot read the snapshot of " + program + ": " + root + "\nJSON: "
                            + new String((byte[]) row.get("payload"), StandardCharsets.UTF_8),
                    e);
        }
    }

    /** The program rebuilt from its events alone (no snapshot), up to and including {@code upToSequence}. */
    private static Program replay(LedgerNode node, ProgramId program, long upToSequence) throws Exception {
        List<? extends DomainEventMessage<?>> events = node.storageEngine()
                .readEvents(program.value(), 0)
                .asStream()
                .filter(e -> e.getSequenceNumber() <= upToSequence)
                .toList();
        AggregateModel<Program> model = AnnotatedAggregateMetaModelFactory.inspectAggregate(
                Program.class,
                MultiParameterResolverFactory.ordered(
                        ClasspathParameterResolverFactory.forClass(Program.class),
                        new SimpleResourceParameterResolverFactory(Set.of(node.index, ApprovalPolicy.standard()))));
        Constructor<Program> constructor = Program.class.getDeclaredConstructor();
        constructor.setAccessible(true);
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            EventSourcedAggregate<Program> aggregate = EventSourcedAggregate.initialize(
                    constructor.newInstance(), model, null, NoSnapshotTriggerDefinition.TRIGGER);
            aggregate.initializeState(DomainEventStream.of(events.stream()));
            return aggregate.getAggregateRoot();
        } finally {
            unitOfWork.rollback();
        }
    }

    private static JsonNode tree(Program program) {
        return LedgerJson.newMapper().valueToTree(program);
    }

    // ---------------------------------------------------------------- data

    static Money cny(String amount) {
        return Money.of(amount, CurrencyCode.CNY);
    }

    static Beneficiary firm(String uscc, String group) {
        return new Beneficiary(uscc, "Firm " + uscc.substring(10), "software", group);
    }

    static String uscc(String first17) {
        return first17 + Uscc.checkCharacter(first17);
    }
}
