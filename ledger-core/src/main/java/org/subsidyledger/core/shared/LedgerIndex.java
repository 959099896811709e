package org.subsidyledger.core.shared;

import java.time.YearMonth;
import java.util.Optional;
import java.util.Set;

/**
 * What a command handler may look up beyond its own aggregate: the national registries and the set rules that
 * span programs (SPEC §11). Implementations are indexes built from the log; the application keeps them in the same
 * transaction as the events they index, with unique constraints, so two nodes racing on one contract or invoice
 * cannot both append.
 */
public interface LedgerIndex {

    Optional<ProviderRecord> provider(ProviderId providerId);

    Optional<ModelRecord> model(FilingNo filingNo);

    /** The voucher a contract (province, provider, contractRef) is bound to, if any voucher has redeemed against it. */
    Optional<VoucherId> contractHolder(ContractKey contract);

    /** Whether an invoice (the provider's legal identity, invoiceRef) has been paid by any voucher in the country. */
    boolean invoicePaid(InvoiceKey invoice);

    /**
     * The provider id a legal identity holds for a kind of accreditation, if any (SPEC §11: one legal identity holds
     * at most one provider id per kind; a withdrawn accreditation still holds it, to be accredited again).
     */
    Optional<ProviderId> providerIdOf(String legalIdentity, ProviderKind kind);

    /** Whether a (leaseRef, month) has been paid by any housing grant in the country (SPEC §11 "Housing"). */
    boolean leaseMonthPaid(LeaseMonthKey leaseMonth);

    /** Whether a voucher id is used anywhere: voucher ids are national, so {@code /vouchers/{id}} names one voucher. */
    boolean voucherIdTaken(VoucherId voucherId);

    /** Whether a housing grant id is used anywhere (grant ids are national too). */
    boolean grantIdTaken(GrantId grantId);

    /** The first corporate group recorded for a USCC in a province, which binds it there. */
    Optional<String> boundGroup(String province, String beneficiaryId);

    /**
     * Every USCC bound to a corporate group in a province, wherever the binding was recorded: the members whose
     * vouchers count against the group's cap in every program of that province (SPEC §11 "Caps").
     */
    Set<String> groupMembers(String province, String group);

    record ProviderRecord(
            ProviderId providerId, ProviderKind kind, String id, String group, String country, boolean accredited) {
        /** The provider's legal identity: its USCC for CN, its registry id elsewhere, named with the country. */
        public String legalIdentity() {
            return legalIdentity(country, id);
        }

        public static String legalIdentity(String country, String id) {
            return country + ":" + id;
        }
    }

    record ModelRecord(FilingNo filingNo, ProviderId vendorId, boolean registered) {}

    /** A contract; {@code contractRef} is held as its comparison key ({@link References#key}). */
    record ContractKey(String province, ProviderId providerId, String contractRef) {
        public ContractKey {
            contractRef = References.key(contractRef);
        }
    }

    /**
     * An invoice, keyed on the provider's legal identity ({@link ProviderRecord#legalIdentity()}) rather than its
     * provider id; {@code invoiceRef} is held as its comparison key.
     */
    record InvoiceKey(String legalIdentity, String invoiceRef) {
        public InvoiceKey {
            invoiceRef = References.key(invoiceRef);
        }
    }

    /** A month of rent under a lease; {@code leaseRef} is held as its comparison key. */
    record LeaseMonthKey(String leaseRef, YearMonth month) {
        public LeaseMonthKey {
            leaseRef = References.key(leaseRef);
        }
    }
}
