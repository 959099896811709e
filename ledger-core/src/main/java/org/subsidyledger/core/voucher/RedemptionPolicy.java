package org.subsidyledger.core.voucher;

import java.time.Instant;
import org.subsidyledger.core.shared.LedgerClock;
import org.subsidyledger.core.shared.LedgerIndex;
import org.subsidyledger.core.shared.LedgerIndex.ContractKey;
import org.subsidyledger.core.shared.LedgerIndex.InvoiceKey;
import org.subsidyledger.core.shared.LedgerIndex.ProviderRecord;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.VoucherCommands.Redeem;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemModelAccess;

/**
 * The rules both kinds of redemption share (SPEC §3), in SPEC §11's precedence: the voucher live and of the right
 * kind, the provider accredited, the model registered, no related party, the contract bound to this voucher only,
 * the invoice never paid anywhere in the country, value left and a subsidy of at least one cent.
 */
final class RedemptionPolicy {
    private RedemptionPolicy() {}

    /** Throws the rejection of highest precedence among the rules the redemption breaks; returns when none. */
    static void check(
            Redeem command,
            Voucher voucher,
            VoucherBook book,
            ProgramHeader program,
            ProgramKind expectedKind,
            ProviderKind providerKind,
            LedgerIndex index) {
        Rules.require(
                !voucher.hasRedemption(command.redemptionId()),
                RejectionCode.ALREADY_EXISTS,
                "Redemption " + command.redemptionId() + " already exists on voucher " + voucher.voucherId() + ".");
        Instant now = LedgerClock.now();
        Rules.check()
                .reject(
                        voucher.status() == VoucherStatus.REVOKED,
                        RejectionCode.VOUCHER_REVOKED,
                        "Voucher " + voucher.voucherId() + " was revoked.")
                .reject(
                        voucher.isExpiredAt(now),
                        RejectionCode.VOUCHER_EXPIRED,
                        "Voucher " + voucher.voucherId() + " expired at " + voucher.expiresAt() + ".")
                .reject(
                        voucher.kind() != expectedKind,
                        RejectionCode.WRONG_VOUCHER_KIND,
                        "Voucher " + voucher.voucherId() + " is a " + voucher.kind() + "; it cannot pay this.")
                .reject(
                        program.foreign(command.invoiceAmount()),
                        RejectionCode.CURRENCY_MISMATCH,
                        program.mismatch(command.invoiceAmount()))
                .enforce();
        ProviderRecord provider = index.provider(command.providerId())
                .filter(p -> p.accredited() && p.kind() == providerKind)
                .orElse(null);
        LedgerIndex.ModelRecord model = command instanceof RedeemModelAccess access
                ? index.model(access.filingNo())
                        .filter(LedgerIndex.ModelRecord::registered)
                        .orElse(null)
                : null;
        boolean modelMissing = command instanceof RedeemModelAccess && model == null;
        // The model's vendor is a party to a model redemption even when a reseller invoices it (SPEC §11).
        ProviderRecord vendor =
                model == null ? null : index.provider(model.vendorId()).orElse(null);
        ContractKey contract = new ContractKey(program.province(), command.providerId(), command.contractRef());
        VoucherId holder = book.holderHere(contract);
        if (holder == null) {
            holder = index.contractHolder(contract).orElse(null);
        }
        boolean invoicePaid = book.paidHere(command.providerId(), command.invoiceRef())
                || (provider != null
                        && index.invoicePaid(new InvoiceKey(provider.legalIdentity(), command.invoiceRef())));
        Rules.check()
                .reject(
                        provider == null,
                        RejectionCode.PROVIDER_NOT_ACCREDITED,
                        "Provider " + command.providerId() + " is not accredited as " + providerKind + ".")
                .reject(
                        modelMissing,
                        RejectionCode.MODEL_NOT_REGISTERED,
                        "The model is not registered with the regulator.")
                .reject(
                        provider != null && relatedParty(provider, voucher),
                        RejectionCode.RELATED_PARTY,
                        "Provider " + command.providerId() + " and the beneficiary are related parties.")
                .reject(
                        vendor != null && relatedParty(vendor, voucher),
                        RejectionCode.RELATED_PARTY,
                        "The model's vendor " + (vendor == null ? "" : vendor.providerId())
                                + " and the beneficiary are related parties.")
                .reject(
                        holder != null && !holder.equals(voucher.voucherId()),
                        RejectionCode.DUPLICATE_CONTRACT,
                        "Contract " + command.contractRef() + " with provider " + command.providerId()
                                + " is already bound to another voucher.")
                .reject(
                        invoicePaid,
                        RejectionCode.DUPLICATE_INVOICE,
                        "Invoice " + command.invoiceRef() + " of provider " + command.providerId()
                                + " was already paid.")
                .reject(
                        voucher.remaining().isZero(),
                        RejectionCode.VOUCHER_EXHAUSTED,
                        "Voucher " + voucher.voucherId() + " has no value left.")
                .reject(
                        !voucher.subsidyFor(command.invoiceAmount()).isPositive(),
                        RejectionCode.SUBSIDY_ROUNDS_TO_ZERO,
                        "Invoice amount " + command.invoiceAmount() + " is too small to yield a subsidy of at least"
                                + " one cent.")
                .enforce();
    }

    /** A related party (SPEC §11): the provider is the beneficiary itself or belongs to the beneficiary's group. */
    private static boolean relatedParty(ProviderRecord provider, Voucher voucher) {
        String beneficiaryGroup = voucher.corporateGroup();
        return provider.id().equals(voucher.beneficiary().id())
                || (provider.group() != null && provider.group().equals(beneficiaryGroup));
    }
}
