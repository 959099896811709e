package org.subsidyledger.core.program;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.subsidyledger.core.housing.HousingCommands.ClaimHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.LapseHousingMonths;
import org.subsidyledger.core.housing.HousingCommands.TerminateHousingGrant;
import org.subsidyledger.core.housing.HousingEvent.HousingGrantTerminated;
import org.subsidyledger.core.housing.HousingEvent.HousingMonthsLapsed;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyGranted;
import org.subsidyledger.core.housing.HousingEvent.HousingSubsidyPaid;
import org.subsidyledger.core.housing.HousingEvent;
import org.subsidyledger.core.housing.HousingGrant.MonthState;
import org.subsidyledger.core.housing.HousingGrant.MonthStatus;
import org.subsidyledger.core.housing.HousingGrant;
import org.subsidyledger.core.housing.HousingRules;
import org.subsidyledger.core.housing.MonthRelease;
import org.subsidyledger.core.housing.ScheduledMonth;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.CloseProgram;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.program.ProgramCommands.RescindFunds;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.FundsRescinded;
import org.subsidyledger.core.program.ProgramEvent.ProgramClosed;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.LedgerClock;
import org.subsidyledger.core.shared.LedgerIndex.ContractKey;
import org.subsidyledger.core.shared.LedgerIndex.InvoiceKey;
import org.subsidyledger.core.shared.LedgerIndex.LeaseMonthKey;
import org.subsidyledger.core.shared.LedgerIndex.ProviderRecord;
import org.subsidyledger.core.shared.LedgerIndex;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProgramRules;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.References;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;
import org.subsidyledger.core.shared.Uscc;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.Voucher.RedemptionState;
import org.subsidyledger.core.voucher.Voucher;
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
import org.subsidyledger.core.voucher.VoucherEvent;
import org.subsidyledger.core.voucher.VoucherRules;
import org.subsidyledger.core.voucher.VoucherStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A subsidy program and everything that draws on its budget: its vouchers and housing grants.
 *
 * <p>The program is the consistency boundary for SPEC §4's invariants. Issuing a voucher or granting housing
 * reserves budget in the same event that creates the voucher or grant, and every release (expiry, revocation,
 * shortfall, lapse, termination) is an event of this same stream, so {@code available ≥ 0} is checked against a
 * budget that is exact at every point of the log, never repaired afterwards. Vouchers and grants are plain state
 * objects held here, looked up by id, so a long-running program does not pay per-event costs proportional to its
 * number of vouchers.
 *
 * <p>Command handlers validate, then apply exactly one event; event-sourcing handlers only assign state.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Program {
    /** Separates the parts of composite map keys; free text never contains control characters. */
    private static final String SEP = "\u001f";

    @AggregateIdentifier
    private ProgramId programId;
    private String name;
    private ProgramKind kind;
    private Jurisdiction jurisdiction;
    private String city;
    private CurrencyCode currency;
    @JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
    @JsonSubTypes({@JsonSubTypes.Type(VoucherRules.class), @JsonSubTypes.Type(HousingRules.class)})
    private ProgramRules rules;
    private boolean closed;

    private Money appropriated;
    private Money committed;
    private Money disbursed;
    private Money paid;
    private Money released;

    private Map<VoucherId, Voucher> vouchers = new HashMap<>();
    private Map<GrantId, HousingGrant> grants = new HashMap<>();
    /** Gross face value issued per (fiscal year, beneficiary id); revocation gives nothing back (SPEC §11). */
    private Map<String, Money> issuedPerBeneficiary = new HashMap<>();
    /** The beneficiary ids recorded under each corporate group in this program. */
    private Map<String, Set<String>> groupMembers = new HashMap<>();
    /** The first corporate group recorded for a beneficiary id in this program. */
    private Map<String, String> groupOfBeneficiary = new HashMap<>();
    /** The grants made to each personRef: their support counts against {@code capPerRecipient}, their months overlap. */
    private Map<String, List<GrantId>> grantsOfPerson = new HashMap<>();
    /** Contracts redeemed in this program, by (province, provider, contractRef key), and the voucher each is bound to. */
    private Map<String, VoucherId> contractHolders = new HashMap<>();
    /**
     * Invoices paid in this program, by (provider id, invoiceRef key). The national rule is keyed on the provider's
     * legal identity and answered by the ledger index; one provider id has one legal identity, so this is a subset.
     */
    private Set<String> paidInvoices = new HashSet<>();
    /** (leaseRef key, month) paid in this program; the national rule is answered by the ledger index. */
    private Set<String> paidLeaseMonths = new HashSet<>();

    protected Program() {
    }

    // ---------------------------------------------------------------- program and appropriation

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(LaunchProgram command) {
        Rules.require(programId == null, RejectionCode.ALREADY_EXISTS,
                "Program " + command.programId() + " already exists.");
        Rules.require(command.rules().moneyFields().stream().allMatch(m -> m.currency() == command.currency()),
                RejectionCode.CURRENCY_MISMATCH,
                "Every amount in the rules must be in the program's currency " + command.currency() + ".");
        apply(new ProgramLaunched(command.programId(), command.name(), command.kind(), command.province(),
                command.city(), command.currency(), command.rules()));
    }

    @CommandHandler
    void handle(AppropriateFunds command) {
        Rules.check()
                .reject(closed, RejectionCode.PROGRAM_CLOSED,
                        "Program " + programId + " is closed and takes no new appropriations.")
                .reject(command.amount().currency() != currency, RejectionCode.CURRENCY_MISMATCH, mismatch(command.amount()))
                .enforce();
        apply(new FundsAppropriated(programId, jurisdiction.code(), city, kind, currency, command.amount(),
                command.reference(), jurisdiction.fiscalYearOf(LedgerClock.now())));
    }

    @CommandHandler
    void handle(RescindFunds command) {
        Rules.require(command.amount().currency() == currency, RejectionCode.CURRENCY_MISMATCH,
                mismatch(command.amount()));
        Rules.require(!command.amount().greaterThan(available()), RejectionCode.BUDGET_COMMITTED,
                "Cannot rescind " + command.amount() + ": only " + available() + " of program " + programId
                        + " is neither committed nor disbursed.");
        apply(new FundsRescinded(programId, jurisdiction.code(), city, kind, currency, command.amount(),
                command.reason(), jurisdiction.fiscalYearOf(LedgerClock.now())));
    }

    @CommandHandler
    void handle(CloseProgram command) {
        Rules.require(!closed, RejectionCode.PROGRAM_CLOSED, "Program " + programId + " is already closed.");
        apply(new ProgramClosed(programId, jurisdiction.code(), city, kind, currency, command.reason()));
    }

    // ---------------------------------------------------------------- vouchers

    @CommandHandler
    void handle(IssueVoucher command, LedgerIndex index) {
        Beneficiary beneficiary = command.beneficiary();
        if (jurisdiction.country().equals("CN")) {
            Uscc.require(beneficiary.id(), "beneficiary.id");
        }
        Rules.require(!vouchers.containsKey(command.voucherId()) && !index.voucherIdTaken(command.voucherId()),
                RejectionCode.ALREADY_EXISTS,
                "Voucher " + command.voucherId() + " already exists.");
        Money face = command.faceValue();
        Rules.check()
                .reject(closed, RejectionCode.PROGRAM_CLOSED, "Program " + programId + " is closed and issues no new vouchers.")
                .reject(!kind.isVoucher(), RejectionCode.WRONG_PROGRAM_KIND,
                        "Program " + programId + " is a " + kind + " program; it issues no vouchers.")
                .reject(face.currency() != currency, RejectionCode.CURRENCY_MISMATCH, mismatch(face))
                .enforce();
        VoucherRules voucherRules = (VoucherRules) rules;
        String group = corporateGroupOf(beneficiary, index);
        int fiscalYear = jurisdiction.fiscalYearOf(LedgerClock.now());
        Money issuedThisYear = issuedInYear(fiscalYear, beneficiary.id(), group, index);
        Rules.check()
                .reject(!voucherRules.eligibleSectors().contains(beneficiary.sector()), RejectionCode.INELIGIBLE_SECTOR,
                        "Sector " + beneficiary.sector() + " is not eligible in program " + programId + ".")
                .reject(face.greaterThan(voucherRules.maxVoucherValue()), RejectionCode.VOUCHER_VALUE_CAP_EXCEEDED,
                        "Face value " + face + " exceeds the program's maximum voucher value "
                                + voucherRules.maxVoucherValue() + ".")
                .reject(issuedThisYear.plus(face).greaterThan(voucherRules.capPerBeneficiaryPerYear()),
                        RejectionCode.BENEFICIARY_CAP_EXCEEDED,
                        (group != null ? "Corporate group " + group : "Beneficiary " + beneficiary.id())
                                + " has already been issued " + issuedThisYear + " in fiscal year " + fiscalYear
                                + "; another " + face + " would exceed the cap of "
                                + voucherRules.capPerBeneficiaryPerYear() + ".")
                .reject(face.greaterThan(available()), RejectionCode.BUDGET_EXCEEDED,
                        "Face value " + face + " exceeds the " + available() + " still available in program "
                                + programId + ".")
                .enforce();
        Instant expiresAt = LedgerClock.now().plus(Duration.ofDays(voucherRules.validityDays()));
        apply(new VoucherIssued(programId, jurisdiction.code(), city, kind, currency, command.voucherId(),
                beneficiary, group, face, voucherRules.coverageRatio(), voucherRules.payee(), fiscalYear, expiresAt));
    }

    @CommandHandler
    void handle(RedeemCompute command, LedgerIndex index) {
        Voucher voucher = checkRedemption(command, ProgramKind.COMPUTE_VOUCHER, ProviderKind.COMPUTE, index);
        ProviderRecord provider = index.provider(command.providerId()).orElseThrow();
        Money subsidy = subsidyOf(voucher, command.invoiceAmount());
        apply(new ComputeRedeemed(programId, jurisdiction.code(), city, kind, currency, voucher.voucherId(),
                command.redemptionId(), voucher.beneficiary().id(), voucher.corporateGroup(), command.contractRef(),
                command.invoiceRef(), command.providerId(), provider.group(), command.invoiceAmount(),
                command.gpuHours(), voucher.coverageRatio(), subsidy, voucher.remaining().minus(subsidy),
                ((VoucherRules) rules).payee()));
    }

    @CommandHandler
    void handle(RedeemModelAccess command, LedgerIndex index) {
        Voucher voucher = checkRedemption(command, ProgramKind.MODEL_VOUCHER, ProviderKind.MODEL_VENDOR, index);
        ProviderRecord provider = index.provider(command.providerId()).orElseThrow();
        Money subsidy = subsidyOf(voucher, command.invoiceAmount());
        apply(new ModelAccessRedeemed(programId, jurisdiction.code(), city, kind, currency, voucher.voucherId(),
                command.redemptionId(), voucher.beneficiary().id(), voucher.corporateGroup(), command.contractRef(),
                command.invoiceRef(), command.providerId(), provider.group(), command.filingNo(), command.usage(),
                command.invoiceAmount(), voucher.coverageRatio(), subsidy, voucher.remaining().minus(subsidy),
                ((VoucherRules) rules).payee()));
    }

    /** The rules both kinds of redemption share, in SPEC §11's precedence; returns the voucher to redeem. */
    private Voucher checkRedemption(Redeem command, ProgramKind expectedKind, ProviderKind providerKind,
                                    LedgerIndex index) {
        Voucher voucher = voucher(command.voucherId());
        Rules.require(!voucher.hasRedemption(command.redemptionId()), RejectionCode.ALREADY_EXISTS,
                "Redemption " + command.redemptionId() + " already exists on voucher " + voucher.voucherId() + ".");
        Instant now = LedgerClock.now();
        Rules.check()
                .reject(voucher.status() == VoucherStatus.REVOKED, RejectionCode.VOUCHER_REVOKED,
                        "Voucher " + voucher.voucherId() + " was revoked.")
                .reject(voucher.isExpiredAt(now), RejectionCode.VOUCHER_EXPIRED,
                        "Voucher " + voucher.voucherId() + " expired at " + voucher.expiresAt() + ".")
                .reject(voucher.kind() != expectedKind, RejectionCode.WRONG_VOUCHER_KIND,
                        "Voucher " + voucher.voucherId() + " is a " + voucher.kind() + "; it cannot pay this.")
                .reject(command.invoiceAmount().currency() != currency, RejectionCode.CURRENCY_MISMATCH,
                        mismatch(command.invoiceAmount()))
                .enforce();
        ProviderRecord provider = index.provider(command.providerId())
                .filter(p -> p.accredited() && p.kind() == providerKind).orElse(null);
        LedgerIndex.ModelRecord model = command instanceof RedeemModelAccess access
                ? index.model(access.filingNo()).filter(LedgerIndex.ModelRecord::registered).orElse(null) : null;
        boolean modelMissing = command instanceof RedeemModelAccess && model == null;
        // The model's vendor is a party to a model redemption even when a reseller invoices it (SPEC §11).
        ProviderRecord vendor = model == null ? null : index.provider(model.vendorId()).orElse(null);
        ContractKey contract = new ContractKey(jurisdiction.code(), command.providerId(), command.contractRef());
        VoucherId holder = contractHolders.get(contractKey(contract));
        if (holder == null) {
            holder = index.contractHolder(contract).orElse(null);
        }
        boolean invoicePaid = paidInvoices.contains(localInvoiceKey(command.providerId(), command.invoiceRef()))
                || (provider != null && index.invoicePaid(new InvoiceKey(provider.legalIdentity(), command.invoiceRef())));
        Rules.check()
                .reject(provider == null, RejectionCode.PROVIDER_NOT_ACCREDITED,
                        "Provider " + command.providerId() + " is not accredited as " + providerKind + ".")
                .reject(modelMissing, RejectionCode.MODEL_NOT_REGISTERED, "The model is not registered with the regulator.")
                .reject(provider != null && relatedParty(provider, voucher), RejectionCode.RELATED_PARTY,
                        "Provider " + command.providerId() + " and the beneficiary are related parties.")
                .reject(vendor != null && relatedParty(vendor, voucher), RejectionCode.RELATED_PARTY,
                        "The model's vendor " + (vendor == null ? "" : vendor.providerId())
                                + " and the beneficiary are related parties.")
                .reject(holder != null && !holder.equals(voucher.voucherId()), RejectionCode.DUPLICATE_CONTRACT,
                        "Contract " + command.contractRef() + " with provider " + command.providerId()
                                + " is already bound to another voucher.")
                .reject(invoicePaid, RejectionCode.DUPLICATE_INVOICE,
                        "Invoice " + command.invoiceRef() + " of provider " + command.providerId() + " was already paid.")
                .reject(voucher.remaining().isZero(), RejectionCode.VOUCHER_EXHAUSTED,
                        "Voucher " + voucher.voucherId() + " has no value left.")
                .reject(!voucher.subsidyFor(command.invoiceAmount()).isPositive(), RejectionCode.SUBSIDY_ROUNDS_TO_ZERO,
                        "Invoice amount " + command.invoiceAmount() + " is too small to yield a subsidy of at least"
                                + " one cent.")
                .enforce();
        return voucher;
    }

    /** The subsidy of a redemption that passed {@link #checkRedemption} (so it is at least one cent). */
    private static Money subsidyOf(Voucher voucher, Money invoiceAmount) {
        return voucher.subsidyFor(invoiceAmount);
    }

    private static boolean relatedParty(ProviderRecord provider, Voucher voucher) {
        String beneficiaryGroup = voucher.corporateGroup();
        return provider.id().equals(voucher.beneficiary().id())
                || (provider.group() != null && provider.group().equals(beneficiaryGroup));
    }

    @CommandHandler
    void handle(SettleRedemption command) {
        Voucher voucher = voucher(command.voucherId());
        RedemptionState redemption = voucher.redemption(command.redemptionId());
        Rules.require(redemption != null, RejectionCode.NOT_FOUND,
                "Voucher " + command.voucherId() + " has no redemption " + command.redemptionId() + ".");
        Rules.require(!redemption.settled(), RejectionCode.ALREADY_SETTLED,
                "Redemption " + command.redemptionId() + " has already been settled.");
        apply(new RedemptionSettled(programId, jurisdiction.code(), city, kind, currency, voucher.voucherId(),
                command.redemptionId(), redemption.providerId(), ((VoucherRules) rules).payee(),
                redemption.subsidy(), command.paymentRef()));
    }

    @CommandHandler
    void handle(RevokeVoucher command) {
        Voucher voucher = voucher(command.voucherId());
        Rules.check()
                .reject(voucher.status() == VoucherStatus.REVOKED, RejectionCode.VOUCHER_REVOKED,
                        "Voucher " + voucher.voucherId() + " was already revoked.")
                .reject(voucher.isExpiredAt(LedgerClock.now()), RejectionCode.VOUCHER_EXPIRED,
                        "Voucher " + voucher.voucherId() + " has expired; its value was released at expiry.")
                .reject(voucher.status() == VoucherStatus.EXHAUSTED, RejectionCode.VOUCHER_EXHAUSTED,
                        "Voucher " + voucher.voucherId() + " is fully redeemed; there is nothing to revoke.")
                .enforce();
        apply(new VoucherRevoked(programId, jurisdiction.code(), city, kind, currency, voucher.voucherId(),
                voucher.faceValue(), voucher.redeemed(), voucher.remaining(), command.reason()));
    }

    /** Expires a voucher whose time has come; a voucher not yet due, or already ended, is left as it is. */
    @CommandHandler
    boolean handle(ExpireVoucher command) {
        Voucher voucher = voucher(command.voucherId());
        if (!voucher.expiryDue(LedgerClock.now())) {
            return false;
        }
        apply(new VoucherExpired(programId, jurisdiction.code(), city, kind, currency, voucher.voucherId(),
                voucher.expiresAt(), voucher.faceValue(), voucher.redeemed(), voucher.remaining()));
        return true;
    }

    // ---------------------------------------------------------------- housing

    @CommandHandler
    void handle(GrantHousingSubsidy command, LedgerIndex index) {
        Rules.require(!grants.containsKey(command.grantId()) && !index.grantIdTaken(command.grantId()),
                RejectionCode.ALREADY_EXISTS,
                "Housing grant " + command.grantId() + " already exists.");
        Rules.check()
                .reject(closed, RejectionCode.PROGRAM_CLOSED, "Program " + programId + " is closed and makes no new grants.")
                .reject(kind != ProgramKind.HOUSING_SUBSIDY, RejectionCode.WRONG_PROGRAM_KIND,
                        "Program " + programId + " is a " + kind + " program; it makes no housing grants.")
                .reject(command.monthlyRent().currency() != currency, RejectionCode.CURRENCY_MISMATCH,
                        mismatch(command.monthlyRent()))
                .enforce();
        HousingRules housing = (HousingRules) rules;
        String personRef = command.recipient().personRef();
        HousingGrant overlapping = grantsOf(personRef).stream()
                .filter(g -> g.holdsAnyOf(command.startMonth(), housing.coveredMonths())).findFirst().orElse(null);
        Money headroom = housing.capPerRecipient().minus(supportCounted(personRef));
        List<ScheduledMonth> schedule = headroom.isPositive()
                ? housing.plan(command.startMonth(), command.monthlyRent(), headroom) : List.of();
        Money total = schedule.stream().map(ScheduledMonth::committed).reduce(Money.zero(currency), Money::plus);
        Rules.check()
                .reject(overlapping != null, RejectionCode.DUPLICATE_GRANT,
                        "Recipient " + personRef + " already holds grant "
                                + (overlapping == null ? "" : overlapping.grantId()) + " covering months from "
                                + command.startMonth() + " in program " + programId + ".")
                .reject(schedule.isEmpty(), RejectionCode.RECIPIENT_CAP_EXCEEDED,
                        "Recipient " + personRef + " has no headroom left under the cap of "
                                + housing.capPerRecipient() + " in program " + programId + ".")
                .reject(total.greaterThan(available()), RejectionCode.BUDGET_EXCEEDED,
                        "The grant would commit " + total + " but only " + available() + " is available in program "
                                + programId + ".")
                .enforce();
        apply(new HousingSubsidyGranted(programId, jurisdiction.code(), city, kind, currency, command.grantId(),
                command.recipient(), command.startMonth(), command.monthlyRent(), housing.claimWindowMonths(),
                housing.serviceMonths(), schedule, total));
    }

    @CommandHandler
    void handle(ClaimHousingSubsidy command, LedgerIndex index) {
        HousingGrant grant = grant(command.grantId());
        YearMonth month = command.month();
        Instant now = LedgerClock.now();
        MonthState state = grant.month(month);
        LeaseMonthKey leaseMonth = new LeaseMonthKey(command.leaseRef(), month);
        boolean leaseMonthPaid = paidLeaseMonths.contains(leaseMonthKey(leaseMonth)) || index.leaseMonthPaid(leaseMonth);
        Rules.check()
                .reject(grant.terminatedFor(month), RejectionCode.GRANT_TERMINATED,
                        "Housing grant " + grant.grantId() + " was terminated from " + grant.effectiveMonth() + ".")
                .reject(command.rentPaid().currency() != currency, RejectionCode.CURRENCY_MISMATCH,
                        mismatch(command.rentPaid()))
                .reject(!grant.covers(month), RejectionCode.MONTH_NOT_COVERED,
                        "Month " + month + " is outside the schedule of grant " + grant.grantId() + " ("
                                + grant.startMonth() + " to " + grant.lastCoveredMonth() + ").")
                .reject(grant.covers(month) && (!now.isBefore(grant.claimWindowEnd(month, jurisdiction))
                                || (state != null && state.status() == MonthStatus.LAPSED)),
                        RejectionCode.MONTH_NOT_COVERED,
                        "The claim window for " + month + " closed at " + grant.claimWindowEnd(month, jurisdiction) + ".")
                .reject(month.isAfter(jurisdiction.monthOf(now)), RejectionCode.CLAIM_IN_FUTURE,
                        "Month " + month + " has not begun yet in " + jurisdiction.code() + ".")
                .reject(state != null && state.status() == MonthStatus.PAID, RejectionCode.DUPLICATE_CLAIM,
                        "Month " + month + " of grant " + grant.grantId() + " has already been paid.")
                .reject(leaseMonthPaid, RejectionCode.DUPLICATE_CLAIM,
                        "Month " + month + " of lease " + command.leaseRef() + " has already been paid.")
                .reject(grant.covers(month) && state == null, RejectionCode.RECIPIENT_CAP_EXCEEDED,
                        "Month " + month + " is beyond what the recipient's cap lets grant " + grant.grantId() + " pay.")
                .enforce();
        HousingRules housing = (HousingRules) rules;
        Money eligibleRent = command.rentPaid().min(grant.monthlyRent()).min(housing.monthlyRentCap());
        Money amount = eligibleRent.times(state.rate()).min(state.committed());
        // A month before effectiveMonth paid after the termination raises what the recipient owes back (SPEC §11).
        Money clawbackDue = grant.isTerminated() ? grant.clawbackAfterPaying(month, amount) : null;
        apply(new HousingSubsidyPaid(programId, jurisdiction.code(), city, kind, currency, grant.grantId(),
                grant.recipient().personRef(), month, state.grantYear(), state.rate(), command.rentPaid(),
                command.leaseRef(), state.committed(), amount, state.committed().minus(amount), clawbackDue));
    }

    /** Releases months whose claim window has closed unclaimed; does nothing when none is due. */
    @CommandHandler
    boolean handle(LapseHousingMonths command) {
        HousingGrant grant = grant(command.grantId());
        List<MonthRelease> due = grant.monthsToLapse(LedgerClock.now(), jurisdiction);
        if (due.isEmpty()) {
            return false;
        }
        apply(new HousingMonthsLapsed(programId, jurisdiction.code(), city, kind, currency, grant.grantId(),
                grant.recipient().personRef(), due, sum(due)));
        return true;
    }

    @CommandHandler
    void handle(TerminateHousingGrant command) {
        HousingGrant grant = grant(command.grantId());
        YearMonth effective = command.effectiveMonth();
        Rules.check()
                .reject(grant.isTerminated(), RejectionCode.GRANT_TERMINATED,
                        "Housing grant " + grant.grantId() + " was already terminated.")
                .reject(effective.isBefore(grant.startMonth()) || effective.isAfter(grant.lastCoveredMonth().plusMonths(1)),
                        RejectionCode.MONTH_NOT_COVERED,
                        "effectiveMonth " + effective + " must lie between " + grant.startMonth() + " and "
                                + grant.lastCoveredMonth().plusMonths(1) + ".")
                .enforce();
        List<MonthRelease> rest = grant.monthsFrom(effective);
        Money paidBefore = grant.paidBefore(effective);
        Money paidFrom = grant.paidFrom(effective);
        int served = grant.monthsServed(effective);
        Integer service = grant.serviceMonths();
        apply(new HousingGrantTerminated(programId, jurisdiction.code(), city, kind, currency, grant.grantId(),
                grant.recipient().personRef(), command.reason(), effective, served, service, rest, sum(rest),
                paidBefore.plus(paidFrom), HousingGrant.clawback(paidBefore, paidFrom, served, service)));
    }

    // ---------------------------------------------------------------- event sourcing: assign state, never decide

    @EventSourcingHandler
    void on(ProgramLaunched event) {
        programId = event.programId();
        name = event.name();
        kind = event.programKind();
        jurisdiction = Jurisdiction.parse(event.province());
        city = event.city();
        currency = event.currency();
        rules = event.rules();
        appropriated = Money.zero(currency);
        committed = Money.zero(currency);
        disbursed = Money.zero(currency);
        paid = Money.zero(currency);
        released = Money.zero(currency);
    }

    @EventSourcingHandler
    void on(FundsAppropriated event) {
        appropriated = appropriated.plus(event.amount());
    }

    @EventSourcingHandler
    void on(FundsRescinded event) {
        appropriated = appropriated.minus(event.amount());
    }

    @EventSourcingHandler
    void on(ProgramClosed event) {
        closed = true;
    }

    @EventSourcingHandler
    void on(VoucherIssued event) {
        vouchers.put(event.voucherId(), Voucher.issued(event));
        issuedPerBeneficiary.merge(yearKey(event.fiscalYear(), event.beneficiary().id()), event.faceValue(),
                Money::plus);
        if (event.corporateGroup() != null) {
            groupOfBeneficiary.putIfAbsent(event.beneficiary().id(), event.corporateGroup());
            groupMembers.computeIfAbsent(event.corporateGroup(), g -> new HashSet<>()).add(event.beneficiary().id());
        }
        committed = committed.plus(event.faceValue());
    }

    @EventSourcingHandler
    void on(VoucherEvent event) {
        if (event instanceof VoucherIssued) {
            return; // handled above, with the voucher's creation
        }
        vouchers.get(event.voucherId()).evolve(event);
        if (event instanceof Redeemed r) {
            committed = committed.minus(r.subsidy());
            disbursed = disbursed.plus(r.subsidy());
            contractHolders.putIfAbsent(contractKey(new ContractKey(province(), r.providerId(), r.contractRef())),
                    r.voucherId());
            paidInvoices.add(localInvoiceKey(r.providerId(), r.invoiceRef()));
        } else if (event instanceof RedemptionSettled s) {
            paid = paid.plus(s.amount());
        } else if (event instanceof VoucherRevoked r) {
            release(r.released());
        } else if (event instanceof VoucherExpired e) {
            release(e.released());
        }
    }

    @EventSourcingHandler
    void on(HousingSubsidyGranted event) {
        grants.put(event.grantId(), HousingGrant.granted(event, ((HousingRules) rules).coveredMonths()));
        grantsOfPerson.computeIfAbsent(event.recipient().personRef(), p -> new ArrayList<>())
                .add(event.grantId());
        committed = committed.plus(event.committed());
    }

    @EventSourcingHandler
    void on(HousingEvent event) {
        if (event instanceof HousingSubsidyGranted) {
            return; // handled above, with the grant's creation
        }
        grants.get(event.grantId()).evolve(event);
        if (event instanceof HousingSubsidyPaid p) {
            paidLeaseMonths.add(leaseMonthKey(new LeaseMonthKey(p.leaseRef(), p.month())));
            committed = committed.minus(p.committed());
            disbursed = disbursed.plus(p.amount());
            paid = paid.plus(p.amount());
            released = released.plus(p.released());
        } else if (event instanceof HousingMonthsLapsed l) {
            release(l.released());
        } else if (event instanceof HousingGrantTerminated t) {
            release(t.released());
        }
    }

    private void release(Money amount) {
        committed = committed.minus(amount);
        released = released.plus(amount);
    }

    // ---------------------------------------------------------------- helpers

    /** {@code available = appropriated − committed − disbursed} (SPEC §4). */
    public Money available() {
        return appropriated.minus(committed).minus(disbursed);
    }

    /** The program's own running figures, for checks against figures computed independently from the log. */
    public Figures figures() {
        return new Figures(appropriated, committed, disbursed, paid, released, available());
    }

    public record Figures(Money appropriated, Money committed, Money disbursed, Money paid, Money released,
                          Money available) {
    }

    public ProgramId programId() {
        return programId;
    }

    public String name() {
        return name;
    }

    public ProgramKind kind() {
        return kind;
    }

    public Jurisdiction jurisdiction() {
        return jurisdiction;
    }

    public String city() {
        return city;
    }

    public CurrencyCode currency() {
        return currency;
    }

    public ProgramRules rules() {
        return rules;
    }

    public boolean isClosed() {
        return closed;
    }

    public Optional<Voucher> findVoucher(VoucherId voucherId) {
        return Optional.ofNullable(vouchers.get(voucherId));
    }

    public Optional<HousingGrant> findGrant(GrantId grantId) {
        return Optional.ofNullable(grants.get(grantId));
    }

    public Collection<Voucher> vouchers() {
        return Collections.unmodifiableCollection(vouchers.values());
    }

    public Collection<HousingGrant> grants() {
        return Collections.unmodifiableCollection(grants.values());
    }

    private String province() {
        return jurisdiction.code();
    }

    private Voucher voucher(VoucherId voucherId) {
        Voucher voucher = vouchers.get(voucherId);
        if (voucher == null) {
            throw Rules.rejection(RejectionCode.NOT_FOUND, "Voucher " + voucherId + " was not found.");
        }
        return voucher;
    }

    private List<HousingGrant> grantsOf(String personRef) {
        return grantsOfPerson.getOrDefault(personRef, List.of()).stream().map(grants::get).toList();
    }

    /**
     * What counts against {@code capPerRecipient} (SPEC §11): support received and still committed across the person's
     * grants in this program; released, lapsed and clawed-back amounts give headroom back.
     */
    private Money supportCounted(String personRef) {
        return grantsOf(personRef).stream().map(HousingGrant::supportCounted).reduce(Money.zero(currency), Money::plus);
    }

    private HousingGrant grant(GrantId grantId) {
        HousingGrant grant = grants.get(grantId);
        if (grant == null) {
            throw Rules.rejection(RejectionCode.NOT_FOUND, "Housing grant " + grantId + " was not found.");
        }
        return grant;
    }

    /**
     * The group a beneficiary's cap counts under: the first group recorded for its id in the province (across all
     * programs, from the index), else the first in this program, else the one it names now, else none.
     */
    private String corporateGroupOf(Beneficiary beneficiary, LedgerIndex index) {
        return index.boundGroup(province(), beneficiary.id())
                .or(() -> Optional.ofNullable(groupOfBeneficiary.get(beneficiary.id())))
                .orElse(beneficiary.group());
    }

    /**
     * Face value issued by this program in a fiscal year to a beneficiary, or — when it belongs to a group — to every
     * USCC bound to that group in the province (in this program or any other), counting what members received before
     * they were bound. A firm therefore cannot escape its cap by naming a group on a later voucher, nor a group by
     * binding its members through another program.
     */
    private Money issuedInYear(int fiscalYear, String beneficiaryId, String group, LedgerIndex index) {
        Set<String> members = new HashSet<>();
        if (group != null) {
            members.addAll(groupMembers.getOrDefault(group, Set.of()));
            // Members bound to the group through a voucher of another program of the province count too (SPEC §11).
            members.addAll(index.groupMembers(province(), group));
        }
        members.add(beneficiaryId);
        return members.stream().map(id -> issuedPerBeneficiary.getOrDefault(yearKey(fiscalYear, id), Money.zero(currency)))
                .reduce(Money.zero(currency), Money::plus);
    }

    private static String yearKey(int fiscalYear, String beneficiaryId) {
        return fiscalYear + SEP + beneficiaryId;
    }

    private static String contractKey(ContractKey key) {
        return key.province() + SEP + key.providerId() + SEP + key.contractRef();
    }

    private static String localInvoiceKey(ProviderId providerId, String invoiceRef) {
        return providerId + SEP + References.key(invoiceRef);
    }

    private static String leaseMonthKey(LeaseMonthKey key) {
        return key.leaseRef() + SEP + key.month();
    }

    private Money sum(List<MonthRelease> months) {
        return months.stream().map(MonthRelease::released).reduce(Money.zero(currency), Money::plus);
    }

    private String mismatch(Money money) {
        return "Amount in " + money.currency() + " but program " + programId + " is in " + currency + ".";
    }
}
