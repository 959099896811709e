package org.subsidyledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.subsidyledger.api.support.PostgresDatabase;
import org.subsidyledger.core.shared.LedgerIndex.ContractKey;
import org.subsidyledger.core.shared.LedgerIndex.InvoiceKey;
import org.subsidyledger.core.shared.LedgerIndex.LeaseMonthKey;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;

/**
 * An existing ledger (schema V9, rows written before issue 12's rules) migrates to V10–V12 on both vendors: the
 * normalized keys of its invoices and contracts are filled, the housing months it paid become lease-month rows read
 * from the stored events, the first provider id of a legal identity holds it, and rows that only differ in spelling
 * (paid twice before the rule) are kept for the record while the first holds the key.
 */
class ReferenceKeysMigrationTest {
    private static final String USCC = "91330100MA2C00009X";

    @Test
    void anExistingH2LedgerMigrates() {
        DataSource h2 = new DriverManagerDataSource(
                "jdbc:h2:mem:migrate-" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "sa",
                "");
        migrateAndCheck(h2, "h2");
    }

    @Test
    void anExistingPostgresLedgerMigrates() {
        String database = PostgresDatabase.create("migrate");
        try {
            migrateAndCheck(
                    new DriverManagerDataSource(PostgresDatabase.url(database), PostgresDatabase.USER, ""),
                    "postgresql");
        } finally {
            PostgresDatabase.drop(database);
        }
    }

    private static void migrateAndCheck(DataSource dataSource, String vendor) {
        String location = "classpath:db/migration/" + vendor;
        Flyway.configure()
                .dataSource(dataSource)
                .locations(location)
                .target("9")
                .load()
                .migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        // Before the rules: one firm under two compute ids, one invoice paid twice by spelling, one contract bound
        // twice by spelling, and two housing months paid under one lease written two ways.
        jdbc.update(
                "INSERT INTO provider_index (provider_id, kind, legal_id, corporate_group, country, accredited)"
                        + " VALUES ('cp-1', 'COMPUTE', ?, NULL, 'CN', TRUE), ('cp-2', 'COMPUTE', ?, NULL, 'CN', TRUE)",
                USCC,
                USCC);
        jdbc.update("INSERT INTO invoice_payment (provider_id, invoice_ref, voucher_id, program_id, redemption_id)"
                + " VALUES ('cp-1', 'INV-001', 'v-1', 'p', 'r-1'), ('cp-1', 'inv-001 ', 'v-2', 'p', 'r-2'),"
                + " ('cp-2', 'INV-002', 'v-3', 'p', 'r-3')");
        jdbc.update("INSERT INTO contract_binding (province, provider_id, contract_ref, voucher_id, program_id)"
                + " VALUES ('CN-ZJ', 'cp-1', 'C-1', 'v-1', 'p'), ('CN-ZJ', 'cp-1', 'c-1', 'v-2', 'p')");
        paidEvent(jdbc, 1, "g-1", "2026-07", "ZH-Lease 42");
        paidEvent(jdbc, 2, "g-2", "2026-07", "ｚｈ－ｌｅａｓｅ　４２");
        paidEvent(jdbc, 3, "g-1", "2026-08", "ZH-Lease 42");

        Flyway.configure().dataSource(dataSource).locations(location).load().migrate();

        JdbcLedgerIndex index = new JdbcLedgerIndex(jdbc);
        String identity = "CN:" + USCC;
        assertThat(index.invoicePaid(new InvoiceKey(identity, "Inv-001"))).isTrue();
        assertThat(index.invoicePaid(new InvoiceKey(identity, "inv-002")))
                .as("paid under the second id")
                .isTrue();
        assertThat(index.invoicePaid(new InvoiceKey(identity, "INV-003"))).isFalse();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM invoice_payment WHERE invoice_key IS NULL", Integer.class))
                .as("the later spelling kept for the record without a key")
                .isEqualTo(1);
        assertThat(index.contractHolder(new ContractKey("CN-ZJ", ProviderId.of("cp-1"), " c-1")))
                .isPresent();
        assertThat(index.providerIdOf(identity, ProviderKind.COMPUTE)).contains(ProviderId.of("cp-1"));
        assertThat(index.leaseMonthPaid(new LeaseMonthKey("zh-lease 42", YearMonth.of(2026, 7))))
                .isTrue();
        assertThat(index.leaseMonthPaid(new LeaseMonthKey("ZH-LEASE 42", YearMonth.of(2026, 8))))
                .isTrue();
        assertThat(index.leaseMonthPaid(new LeaseMonthKey("ZH-LEASE 42", YearMonth.of(2026, 9))))
                .isFalse();
        assertThat(jdbc.queryForObject(
                        "SELECT grant_id FROM lease_month_payment WHERE rent_month = '2026-07'", String.class))
                .as("the first payment holds the lease month")
                .isEqualTo("g-1");
        // From now on the keys are the rules.
        assertThatThrownBy(() -> jdbc.update(
                        "INSERT INTO invoice_payment (provider_id, invoice_ref, legal_identity,"
                                + " invoice_key, voucher_id, program_id, redemption_id) VALUES ('cp-2', 'x', ?, 'INV-001', 'v-9', 'p',"
                                + " 'r-9')",
                        identity))
                .isInstanceOf(DuplicateKeyException.class);
    }

    private static void paidEvent(JdbcTemplate jdbc, long sequence, String grantId, String month, String lease) {
        String payload = "{\"programId\":\"gd-zhuhai\",\"province\":\"CN-GD\",\"city\":\"Zhuhai\","
                + "\"programKind\":\"HOUSING_SUBSIDY\",\"currency\":\"CNY\",\"grantId\":\"" + grantId + "\","
                + "\"personRef\":\"p-" + grantId + "\",\"month\":\"" + month + "\",\"grantYear\":1,\"rate\":\"1.0\","
                + "\"rentPaid\":{\"amount\":\"4000.00\",\"currency\":\"CNY\"},\"leaseRef\":\"" + lease + "\","
                + "\"committed\":{\"amount\":\"4000.00\",\"currency\":\"CNY\"},"
                + "\"amount\":{\"amount\":\"4000.00\",\"currency\":\"CNY\"},"
                + "\"released\":{\"amount\":\"0.00\",\"currency\":\"CNY\"}}";
        jdbc.update(
                "INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,"
                        + " meta_data, payload, payload_revision, payload_type, time_stamp)"
                        + " VALUES ('gd-zhuhai', ?, 'Program', ?, NULL, ?, '1', ?, '2026-08-14T02:00:00Z')",
                sequence,
                UUID.randomUUID().toString(),
                payload.getBytes(StandardCharsets.UTF_8),
                "org.subsidyledger.core.housing.HousingEvent$HousingSubsidyPaid");
    }
}
