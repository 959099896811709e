package org.subsidyledger.api.voucher;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.subsidyledger.api.approval.ApprovalAnswers;
import org.subsidyledger.api.command.LedgerCommands;
import org.subsidyledger.api.command.RequestContext;
import org.subsidyledger.api.history.EventHistory;
import org.subsidyledger.api.http.AggregateReader;
import org.subsidyledger.api.http.BeforeLookup;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.api.security.ProvinceScope;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemModelAccess;

/**
 * Issue, redeem, settle and revoke vouchers (SPEC §3), and read one (SPEC §5). A voucher is decided by its program;
 * the program is found from the voucher id in the ledger index.
 */
@RestController
@RequestMapping(value = Responses.BASE, produces = MediaType.APPLICATION_JSON_VALUE)
public class VoucherController {
    private final LedgerCommands commands;
    private final AggregateReader reader;
    private final ProvinceScope scope;
    private final ApprovalAnswers approvals;
    private final EventHistory history;

    public VoucherController(
            LedgerCommands commands,
            AggregateReader reader,
            ProvinceScope scope,
            EventHistory history,
            ApprovalAnswers approvals) {
        this.approvals = approvals;
        this.history = history;
        this.commands = commands;
        this.reader = reader;
        this.scope = scope;
    }

    @PostMapping("/programs/{programId}/vouchers")
    @Operation(summary = "IssueVoucher")
    public ResponseEntity<?> issue(
            @PathVariable String programId, @RequestBody VoucherRequests.Issue body, HttpServletRequest request) {
        ProgramId id = ProgramId.of(programId);
        IssueVoucher command = body.toCommand(id);
        scope.requireVisible(id, "Program " + id);
        // A voucher that became an approval request does not exist yet: its view is then null.
        return approvals.<VoucherView>answerOrAccept(
                send -> reader.answer(
                        Program.class,
                        id.value(),
                        program -> program.findVoucher(command.voucherId()).isPresent()
                                ? VoucherView.of(program, command.voucherId(), List.of())
                                : null,
                        send),
                () -> commands.send(command, RequestContext.of(request)),
                view -> Responses.created(
                        "/vouchers/" + command.voucherId(), view.withHistory(recentHistory(command.voucherId()))));
    }

    @PostMapping("/vouchers/{voucherId}/compute-redemptions")
    @Operation(summary = "RedeemCompute")
    public ResponseEntity<VoucherView> redeemCompute(
            @PathVariable String voucherId,
            @RequestBody VoucherRequests.ComputeRedemption body,
            HttpServletRequest request) {
        VoucherId id = VoucherId.of(voucherId);
        Function<ProgramId, RedeemCompute> build = BeforeLookup.validated(program -> body.toCommand(program, id));
        ProgramId programId = programOf(id);
        RedeemCompute command = build.apply(programId);
        return Responses.created(
                "/vouchers/" + id + "/redemptions/" + command.redemptionId(),
                answer(programId, id, () -> commands.send(command, RequestContext.of(request))));
    }

    @PostMapping("/vouchers/{voucherId}/model-redemptions")
    @Operation(summary = "RedeemModelAccess")
    public ResponseEntity<VoucherView> redeemModel(
            @PathVariable String voucherId,
            @RequestBody VoucherRequests.ModelRedemption body,
            HttpServletRequest request) {
        VoucherId id = VoucherId.of(voucherId);
        Function<ProgramId, RedeemModelAccess> build = BeforeLookup.validated(program -> body.toCommand(program, id));
        ProgramId programId = programOf(id);
        RedeemModelAccess command = build.apply(programId);
        return Responses.created(
                "/vouchers/" + id + "/redemptions/" + command.redemptionId(),
                answer(programId, id, () -> commands.send(command, RequestContext.of(request))));
    }

    @PostMapping("/vouchers/{voucherId}/redemptions/{redemptionId}/settlement")
    @Operation(summary = "SettleRedemption")
    public ResponseEntity<VoucherView> settle(
            @PathVariable String voucherId,
            @PathVariable String redemptionId,
            @RequestBody VoucherRequests.Settlement body,
            HttpServletRequest request) {
        VoucherId id = VoucherId.of(voucherId);
        RedemptionId redemption = RedemptionId.of(redemptionId);
        var build = BeforeLookup.validated(program -> body.toCommand(program, id, redemption));
        ProgramId programId = programOf(id);
        return Responses.ok(
                answer(programId, id, () -> commands.send(build.apply(programId), RequestContext.of(request))));
    }

    @PostMapping("/vouchers/{voucherId}/revocation")
    @Operation(summary = "RevokeVoucher")
    public ResponseEntity<VoucherView> revoke(
            @PathVariable String voucherId, @RequestBody VoucherRequests.Revocation body, HttpServletRequest request) {
        VoucherId id = VoucherId.of(voucherId);
        var build = BeforeLookup.validated(program -> body.toCommand(program, id));
        ProgramId programId = programOf(id);
        return Responses.ok(
                answer(programId, id, () -> commands.send(build.apply(programId), RequestContext.of(request))));
    }

    @GetMapping("/vouchers/{voucherId}/redemptions/{redemptionId}")
    public VoucherView.RedemptionView getRedemption(@PathVariable String voucherId, @PathVariable String redemptionId) {
        VoucherId id = VoucherId.of(voucherId);
        RedemptionId redemption = RedemptionId.of(redemptionId);
        return view(programOf(id), id).redemptions().stream()
                .filter(r -> r.redemptionId().equals(redemption))
                .findFirst()
                .orElseThrow(() -> new LedgerRejection(
                        RejectionCode.NOT_FOUND, "Voucher " + id + " has no redemption " + redemption + "."));
    }

    @GetMapping("/vouchers/{voucherId}")
    public VoucherView get(@PathVariable String voucherId) {
        VoucherId id = VoucherId.of(voucherId);
        return view(programOf(id), id);
    }

    /** The voucher's whole history, a page at a time (SPEC §5); the view carries only the most recent entries. */
    @GetMapping("/vouchers/{voucherId}/history")
    public EventHistory.Page history(
            @PathVariable String voucherId,
            @RequestParam(required = false) String after,
            @RequestParam(required = false) String limit) {
        VoucherId id = VoucherId.of(voucherId);
        EventHistory.Paging paging = EventHistory.Paging.parse(after, limit);
        programOf(id);
        return history.page(EventHistory.Kind.VOUCHER, id.value(), paging);
    }

    private ProgramId programOf(VoucherId voucherId) {
        return scope.programOfVoucher(voucherId);
    }

    private VoucherView view(ProgramId programId, VoucherId voucherId) {
        return reader.read(
                        Program.class,
                        programId.value(),
                        "voucher:" + voucherId.value(),
                        program -> VoucherView.of(program, voucherId, List.of()))
                .withHistory(recentHistory(voucherId));
    }

    /**
     * The answer to a command: the voucher as the command's handler left it (no second load of the program), with
     * the most recent history entries read after the commit, so they include what the command appended.
     */
    private VoucherView answer(ProgramId programId, VoucherId voucherId, Runnable send) {
        return reader.answer(
                        Program.class,
                        programId.value(),
                        program -> VoucherView.of(program, voucherId, List.of()),
                        send)
                .withHistory(recentHistory(voucherId));
    }

    private List<EventHistory.Entry> recentHistory(VoucherId voucherId) {
        return history.recent(EventHistory.Kind.VOUCHER, voucherId.value(), EventHistory.VIEW_ENTRIES);
    }
}
