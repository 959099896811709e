package org.subsidyledger.api.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.LedgerIndex;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.VoucherStatus;

/**
 * The {@link LedgerIndex} of the running ledger: tables of the ledger's own database, written by
 * {@link LedgerIndexProjector} in the transaction that appends the indexed events.
 *
 * <p>Reads go through Spring's transaction-bound connection, so a command handler asking "was this invoice paid?"
 * reads inside the transaction that will append its answer; a concurrent transaction that paid the same invoice and
 * has not committed yet is invisible here but collides with this one on the primary key when the projector writes.
 *
 * <p>Besides the port, it answers what the API needs: the program a voucher or grant lives in, and the vouchers an
 * expiry sweep must expire.
 */
public class JdbcLedgerIndex implements LedgerIndex {
    private final JdbcTemplate jdbc;
    private final GroupLocks groupLocks;

    /* Keys of what a unit of work remembers, this index's own (another database's index may share the unit of work). */
    private final String providerKey =
            JdbcLedgerIndex.class.getName() + "@" + System.identityHashCode(this) + ".provider:";
    private final String contractKey =
            JdbcLedgerIndex.class.getName() + "@" + System.identityHashCode(this) + ".contract:";

    /*
     * Where a voucher or grant lives and which province a program belongs to are written once, with the event that
     * creates them, and never change: every request routed by a voucher or grant id asks both. What a lookup found
     * committed is remembered (see fixed); nothing absent is, so a voucher issued on another node is found the moment
     * it is committed.
     */
    private final Cache<String, ProgramId> voucherPrograms =
            Caffeine.newBuilder().maximumSize(200_000).build();
    private final Cache<String, ProgramId> grantPrograms =
            Caffeine.newBuilder().maximumSize(50_000).build();
    private final Cache<String, String> programProvinces =
            Caffeine.newBuilder().maximumSize(10_000).build();

    public JdbcLedgerIndex(JdbcTemplate jdbc) {
        this(jdbc, new GroupLocks(jdbc, Duration.ofSeconds(2)));
    }

    /** @param groupLocks serializes the decisions on one group's cap ({@link #groupMembers}) */
    public JdbcLedgerIndex(JdbcTemplate jdbc, GroupLocks groupLocks) {
        this.jdbc = jdbc;
        this.groupLocks = groupLocks;
    }

    /**
     * The provider's record, read once per unit of work: a redemption asks for it when it checks the accreditation,
     * again when it builds its event, and the index processor for the legal identity its invoice is keyed on. The
     * processor forgets it when it rewrites the provider's row in the same unit of work ({@link #forgetProvider}).
     */
    @Override
    @SuppressWarnings("unchecked")
    public Optional<ProviderRecord> provider(ProviderId providerId) {
        String key = providerKey + providerId.value();
        Optional<Object> known = UnitOfWorkMemo.get(key);
        if (known.isPresent()) {
            return (Optional<ProviderRecord>) known.get();
        }
        Optional<ProviderRecord> read = readProvider(providerId);
        UnitOfWorkMemo.put(key, read);
        return read;
    }

    /** Drops what the current unit of work read of a provider, after its row was written. */
    void forgetProvider(ProviderId providerId) {
        UnitOfWorkMemo.remove(providerKey + providerId.value());
    }

    private Optional<ProviderRecord> readProvider(ProviderId providerId) {
        return jdbc
                .query(
                        "SELECT kind, legal_id, corporate_group, country, accredited FROM provider_index"
                                + " WHERE provider_id = ?",
                        (rs, n) -> new ProviderRecord(
                                providerId,
                                ProviderKind.valueOf(rs.getString("kind")),
                                rs.getString("legal_id"),
                                rs.getString("corporate_group"),
                                rs.getString("country"),
                                rs.getBoolean("accredited")),
                        providerId.value())
                .stream()
                .findFirst();
    }

    @Override
    public Optional<ModelRecord> model(FilingNo filingNo) {
        return jdbc
                .query(
                        "SELECT vendor_id, registered FROM model_index WHERE filing_no = ?",
                        (rs, n) -> new ModelRecord(
                                filingNo, ProviderId.of(rs.getString("vendor_id")), rs.getBoolean("registered")),
                        filingNo.value())
                .stream()
                .findFirst();
    }

    @Override
    public Optional<VoucherId> contractHolder(ContractKey contract) {
        Optional<VoucherId> holder = jdbc
                .query(
                        "SELECT voucher_id FROM contract_binding"
                                + " WHERE province = ? AND provider_id = ? AND contract_key = ?",
                        (rs, n) -> VoucherId.of(rs.getString(1)),
                        contract.province(),
                        contract.providerId().value(),
                        contract.contractRef())
                .stream()
                .findFirst();
        UnitOfWorkMemo.put(contractKey + contract, holder);
        return holder;
    }

    /**
     * What this unit of work's command found bound to a contract, if it looked: the index processor, writing the
     * binding in the same transaction, then needs no second look. A binding another transaction commits in between
     * still collides with this one on the primary key.
     */
    @SuppressWarnings("unchecked")
    Optional<Optional<VoucherId>> holderSeen(ContractKey contract) {
        return UnitOfWorkMemo.get(contractKey + contract).map(seen -> (Optional<VoucherId>) seen);
    }

    @Override
    public boolean invoicePaid(InvoiceKey invoice) {
        Integer count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM invoice_payment" + " WHERE legal_identity = ? AND invoice_key = ?",
                Integer.class,
                invoice.legalIdentity(),
                invoice.invoiceRef());
        return count != null && count > 0;
    }

    @Override
    public Optional<ProviderId> providerIdOf(String legalIdentity, ProviderKind kind) {
        return jdbc
                .queryForList(
                        "SELECT provider_id FROM provider_identity WHERE legal_identity = ? AND kind = ?",
                        String.class,
                        legalIdentity,
                        kind.name())
                .stream()
                .findFirst()
                .map(ProviderId::of);
    }

    @Override
    public boolean leaseMonthPaid(LeaseMonthKey leaseMonth) {
        Integer count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM lease_month_payment" + " WHERE lease_key = ? AND rent_month = ?",
                Integer.class,
                leaseMonth.leaseRef(),
                leaseMonth.month().toString());
        return count != null && count > 0;
    }

    @Override
    public Set<String> groupMembers(String province, String group) {
        // Held to the end of this transaction: a binding to the group made by a concurrent decision is committed
        // before this one reads, or waits until this one has committed (GroupLocks).
        groupLocks.holdUntilTransactionEnds(province, group);
        return new TreeSet<>(jdbc.queryForList(
                "SELECT beneficiary_id FROM beneficiary_group" + " WHERE province = ? AND corporate_group = ?",
                String.class,
                province,
                group));
    }

    @Override
    public Optional<String> boundGroup(String province, String beneficiaryId) {
        return jdbc
                .queryForList(
                        "SELECT corporate_group FROM beneficiary_group" + " WHERE province = ? AND beneficiary_id = ?",
                        String.class,
                        province,
                        beneficiaryId)
                .stream()
                .findFirst();
    }

    /** The province of a program (SPEC §9 scoping). */
    public Optional<String> provinceOfProgram(ProgramId programId) {
        return fixed(
                programProvinces,
                programId.value(),
                () -> jdbc
                        .queryForList(
                                "SELECT province FROM program_location WHERE program_id = ?",
                                String.class,
                                programId.value())
                        .stream()
                        .findFirst());
    }

    @Override
    public boolean voucherIdTaken(VoucherId voucherId) {
        return programOfVoucher(voucherId).isPresent();
    }

    @Override
    public boolean grantIdTaken(GrantId grantId) {
        return programOfGrant(grantId).isPresent();
    }

    /** The program a voucher was issued by: voucher commands name their program, the API finds it here. */
    public Optional<ProgramId> programOfVoucher(VoucherId voucherId) {
        return fixed(
                voucherPrograms,
                voucherId.value(),
                () -> jdbc
                        .queryForList(
                                "SELECT program_id FROM voucher_location WHERE voucher_id = ?",
                                String.class,
                                voucherId.value())
                        .stream()
                        .findFirst()
                        .map(ProgramId::of));
    }

    /** The program a housing grant was made by. */
    public Optional<ProgramId> programOfGrant(GrantId grantId) {
        return fixed(
                grantPrograms,
                grantId.value(),
                () -> jdbc
                        .queryForList(
                                "SELECT program_id FROM grant_location WHERE grant_id = ?",
                                String.class,
                                grantId.value())
                        .stream()
                        .findFirst()
                        .map(ProgramId::of));
    }

    /**
     * A fact that never changes once committed: answered from memory when it was read before, else read and, if it
     * was found outside any transaction, remembered. Inside a transaction the row read may be the transaction's own,
     * which a rollback would take back, so it is not kept.
     */
    private static <T> Optional<T> fixed(Cache<String, T> known, String key, Supplier<Optional<T>> read) {
        T value = known.getIfPresent(key);
        if (value != null) {
            return Optional.of(value);
        }
        Optional<T> found = read.get();
        if (found.isPresent() && !TransactionSynchronizationManager.isActualTransactionActive()) {
            known.put(key, found.get());
        }
        return found;
    }

    /** Where a voucher stands as far as routing and expiry are concerned. */
    public Optional<VoucherLocation> voucher(VoucherId voucherId) {
        return jdbc
                .query(
                        "SELECT program_id, expires_at, status FROM voucher_location WHERE voucher_id = ?",
                        (rs, n) -> new VoucherLocation(
                                voucherId,
                                ProgramId.of(rs.getString("program_id")),
                                rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                                VoucherStatus.valueOf(rs.getString("status"))),
                        voucherId.value())
                .stream()
                .findFirst();
    }

    /**
     * ACTIVE vouchers whose {@code expiresAt} is at or before {@code now}, oldest first, at most {@code limit}: what an
     * expiry sweep sends {@code ExpireVoucher} for. (Exhausted vouchers hold nothing to release and are not listed.)
     */
    public List<VoucherLocation> vouchersDueForExpiry(Instant now, int limit) {
        return jdbc.query(
                "SELECT voucher_id, program_id, expires_at FROM voucher_location"
                        + " WHERE status = 'ACTIVE' AND expires_at <= ? ORDER BY expires_at, voucher_id LIMIT ?",
                (rs, n) -> new VoucherLocation(
                        VoucherId.of(rs.getString("voucher_id")),
                        ProgramId.of(rs.getString("program_id")),
                        rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                        VoucherStatus.ACTIVE),
                now.atOffset(ZoneOffset.UTC),
                limit);
    }

    public record VoucherLocation(VoucherId voucherId, ProgramId programId, Instant expiresAt, VoucherStatus status) {}
}
