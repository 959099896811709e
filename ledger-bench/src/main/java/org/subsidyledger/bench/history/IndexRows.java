package org.subsidyledger.bench.history;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.core.program.ProgramEvent;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccredited;
import org.subsidyledger.core.shared.LedgerIndex.ProviderRecord;
import org.subsidyledger.core.shared.References;
import org.subsidyledger.core.voucher.VoucherEvent;
import org.subsidyledger.core.voucher.VoucherEvent.Redeemed;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;

/**
 * The rows the ledger's subscribing {@code ledger-index} processor (LedgerIndexProjector, HistoryProjector) writes for
 * the events the generator makes — provider, program and voucher locations, contract bindings, paid invoices, and the
 * entity history — as one batched insert per table and batch of events. Only the event kinds the generator writes are
 * handled; anything else fails loudly rather than leaving the index incomplete.
 */
final class IndexRows {
    private final JdbcTemplate jdbc;
    private final Set<String> boundContracts = new HashSet<>();
    /** Each provider's legal identity, the key of its paid invoices (SPEC §11: one invoice, one payment per firm). */
    private final Map<String, String> identities = new HashMap<>();

    IndexRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void write(List<EventMessage<?>> events) {
        List<Object[]> providers = new ArrayList<>();
        List<Object[]> providerIdentities = new ArrayList<>();
        List<Object[]> programs = new ArrayList<>();
        List<Object[]> vouchers = new ArrayList<>();
        List<Object[]> contracts = new ArrayList<>();
        List<Object[]> invoices = new ArrayList<>();
        List<Object[]> history = new ArrayList<>();
        for (EventMessage<?> message : events) {
            DomainEventMessage<?> event = (DomainEventMessage<?>) message;
            Object payload = event.getPayload();
            if (payload instanceof ProviderAccredited p) {
                providers.add(new Object[] {p.providerId().value(), p.kind().name(), p.id(), p.group(), p.country()});
                String identity = ProviderRecord.legalIdentity(p.country(), p.id());
                identities.put(p.providerId().value(), identity);
                providerIdentities.add(
                        new Object[] {identity, p.kind().name(), p.providerId().value()});
            } else if (payload instanceof ProgramLaunched p) {
                programs.add(new Object[] {p.programId().value(), p.province()});
            } else if (payload instanceof VoucherIssued v) {
                if (v.corporateGroup() != null) {
                    throw new IllegalArgumentException("The generator writes no corporate groups");
                }
                vouchers.add(new Object[] {
                    v.voucherId().value(), v.programId().value(), Timestamp.from(v.expiresAt()), "ACTIVE"
                });
            } else if (payload instanceof Redeemed r) {
                if (r.remaining().isZero()) {
                    throw new IllegalArgumentException("The generator exhausts no voucher");
                }
                if (boundContracts.add(r.province() + "|" + r.providerId().value() + "|" + r.contractRef())) {
                    contracts.add(new Object[] {
                        r.province(),
                        r.providerId().value(),
                        r.contractRef(),
                        References.key(r.contractRef()),
                        r.voucherId().value(),
                        r.programId().value()
                    });
                }
                String identity = identities.get(r.providerId().value());
                if (identity == null) {
                    throw new IllegalArgumentException(
                            "Redemption with provider " + r.providerId() + " before the provider was accredited");
                }
                invoices.add(new Object[] {
                    r.providerId().value(),
                    r.invoiceRef(),
                    identity,
                    References.key(r.invoiceRef()),
                    r.voucherId().value(),
                    r.programId().value(),
                    r.redemptionId().value()
                });
            } else if (!(payload instanceof ProgramEvent.FundsAppropriated)) {
                throw new IllegalArgumentException(
                        "No index rows known for " + payload.getClass().getName());
            }
            if (payload instanceof VoucherEvent v) {
                history.add(new Object[] {
                    "VOUCHER", v.voucherId().value(), event.getAggregateIdentifier(), event.getSequenceNumber()
                });
            }
        }
        batch(
                "INSERT INTO provider_index (provider_id, kind, legal_id, corporate_group, country, accredited)"
                        + " VALUES (?, ?, ?, ?, ?, TRUE)",
                providers);
        batch("INSERT INTO provider_identity (legal_identity, kind, provider_id) VALUES (?, ?, ?)", providerIdentities);
        batch("INSERT INTO program_location (program_id, province) VALUES (?, ?)", programs);
        batch(
                "INSERT INTO voucher_location (voucher_id, program_id, expires_at, status) VALUES (?, ?, ?, ?)",
                vouchers);
        batch(
                "INSERT INTO contract_binding (province, provider_id, contract_ref, contract_key, voucher_id,"
                        + " program_id) VALUES (?, ?, ?, ?, ?, ?)",
                contracts);
        batch(
                "INSERT INTO invoice_payment (provider_id, invoice_ref, legal_identity, invoice_key, voucher_id,"
                        + " program_id, redemption_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                invoices);
        batch(
                "INSERT INTO entity_event (entity_kind, entity_id, program_id, sequence_number) VALUES (?, ?, ?, ?)",
                history);
    }

    private void batch(String sql, List<Object[]> rows) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows);
        }
    }
}
