package org.subsidyledger.core.program;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;
import org.subsidyledger.core.housing.GrantBook;
import org.subsidyledger.core.housing.HousingCommands.ClaimHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.LapseHousingMonths;
import org.subsidyledger.core.housing.HousingCommands.TerminateHousingGrant;
import org.subsidyledger.core.housing.HousingEvent;
import org.subsidyledger.core.housing.HousingGrant;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.program.ProgramCommands.AppropriateFunds;
import org.subsidyledger.core.program.ProgramCommands.CloseProgram;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.program.ProgramCommands.RescindFunds;
import org.subsidyledger.core.program.ProgramEvent.FundsAppropriated;
import org.subsidyledger.core.program.ProgramEvent.FundsRescinded;
import org.subsidyledger.core.program.ProgramEvent.ProgramClosed;
import org.subsidyledger.core.program.ProgramEvent.ProgramLaunched;
import org.subsidyledger.core.program.approval.ApprovalBook;
import org.subsidyledger.core.program.approval.ApprovalCommands.ApproveRequest;
import org.subsidyledger.core.program.approval.ApprovalCommands.RejectRequest;
import org.subsidyledger.core.program.approval.ApprovalEvent;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalGranted;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRejected;
import org.subsidyledger.core.program.approval.ApprovalEvent.ApprovalRequested;
import org.subsidyledger.core.program.approval.ApprovalPolicy;
import org.subsidyledger.core.program.approval.Commitment;
import org.subsidyledger.core.shared.ApprovableCommand;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.LedgerClock;
import org.subsidyledger.core.shared.LedgerIndex;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramSettings;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Voucher;
import org.subsidyledger.core.voucher.VoucherBook;
import org.subsidyledger.core.voucher.VoucherCommands.ExpireVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemModelAccess;
import org.subsidyledger.core.voucher.VoucherCommands.RevokeVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.SettleRedemption;
import org.subsidyledger.core.voucher.VoucherEvent;
import org.subsidyledger.core.voucher.VoucherSettings;

/**
 * A subsidy program and everything that draws on its budget: its vouchers and housing grants.
 *
 * <p>The program is the consistency boundary for SPEC §4's invariants. Issuing a voucher or granting housing
 * reserves budget in the same event that creates the voucher or grant, and every release (expiry, revocation,
 * shortfall, lapse, termination) is an event of this same stream, so {@code available ≥ 0} is checked against a
 * budget that is exact at every point of the log, never repaired afterwards.
 *
 * <p>This class is what Axon sees: one handler per command, which asks the program's own rules or one of its books
 * to decide and applies the one event it returns. The books hold the state their rules need — {@link VoucherBook}
 * (vouchers, caps, groups, contracts, invoices) and {@link GrantBook} (grants, recipients, lease months) — and
 * {@link BudgetTotals} the running SPEC §4 figures; event-sourcing handlers only pass each event to them.
 *
 * <p>Four eyes: a command that commits or moves money ({@link ApprovableCommand}) is decided as usual, and when what
 * it would commit or move is at or above the program's {@code approvalThreshold} the decision is not applied; an
 * {@link ApprovalRequested} holding the command is applied instead ({@link ApprovalBook}). Approving decides the
 * command again against the state at that moment, with every rule, and applies {@link ApprovalGranted} and the event.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Program {
    @AggregateIdentifier
    private ProgramId programId;

    private String name;
    private ProgramHeader header;

    @JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
    @JsonSubTypes({@JsonSubTypes.Type(VoucherSettings.class), @JsonSubTypes.Type(HousingSettings.class)})
    private ProgramSettings settings;

    private boolean closed;
    private BudgetTotals totals;
    private VoucherBook vouchers = new VoucherBook();
    private GrantBook grants = new GrantBook();
    private ApprovalBook approvals = new ApprovalBook();

    protected Program() {}

    // ---------------------------------------------------------------- program and appropriation

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(LaunchProgram command, ApprovalPolicy policy) {
        Rules.require(
                programId == null, RejectionCode.ALREADY_EXISTS, "Program " + command.programId() + " already exists.");
        ProgramSettings rules = command.rules().approvalThreshold() != null
                ? command.rules()
                : policy.defaultThreshold(command.currency())
                        .<ProgramSettings>map(command.rules()::withApprovalThreshold)
                        .orElse(command.rules());
        Rules.require(
                rules.moneyFields().stream().allMatch(m -> m.currency() == command.currency()),
                RejectionCode.CURRENCY_MISMATCH,
                "Every amount in the rules must be in the program's currency " + command.currency() + ".");
        apply(new ProgramLaunched(
                command.programId(),
                command.name(),
                command.kind(),
                command.province(),
                command.city(),
                command.currency(),
                rules));
    }

    @CommandHandler
    ApprovalRequested handle(
            AppropriateFunds command, ApprovalPolicy policy, @MetaDataValue("principal") String principal) {
        return applyOrRequest(command, null, policy, principal);
    }

    @CommandHandler
    ApprovalRequested handle(
            RescindFunds command, ApprovalPolicy policy, @MetaDataValue("principal") String principal) {
        return applyOrRequest(command, null, policy, principal);
    }

    private FundsAppropriated decideAppropriation(AppropriateFunds command) {
        Rules.check()
                .reject(
                        closed,
                        RejectionCode.PROGRAM_CLOSED,
                        "Program " + programId + " is closed and takes no new appropriations.")
                .reject(
                        header.foreign(command.amount()),
                        RejectionCode.CURRENCY_MISMATCH,
                        header.mismatch(command.amount()))
                .enforce();
        return new FundsAppropriated(header, command.amount(), command.reference(), fiscalYearNow());
    }

    private FundsRescinded decideRescission(RescindFunds command) {
        Rules.require(
                !header.foreign(command.amount()), RejectionCode.CURRENCY_MISMATCH, header.mismatch(command.amount()));
        Rules.require(
                !command.amount().greaterThan(available()),
                RejectionCode.BUDGET_COMMITTED,
                "Cannot rescind " + command.amount() + ": only " + available() + " of program " + programId
                        + " is neither committed nor disbursed.");
        return new FundsRescinded(header, command.amount(), command.reason(), fiscalYearNow());
    }

    @CommandHandler
    void handle(CloseProgram command) {
        Rules.require(!closed, RejectionCode.PROGRAM_CLOSED, "Program " + programId + " is already closed.");
        apply(new ProgramClosed(header, command.reason()));
    }

    private int fiscalYearNow() {
        return header.jurisdiction().fiscalYearOf(LedgerClock.now());
    }

    // ---------------------------------------------------------------- vouchers: the voucher book decides

    @CommandHandler
    ApprovalRequested handle(
            IssueVoucher command,
            LedgerIndex index,
            ApprovalPolicy policy,
            @MetaDataValue("principal") String principal) {
        return applyOrRequest(command, index, policy, principal);
    }

    @CommandHandler
    void handle(RedeemCompute command, LedgerIndex index) {
        apply(vouchers.decide(command, header, voucherSettings(), index));
    }

    @CommandHandler
    void handle(RedeemModelAccess command, LedgerIndex index) {
        apply(vouchers.decide(command, header, voucherSettings(), index));
    }

    @CommandHandler
    void handle(SettleRedemption command) {
        apply(vouchers.decide(command, header, voucherSettings()));
    }

    @CommandHandler
    void handle(RevokeVoucher command) {
        apply(vouchers.decide(command, header));
    }

    /** Expires a voucher whose time has come; a voucher not yet due, or already ended, is left as it is. */
    @CommandHandler
    boolean handle(ExpireVoucher command) {
        return applyIfDue(vouchers.decide(command, header));
    }

    // ---------------------------------------------------------------- housing: the grant book decides

    @CommandHandler
    ApprovalRequested handle(
            GrantHousingSubsidy command,
            LedgerIndex index,
            ApprovalPolicy policy,
            @MetaDataValue("principal") String principal) {
        return applyOrRequest(command, index, policy, principal);
    }

    @CommandHandler
    void handle(ClaimHousingSubsidy command, LedgerIndex index) {
        apply(grants.decide(command, header, housingSettings(), index));
    }

    /** Releases months whose claim window has closed unclaimed; does nothing when none is due. */
    @CommandHandler
    boolean handle(LapseHousingMonths command) {
        return applyIfDue(grants.decide(command, header));
    }

    @CommandHandler
    void handle(TerminateHousingGrant command) {
        apply(grants.decide(command, header));
    }

    // ---------------------------------------------------------------- four eyes

    /**
     * Decides {@code command}; applies its event when what it commits or moves is below the approval threshold, or
     * else the request for a second person's approval, which it answers (null when the event was applied).
     */
    private ApprovalRequested applyOrRequest(
            ApprovableCommand command, LedgerIndex index, ApprovalPolicy policy, String maker) {
        Object event = decide(command, index);
        Money amount = Commitment.amountOf(event);
        Money threshold = settings.approvalThreshold();
        if (!ApprovalBook.needsApproval(threshold, amount)) {
            apply(event);
            return null;
        }
        ApprovalRequested requested =
                approvals.request(header, command, amount, threshold, maker, policy.requestLifetime());
        apply(requested);
        return requested;
    }

    /**
     * Approves a pending request: decided again against the program as it is now, every rule applying with its code;
     * answers the event applied after {@link ApprovalGranted}, which carries the maker in its metadata too.
     */
    @CommandHandler
    Object handle(ApproveRequest command, LedgerIndex index) {
        ApprovalBook.Request request = approvals.approvable(command.requestId(), command.checker());
        Object event = decide(request.command(), index);
        apply(new ApprovalGranted(
                header,
                request.requestId(),
                request.command().action(),
                Commitment.amountOf(event),
                request.maker(),
                command.checker()));
        apply(
                event,
                MetaData.with("approvalRequestId", request.requestId().value()).and("maker", request.maker()));
        return event;
    }

    @CommandHandler
    void handle(RejectRequest command) {
        ApprovalBook.Request request = approvals.rejectable(command.requestId());
        apply(new ApprovalRejected(
                header,
                request.requestId(),
                request.command().action(),
                request.amount(),
                request.maker(),
                command.checker(),
                command.reason()));
    }

    /** The event {@code command} would append now, or the rejection it breaks. */
    private Object decide(ApprovableCommand command, LedgerIndex index) {
        if (command instanceof IssueVoucher issue) {
            return vouchers.decide(issue, header, voucherSettings(), closed, available(), index);
        }
        if (command instanceof GrantHousingSubsidy grant) {
            return grants.decide(grant, header, housingSettings(), closed, available(), index);
        }
        if (command instanceof AppropriateFunds appropriation) {
            return decideAppropriation(appropriation);
        }
        if (command instanceof RescindFunds rescission) {
            return decideRescission(rescission);
        }
        throw new IllegalArgumentException("Not a command that may need approval: " + command);
    }

    /** Applies the event a time-driven command found due, if any; answers whether there was one. */
    private static boolean applyIfDue(Optional<?> event) {
        event.ifPresent(AggregateLifecycle::apply);
        return event.isPresent();
    }

    // ---------------------------------------------------------------- event sourcing: assign state, never decide

    @EventSourcingHandler
    void on(ProgramLaunched event) {
        programId = event.programId();
        name = event.name();
        header = event.header();
        settings = event.rules();
        totals = BudgetTotals.zero(event.currency());
    }

    @EventSourcingHandler
    void on(FundsAppropriated event) {
        totals.evolve(event);
    }

    @EventSourcingHandler
    void on(FundsRescinded event) {
        totals.evolve(event);
    }

    @EventSourcingHandler
    void on(ProgramClosed event) {
        closed = true;
    }

    @EventSourcingHandler
    void on(ApprovalEvent event) {
        approvals.evolve(event);
    }

    @EventSourcingHandler
    void on(VoucherEvent event) {
        vouchers.evolve(event);
        totals.evolve(event);
    }

    @EventSourcingHandler
    void on(HousingEvent event) {
        grants.evolve(event, housingSettings());
        totals.evolve(event);
    }

    // ---------------------------------------------------------------- reading

    /** {@code available = appropriated − committed − disbursed} (SPEC §4). */
    public Money available() {
        return totals.available();
    }

    /** The program's own running figures, for checks against figures computed independently from the log. */
    public Figures figures() {
        return totals.figures();
    }

    public record Figures(
            Money appropriated, Money committed, Money disbursed, Money paid, Money released, Money available) {}

    public ProgramId programId() {
        return programId;
    }

    public String name() {
        return name;
    }

    /** The program, its jurisdiction, city, kind and currency, as its events name them. */
    public ProgramHeader header() {
        return header;
    }

    /** The settings the program was launched with (its {@code rules} in SPEC §3). */
    public ProgramSettings settings() {
        return settings;
    }

    public boolean isClosed() {
        return closed;
    }

    public Optional<Voucher> findVoucher(VoucherId voucherId) {
        return vouchers.find(voucherId);
    }

    public Optional<HousingGrant> findGrant(GrantId grantId) {
        return grants.find(grantId);
    }

    /**
     * When each approval request not yet approved or rejected expires; those after an instant are the requests still
     * waiting for their checker then ({@link ApprovalBook#waitingAt}).
     */
    public List<Instant> undecidedApprovalExpiries() {
        return approvals.undecidedExpiries();
    }

    public Collection<Voucher> vouchers() {
        return vouchers.all();
    }

    public Collection<HousingGrant> grants() {
        return grants.all();
    }

    /** The voucher settings of a voucher program; null for a housing program (its books refuse vouchers first). */
    private VoucherSettings voucherSettings() {
        return settings instanceof VoucherSettings voucher ? voucher : null;
    }

    /** The housing settings of a housing program; null for a voucher program (its books refuse grants first). */
    private HousingSettings housingSettings() {
        return settings instanceof HousingSettings housing ? housing : null;
    }
}
