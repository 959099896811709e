package org.subsidyledger.api.store;

import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.program.ProgramEvent;
import org.subsidyledger.core.registry.RegistryEvent.ModelDeregistered;
import org.subsidyledger.core.registry.RegistryEvent.ModelRegistered;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccreditationWithdrawn;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccredited;
import org.subsidyledger.core.shared.LedgerIndex.ContractKey;
import org.subsidyledger.core.shared.LedgerIndex.ProviderRecord;
import org.subsidyledger.core.shared.References;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.VoucherEvent.Redeemed;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;
import org.subsidyledger.core.voucher.VoucherStatus;

/**
 * Keeps the ledger index ({@link JdbcLedgerIndex}) in step with the log.
 *
 * <p>It belongs to the processing group {@value #PROCESSING_GROUP}, which {@link StoreConfiguration} makes a
 * <em>subscribing</em> processor that propagates errors: each handler runs in the command's unit of work, after the
 * event rows were inserted and before the transaction commits. A row written here therefore commits with its event or
 * not at all, and a handler that fails rolls the events back too.
 *
 * <p>The primary keys carry the rules that span aggregates. When two nodes redeem the same invoice at once, both pass
 * the index lookup (neither sees the other's uncommitted row); the second to insert waits for the first, then fails on
 * {@code invoice_payment}'s primary key, and its command is rejected with {@code DUPLICATE_INVOICE} and appends
 * nothing. The same holds for a contract ({@code DUPLICATE_CONTRACT}) and for voucher and grant ids, which must be
 * unique across programs because the API routes {@code /vouchers/{id}} by them ({@code ALREADY_EXISTS}). A conflict
 * that is not a final answer (a corporate group recorded concurrently, a lock the database gave up on) is reported as
 * Axon's {@link ConcurrencyException}, like two nodes appending to one aggregate: the command may be retried.
 */
@ProcessingGroup(LedgerIndexProjector.PROCESSING_GROUP)
public class LedgerIndexProjector {
    public static final String PROCESSING_GROUP = "ledger-index";

    private final JdbcTemplate jdbc;
    private final JdbcLedgerIndex index;

    public LedgerIndexProjector(JdbcTemplate jdbc, JdbcLedgerIndex index) {
        this.jdbc = jdbc;
        this.index = index;
    }

    // ---------------------------------------------------------------- registries

    @EventHandler
    void on(ProviderAccredited event) {
        index.forgetProvider(event.providerId());
        // A withdrawn provider may be accredited again: the row is replaced by the new accreditation.
        int updated = write(() -> jdbc.update(
                "UPDATE provider_index SET kind = ?, legal_id = ?, corporate_group = ?,"
                        + " country = ?, accredited = TRUE WHERE provider_id = ?",
                event.kind().name(),
                event.id(),
                event.group(),
                event.country(),
                event.providerId().value()));
        if (updated == 0) {
            insertOrReject(
                    RejectionCode.ALREADY_EXISTS,
                    "Provider " + event.providerId() + " is already accredited.",
                    "INSERT INTO provider_index (provider_id, kind, legal_id, corporate_group, country, accredited)"
                            + " VALUES (?, ?, ?, ?, ?, TRUE)",
                    event.providerId().value(),
                    event.kind().name(),
                    event.id(),
                    event.group(),
                    event.country());
        }
        // One provider id per legal identity and kind (SPEC §11); the key stops two ids accredited at once.
        String identity = ProviderRecord.legalIdentity(event.country(), event.id());
        List<String> holder = write(() -> jdbc.queryForList(
                "SELECT provider_id FROM provider_identity" + " WHERE legal_identity = ? AND kind = ?",
                String.class,
                identity,
                event.kind().name()));
        String duplicate = "Legal identity " + event.id() + " is already accredited as " + event.kind()
                + " under another provider id.";
        if (holder.isEmpty()) {
            insertOrReject(
                    RejectionCode.ALREADY_EXISTS,
                    duplicate,
                    "INSERT INTO provider_identity (legal_identity, kind, provider_id) VALUES (?, ?, ?)",
                    identity,
                    event.kind().name(),
                    event.providerId().value());
        } else if (!holder.get(0).equals(event.providerId().value())) {
            throw Rules.rejection(RejectionCode.ALREADY_EXISTS, duplicate);
        }
    }

    @EventHandler
    void on(ProviderAccreditationWithdrawn event) {
        index.forgetProvider(event.providerId());
        write(() -> jdbc.update(
                "UPDATE provider_index SET accredited = FALSE WHERE provider_id = ?",
                event.providerId().value()));
    }

    @EventHandler
    void on(ModelRegistered event) {
        int updated = write(() -> jdbc.update(
                "UPDATE model_index SET vendor_id = ?, country = ?, registered = TRUE" + " WHERE filing_no = ?",
                event.vendorId().value(),
                event.country(),
                event.filingNo().value()));
        if (updated == 0) {
            insertOrReject(
                    RejectionCode.ALREADY_EXISTS,
                    "Model " + event.filingNo() + " is already registered.",
                    "INSERT INTO model_index (filing_no, vendor_id, country, registered) VALUES (?, ?, ?, TRUE)",
                    event.filingNo().value(),
                    event.vendorId().value(),
                    event.country());
        }
    }

    @EventHandler
    void on(ModelDeregistered event) {
        write(() -> jdbc.update(
                "UPDATE model_index SET registered = FALSE WHERE filing_no = ?",
                event.filingNo().value()));
    }

    // ---------------------------------------------------------------- programs

    @EventHandler
    void on(ProgramEvent.ProgramLaunched event) {
        insertOrReject(
                RejectionCode.ALREADY_EXISTS,
                "Program " + event.programId() + " already exists.",
                "INSERT INTO program_location (program_id, province) VALUES (?, ?)",
                event.programId().value(),
                event.province());
    }

    // ---------------------------------------------------------------- vouchers

    @EventHandler
    void on(VoucherIssued event) {
        insertOrReject(
                RejectionCode.ALREADY_EXISTS,
                "Voucher id " + event.voucherId() + " is already used; voucher ids are unique across programs.",
                "INSERT INTO voucher_location (voucher_id, program_id, expires_at, status) VALUES (?, ?, ?, ?)",
                event.voucherId().value(),
                event.programId().value(),
                event.expiresAt().atOffset(ZoneOffset.UTC),
                VoucherStatus.ACTIVE.name());
        if (event.corporateGroup() != null) {
            bindGroup(event.province(), event.beneficiary().id(), event.corporateGroup());
        }
    }

    /** Both kinds of redemption: bind the contract to this voucher, mark the invoice paid, track exhaustion. */
    @EventHandler
    void on(Redeemed event) {
        String contractKey = References.key(event.contractRef());
        List<String> holder = index.holderSeen(
                        new ContractKey(event.province(), event.providerId(), event.contractRef()))
                .map(seen -> seen.map(VoucherId::value).stream().toList())
                .orElseGet(() -> write(() -> jdbc.queryForList(
                        "SELECT voucher_id FROM contract_binding"
                                + " WHERE province = ? AND provider_id = ? AND contract_key = ?",
                        String.class,
                        event.province(),
                        event.providerId().value(),
                        contractKey)));
        String duplicateContract = "Contract " + event.contractRef() + " with provider " + event.providerId()
                + " is already bound to another voucher.";
        if (holder.isEmpty()) {
            insertOrReject(
                    RejectionCode.DUPLICATE_CONTRACT,
                    duplicateContract,
                    "INSERT INTO contract_binding (province, provider_id, contract_ref, contract_key, voucher_id,"
                            + " program_id) VALUES (?, ?, ?, ?, ?, ?)",
                    event.province(),
                    event.providerId().value(),
                    event.contractRef(),
                    contractKey,
                    event.voucherId().value(),
                    event.programId().value());
        } else if (!holder.get(0).equals(event.voucherId().value())) {
            // Bound after the command's lookup, by a transaction that committed in between.
            throw Rules.rejection(RejectionCode.DUPLICATE_CONTRACT, duplicateContract);
        }
        // Keyed on the provider's legal identity: one firm's invoice is paid once under all of its provider ids. The
        // record is the one the command decided on, read in this unit of work.
        String identity = write(() -> index.provider(event.providerId()))
                .map(ProviderRecord::legalIdentity)
                .orElseThrow(() -> new IllegalStateException(
                        "Provider " + event.providerId() + " of a redemption is not in the index"));
        insertOrReject(
                RejectionCode.DUPLICATE_INVOICE,
                "Invoice " + event.invoiceRef() + " of provider " + event.providerId() + " was already paid.",
                "INSERT INTO invoice_payment (provider_id, invoice_ref, legal_identity, invoice_key, voucher_id,"
                        + " program_id, redemption_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                event.providerId().value(),
                event.invoiceRef(),
                identity,
                References.key(event.invoiceRef()),
                event.voucherId().value(),
                event.programId().value(),
                event.redemptionId().value());
        if (event.remaining().isZero()) {
            setStatus(event.voucherId().value(), VoucherStatus.EXHAUSTED);
        }
    }

    @EventHandler
    void on(VoucherRevoked event) {
        setStatus(event.voucherId().value(), VoucherStatus.REVOKED);
    }

    @EventHandler
    void on(VoucherExpired event) {
        setStatus(event.voucherId().value(), VoucherStatus.EXPIRED);
    }

    // ---------------------------------------------------------------- housing

    @EventHandler
    void on(HousingSubsidyGranted event) {
        insertOrReject(
                RejectionCode.ALREADY_EXISTS,
                "Housing grant id " + event.grantId() + " is already used; grant ids are unique across programs.",
                "INSERT INTO grant_location (grant_id, program_id) VALUES (?, ?)",
                event.grantId().value(),
                event.programId().value());
    }

    /** A (lease, month) is paid once nationally (SPEC §11): the key stops two grants paying it at once. */
    @EventHandler
    void on(HousingSubsidyPaid event) {
        insertOrReject(
                RejectionCode.DUPLICATE_CLAIM,
                "Month " + event.month() + " of lease " + event.leaseRef() + " has already been paid.",
                "INSERT INTO lease_month_payment (lease_key, rent_month, lease_ref, grant_id, program_id)"
                        + " VALUES (?, ?, ?, ?, ?)",
                References.key(event.leaseRef()),
                event.month().toString(),
                event.leaseRef(),
                event.grantId().value(),
                event.programId().value());
    }

    // ---------------------------------------------------------------- helpers

    private void setStatus(String voucherId, VoucherStatus status) {
        write(() ->
                jdbc.update("UPDATE voucher_location SET status = ? WHERE voucher_id = ?", status.name(), voucherId));
    }

    /**
     * Records the first corporate group of a beneficiary in a province. The command that issued the voucher read the
     * bound group before deciding; if another transaction bound a different one since, the voucher's cap was counted
     * under the wrong group, so this transaction must not commit: a retry decides again with the group now bound.
     */
    private void bindGroup(String province, String beneficiaryId, String group) {
        List<String> bound = write(() -> jdbc.queryForList(
                "SELECT corporate_group FROM beneficiary_group" + " WHERE province = ? AND beneficiary_id = ?",
                String.class,
                province,
                beneficiaryId));
        if (bound.isEmpty()) {
            try {
                jdbc.update(
                        "INSERT INTO beneficiary_group (province, beneficiary_id, corporate_group) VALUES (?, ?, ?)",
                        province,
                        beneficiaryId,
                        group);
            } catch (DuplicateKeyException e) {
                throw conflict(
                        "The corporate group of " + beneficiaryId + " in " + province
                                + " was recorded by a concurrent transaction.",
                        e);
            } catch (TransientDataAccessException e) {
                throw conflict("Index row is being written concurrently.", e);
            }
        } else if (!bound.get(0).equals(group)) {
            throw new ConcurrencyException("Beneficiary " + beneficiaryId + " was bound to corporate group "
                    + bound.get(0) + " in " + province + " after the voucher was decided; retry the command.");
        }
    }

    /** Inserts a row whose primary key is a rule: a duplicate key means the rule is broken, with this code. */
    private void insertOrReject(RejectionCode code, String message, String sql, Object... args) {
        try {
            jdbc.update(sql, args);
        } catch (DuplicateKeyException e) {
            throw Rules.rejection(code, message);
        } catch (TransientDataAccessException e) {
            // H2 reports a row inserted by a concurrent, uncommitted transaction as a concurrent update rather than
            // waiting for it; a retry sees the committed row and answers with the rule.
            throw conflict("Index row is being written concurrently.", e);
        }
    }

    private <T> T write(Supplier<T> statement) {
        try {
            return statement.get();
        } catch (TransientDataAccessException e) {
            throw conflict("Index row is being written concurrently.", e);
        }
    }

    private static ConcurrencyException conflict(String message, DataAccessException cause) {
        return new ConcurrencyException(message + " Retry the command.", cause);
    }
}
