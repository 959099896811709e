package org.subsidyledger.core.shared;

import java.util.Optional;

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

    /** Whether an invoice (provider, invoiceRef) has been paid by any voucher in the country. */
    boolean invoicePaid(InvoiceKey invoice);

    /** Whether a voucher id is used anywhere: voucher ids are national, so {@code /vouchers/{id}} names one voucher. */
    boolean voucherIdTaken(VoucherId voucherId);

    /** Whether a housing grant id is used anywhere (grant ids are national too). */
    boolean grantIdTaken(GrantId grantId);

    /** The first corporate group recorded for a USCC in a province, which binds it there. */
    Optional<String> boundGroup(String province, String beneficiaryId);

    record ProviderRecord(ProviderId providerId, ProviderKind kind, String id, String group, String country,
                          boolean accredited) {
    }

    record ModelRecord(FilingNo filingNo, ProviderId vendorId, boolean registered) {
    }

    record ContractKey(String province, ProviderId providerId, String contractRef) {
    }

    record InvoiceKey(ProviderId providerId, String invoiceRef) {
    }
}
