package org.subsidyledger.api.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.shared.LedgerIndex.ProviderRecord;
import org.subsidyledger.core.shared.References;

/**
 * Fills the normalized keys that V10 added to an existing ledger index (Flyway V11, both vendors; each vendor's
 * package holds a one-line subclass): the legal identity and invoice key of every paid invoice, the contract key of
 * every bound contract, and a {@code lease_month_payment} row for every housing month already paid, read from the log.
 *
 * <p>The keys are computed with ledger-core's {@link References#key}, the one normalizing function the commands use,
 * which SQL alone cannot reproduce (Unicode NFKC). A ledger may already hold two rows that only differ in spelling
 * (paid twice before the rule): the first keeps the key, the later one keeps its row for the record with a NULL key,
 * so V12's unique indexes can be created and no history is rewritten.
 */
public abstract class ReferenceKeysBackfill extends BaseJavaMigration {
    private static final String PAID_TYPE = HousingSubsidyPaid.class.getName();

    @Override
    public void migrate(Context context) {
        JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(context.getConnection(), true));
        invoices(jdbc);
        contracts(jdbc);
        leases(jdbc);
    }

    private static void invoices(JdbcTemplate jdbc) {
        Set<String> seen = new HashSet<>();
        List<Object[]> updates = new ArrayList<>();
        jdbc.query(
                "SELECT i.provider_id, i.invoice_ref, p.country, p.legal_id FROM invoice_payment i"
                        + " LEFT JOIN provider_index p ON p.provider_id = i.provider_id"
                        + " ORDER BY i.program_id, i.voucher_id, i.redemption_id",
                row -> {
                    String providerId = row.getString("provider_id");
                    String identity = row.getString("legal_id") == null
                            ? "provider:" + providerId
                            : ProviderRecord.legalIdentity(row.getString("country"), row.getString("legal_id"));
                    String key = References.key(row.getString("invoice_ref"));
                    if (seen.add(identity + "\u001f" + key)) {
                        updates.add(new Object[] {identity, key, providerId, row.getString("invoice_ref")});
                    }
                });
        jdbc.batchUpdate(
                "UPDATE invoice_payment SET legal_identity = ?, invoice_key = ?"
                        + " WHERE provider_id = ? AND invoice_ref = ?",
                updates);
    }

    private static void contracts(JdbcTemplate jdbc) {
        Set<String> seen = new HashSet<>();
        List<Object[]> updates = new ArrayList<>();
        jdbc.query(
                "SELECT province, provider_id, contract_ref FROM contract_binding"
                        + " ORDER BY province, provider_id, contract_ref",
                row -> {
                    String key = References.key(row.getString("contract_ref"));
                    if (seen.add(
                            row.getString("province") + "\u001f" + row.getString("provider_id") + "\u001f" + key)) {
                        updates.add(new Object[] {
                            key, row.getString("province"), row.getString("provider_id"), row.getString("contract_ref")
                        });
                    }
                });
        jdbc.batchUpdate(
                "UPDATE contract_binding SET contract_key = ?"
                        + " WHERE province = ? AND provider_id = ? AND contract_ref = ?",
                updates);
    }

    private static void leases(JdbcTemplate jdbc) {
        ObjectMapper json = LedgerJson.newMapper();
        Set<String> seen = new HashSet<>();
        List<Object[]> rows = new ArrayList<>();
        jdbc.query(
                "SELECT payload FROM domain_event_entry WHERE payload_type = ? ORDER BY global_index",
                row -> {
                    JsonNode paid;
                    try {
                        paid = json.readTree(row.getBytes("payload"));
                    } catch (IOException e) {
                        throw new UncheckedIOException("a stored HousingSubsidyPaid is not JSON", e);
                    }
                    String leaseRef = paid.path("leaseRef").asText();
                    String month = paid.path("month").asText();
                    String key = References.key(leaseRef);
                    if (seen.add(key + "\u001f" + month)) {
                        rows.add(new Object[] {
                            key,
                            month,
                            leaseRef,
                            paid.path("grantId").asText(),
                            paid.path("programId").asText()
                        });
                    }
                },
                PAID_TYPE);
        jdbc.batchUpdate(
                "INSERT INTO lease_month_payment (lease_key, rent_month, lease_ref, grant_id, program_id)"
                        + " VALUES (?, ?, ?, ?, ?)",
                rows);
    }
}
