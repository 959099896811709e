package org.subsidyledger.core.voucher;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.subsidyledger.core.shared.LedgerClock;
import org.subsidyledger.core.shared.LedgerIndex;
import org.subsidyledger.core.shared.LedgerIndex.ContractKey;
import org.subsidyledger.core.shared.LedgerIndex.ProviderRecord;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.References;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;
import org.subsidyledger.core.shared.Uscc;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Voucher.RedemptionState;
import org.subsidyledger.core.voucher.VoucherCommands.ExpireVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.Redeem;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemModelAccess;
import org.subsidyledger.core.voucher.VoucherCommands.RevokeVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.SettleRedemption;
import org.subsidyledger.core.voucher.VoucherEvent.ComputeRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.ModelAccessRedeemed;
import org.subsidyledger.core.voucher.VoucherEvent.Redeemed;
import org.subsidyledger.core.voucher.VoucherEvent.RedemptionSettled;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherExpired;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherIssued;
import org.subsidyledger.core.voucher.VoucherEvent.VoucherRevoked;

/**
 * A voucher program's vouchers and what its voucher rules need to remember: the face value issued per beneficiary
 * and fiscal year (the caps), the corporate groups, the contracts bound to vouchers and the invoices paid.
 *
 * <p>One {@code decide} method per command: it checks the command against this book and the program's figures it is
 * given, in SPEC §11's precedence, and returns the one event to apply, or throws the rejection. {@link #evolve} only
 * assigns what an event says. The program owns the book and the budget; the book never changes the budget itself.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class VoucherBook {
    private Map<VoucherId, Voucher> vouchers = new HashMap<>();
    private BeneficiaryCaps caps = new BeneficiaryCaps();
    /** Contracts redeemed in this program, by (province, provider, contractRef key), and the voucher each is bound to. */
    private Map<String, VoucherId> contractHolders = new HashMap<>();
    /**
     * Invoices paid in this program, by (provider id, invoiceRef key). The national rule is keyed on the provider's
     * legal identity and answered by the ledger index; one provider id has one legal identity, so this is a subset.
     */
    private Set<String> paidInvoices = new HashSet<>();

    // ---------------------------------------------------------------- decide

    /**
     * Issues a voucher: the program open and of a voucher kind, the sector eligible, the face value within the
     * voucher cap, the beneficiary's (or its group's) cap for the fiscal year and the program's available budget.
     *
     * @param settings the program's voucher settings; null for a program of another kind (refused here)
     */
    public VoucherIssued decide(
            IssueVoucher command,
            ProgramHeader program,
            VoucherSettings settings,
            boolean closed,
            Money available,
            LedgerIndex index) {
        Beneficiary beneficiary = command.beneficiary();
        if (program.jurisdiction().country().equals("CN")) {
            Uscc.require(beneficiary.id(), "beneficiary.id");
        }
        Rules.require(
                !vouchers.containsKey(command.voucherId()) && !index.voucherIdTaken(command.voucherId()),
                RejectionCode.ALREADY_EXISTS,
                "Voucher " + command.voucherId() + " already exists.");
        Money face = command.faceValue();
        Rules.check()
                .reject(
                        closed,
                        RejectionCode.PROGRAM_CLOSED,
                        "Program " + program.programId() + " is closed and issues no new vouchers.")
                .reject(
                        !program.kind().isVoucher(),
                        RejectionCode.WRONG_PROGRAM_KIND,
                        "Program " + program.programId() + " is a " + program.kind()
                                + " program; it issues no vouchers.")
                .reject(program.foreign(face), RejectionCode.CURRENCY_MISMATCH, program.mismatch(face))
                .enforce();
        String group = caps.groupOf(program, beneficiary, index);
        int fiscalYear = program.jurisdiction().fiscalYearOf(LedgerClock.now());
        Money issuedThisYear = caps.issuedInYear(program, fiscalYear, beneficiary.id(), group, index);
        Rules.check()
                .reject(
                        !settings.eligibleSectors().contains(beneficiary.sector()),
                        RejectionCode.INELIGIBLE_SECTOR,
                        "Sector " + beneficiary.sector() + " is not eligible in program " + program.programId() + ".")
                .reject(
                        face.greaterThan(settings.maxVoucherValue()),
                        RejectionCode.VOUCHER_VALUE_CAP_EXCEEDED,
                        "Face value " + face + " exceeds the program's maximum voucher value "
                                + settings.maxVoucherValue() + ".")
                .reject(
                        issuedThisYear.plus(face).greaterThan(settings.capPerBeneficiaryPerYear()),
                        RejectionCode.BENEFICIARY_CAP_EXCEEDED,
                        (group != null ? "Corporate group " + group : "Beneficiary " + beneficiary.id())
                                + " has already been issued " + issuedThisYear + " in fiscal year " + fiscalYear
                                + "; another " + face + " would exceed the cap of "
                                + settings.capPerBeneficiaryPerYear() + ".")
                .reject(
                        face.greaterThan(available),
                        RejectionCode.BUDGET_EXCEEDED,
                        "Face value " + face + " exceeds the " + available + " still available in program "
                                + program.programId() + ".")
                .enforce();
        Instant expiresAt = LedgerClock.now().plus(Duration.ofDays(settings.validityDays()));
        return new VoucherIssued(
                program,
                command.voucherId(),
                beneficiary,
                group,
                face,
                settings.coverageRatio(),
                settings.payee(),
                fiscalYear,
                expiresAt);
    }

    public ComputeRedeemed decide(
            RedeemCompute command, ProgramHeader program, VoucherSettings settings, LedgerIndex index) {
        Voucher voucher = checkRedemption(command, program, ProgramKind.COMPUTE_VOUCHER, ProviderKind.COMPUTE, index);
        ProviderRecord provider = index.provider(command.providerId()).orElseThrow();
        Money subsidy = voucher.subsidyFor(command.invoiceAmount());
        return new ComputeRedeemed(
                program,
                voucher.voucherId(),
                command.redemptionId(),
                voucher.beneficiary().id(),
                voucher.corporateGroup(),
                command.contractRef(),
                command.invoiceRef(),
                command.providerId(),
                provider.group(),
                command.invoiceAmount(),
                command.gpuHours(),
                voucher.coverageRatio(),
                subsidy,
                voucher.remaining().minus(subsidy),
                settings.payee());
    }

    public ModelAccessRedeemed decide(
            RedeemModelAccess command, ProgramHeader program, VoucherSettings settings, LedgerIndex index) {
        Voucher voucher =
                checkRedemption(command, program, ProgramKind.MODEL_VOUCHER, ProviderKind.MODEL_VENDOR, index);
        ProviderRecord provider = index.provider(command.providerId()).orElseThrow();
        Money subsidy = voucher.subsidyFor(command.invoiceAmount());
        return new ModelAccessRedeemed(
                program,
                voucher.voucherId(),
                command.redemptionId(),
                voucher.beneficiary().id(),
                voucher.corporateGroup(),
                command.contractRef(),
                command.invoiceRef(),
                command.providerId(),
                provider.group(),
                command.filingNo(),
                command.usage(),
                command.invoiceAmount(),
                voucher.coverageRatio(),
                subsidy,
                voucher.remaining().minus(subsidy),
                settings.payee());
    }

    /** The voucher to redeem, once {@link RedemptionPolicy} found the redemption breaks no rule. */
    private Voucher checkRedemption(
            Redeem command,
            ProgramHeader program,
            ProgramKind expectedKind,
            ProviderKind providerKind,
            LedgerIndex index) {
        Voucher voucher = voucher(command.voucherId());
        RedemptionPolicy.check(command, voucher, this, program, expectedKind, providerKind, index);
        return voucher;
    }

    /** The voucher a contract is bound to in this program, or null. */
    VoucherId holderHere(ContractKey contract) {
        return contractHolders.get(contractKey(contract));
    }

    /** Whether this program already paid the provider's invoice. */
    boolean paidHere(ProviderId providerId, String invoiceRef) {
        return paidInvoices.contains(localInvoiceKey(providerId, invoiceRef));
    }

    public RedemptionSettled decide(SettleRedemption command, ProgramHeader program, VoucherSettings settings) {
        Voucher voucher = voucher(command.voucherId());
        RedemptionState redemption = voucher.redemption(command.redemptionId());
        Rules.require(
                redemption != null,
                RejectionCode.NOT_FOUND,
                "Voucher " + command.voucherId() + " has no redemption " + command.redemptionId() + ".");
        Rules.require(
                !redemption.settled(),
                RejectionCode.ALREADY_SETTLED,
                "Redemption " + command.redemptionId() + " has already been settled.");
        return new RedemptionSettled(
                program,
                voucher.voucherId(),
                command.redemptionId(),
                redemption.providerId(),
                settings.payee(),
                redemption.subsidy(),
                command.paymentRef());
    }

    public VoucherRevoked decide(RevokeVoucher command, ProgramHeader program) {
        Voucher voucher = voucher(command.voucherId());
        Rules.check()
                .reject(
                        voucher.status() == VoucherStatus.REVOKED,
                        RejectionCode.VOUCHER_REVOKED,
                        "Voucher " + voucher.voucherId() + " was already revoked.")
                .reject(
                        voucher.isExpiredAt(LedgerClock.now()),
                        RejectionCode.VOUCHER_EXPIRED,
                        "Voucher " + voucher.voucherId() + " has expired; its value was released at expiry.")
                .reject(
                        voucher.status() == VoucherStatus.EXHAUSTED,
                        RejectionCode.VOUCHER_EXHAUSTED,
                        "Voucher " + voucher.voucherId() + " is fully redeemed; there is nothing to revoke.")
                .enforce();
        return new VoucherRevoked(
                program,
                voucher.voucherId(),
                voucher.faceValue(),
                voucher.redeemed(),
                voucher.remaining(),
                command.reason());
    }

    /** Expires a voucher whose time has come; nothing for a voucher not yet due or already ended. */
    public Optional<VoucherExpired> decide(ExpireVoucher command, ProgramHeader program) {
        Voucher voucher = voucher(command.voucherId());
        if (!voucher.expiryDue(LedgerClock.now())) {
            return Optional.empty();
        }
        return Optional.of(new VoucherExpired(
                program,
                voucher.voucherId(),
                voucher.expiresAt(),
                voucher.faceValue(),
                voucher.redeemed(),
                voucher.remaining()));
    }

    // ---------------------------------------------------------------- evolve: assign what an event says

    public void evolve(VoucherEvent event) {
        if (event instanceof VoucherIssued issued) {
            vouchers.put(issued.voucherId(), Voucher.issued(issued));
            caps.record(issued);
            return;
        }
        vouchers.get(event.voucherId()).evolve(event);
        if (event instanceof Redeemed r) {
            contractHolders.putIfAbsent(
                    contractKey(new ContractKey(r.province(), r.providerId(), r.contractRef())), r.voucherId());
            paidInvoices.add(localInvoiceKey(r.providerId(), r.invoiceRef()));
        }
    }

    // ---------------------------------------------------------------- reading

    public Optional<Voucher> find(VoucherId voucherId) {
        return Optional.ofNullable(vouchers.get(voucherId));
    }

    public Collection<Voucher> all() {
        return Collections.unmodifiableCollection(vouchers.values());
    }

    private Voucher voucher(VoucherId voucherId) {
        Voucher voucher = vouchers.get(voucherId);
        if (voucher == null) {
            throw Rules.rejection(RejectionCode.NOT_FOUND, "Voucher " + voucherId + " was not found.");
        }
        return voucher;
    }

    private static String contractKey(ContractKey key) {
        return References.composite(key.province(), key.providerId(), key.contractRef());
    }

    private static String localInvoiceKey(ProviderId providerId, String invoiceRef) {
        return References.composite(providerId, References.key(invoiceRef));
    }
}
