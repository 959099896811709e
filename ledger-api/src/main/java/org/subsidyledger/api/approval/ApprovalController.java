package org.subsidyledger.api.approval;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.subsidyledger.api.command.LedgerCommands;
import org.subsidyledger.api.command.RequestContext;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.api.http.StrictRequest;
import org.subsidyledger.api.security.ProvinceScope;
import org.subsidyledger.core.program.approval.ApprovalCommands.ApproveRequest;
import org.subsidyledger.core.program.approval.ApprovalCommands.RejectRequest;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.LedgerClock;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.RequestId;
import org.subsidyledger.core.shared.Text;

/**
 * Four eyes over HTTP (SPEC §3, §5): list and read approval requests, approve or reject one. Who may decide is who may
 * make the command: the national admin, or an officer of the request's province (another province's request is not
 * found); the program decides the rest — the maker may not approve ({@code 403 FOUR_EYES_REQUIRED}), a decided or
 * expired request is {@code 409}, and the command is decided again with every rule.
 */
@RestController
@RequestMapping(value = Responses.BASE, produces = MediaType.APPLICATION_JSON_VALUE)
public class ApprovalController {
    private static final int MAX_LISTED = 1000;

    private final ApprovalIndex index;
    private final LedgerCommands commands;
    private final ProvinceScope scope;

    public ApprovalController(ApprovalIndex index, LedgerCommands commands, ProvinceScope scope) {
        this.index = index;
        this.commands = commands;
        this.scope = scope;
    }

    /** The body of an approval: nothing, or an empty object. */
    record Approve() implements StrictRequest {}

    record Reject(String reason) implements StrictRequest {}

    @GetMapping("/approvals")
    public List<ApprovalView> list(
            @RequestParam(name = "province", required = false) String province,
            @RequestParam(name = "status", required = false) String status) {
        String code = province == null ? null : Jurisdiction.parse(province).code();
        ApprovalIndex.Status wanted = status(status);
        Instant now = LedgerClock.now();
        return index.list(ProvinceScope.listedProvince(code), wanted, now, MAX_LISTED).stream()
                .map(row -> ApprovalView.of(row, now))
                .toList();
    }

    @GetMapping("/approvals/{requestId}")
    public ApprovalView get(@PathVariable String requestId) {
        return ApprovalView.of(visible(RequestId.of(requestId)), LedgerClock.now());
    }

    @PostMapping("/approvals/{requestId}/approval")
    @Operation(summary = "ApproveRequest")
    public ApprovalView approve(
            @PathVariable String requestId, @RequestBody(required = false) Approve body, HttpServletRequest request) {
        RequestId id = RequestId.of(requestId);
        ApprovalIndex.Row row = visible(id);
        RequestContext context = RequestContext.of(request);
        commands.send(new ApproveRequest(row.programId(), id, context.principal()), context);
        return decided(id);
    }

    @PostMapping("/approvals/{requestId}/rejection")
    @Operation(summary = "RejectRequest")
    public ApprovalView reject(@PathVariable String requestId, @RequestBody Reject body, HttpServletRequest request) {
        RequestId id = RequestId.of(requestId);
        Text.requireText(body.reason(), "reason");
        ApprovalIndex.Row row = visible(id);
        RequestContext context = RequestContext.of(request);
        commands.send(new RejectRequest(row.programId(), id, context.principal(), body.reason()), context);
        return decided(id);
    }

    /** The request as its decision left it: its row committed with the decision, visibility already checked. */
    private ApprovalView decided(RequestId id) {
        Instant now = LedgerClock.now();
        return ApprovalView.of(index.find(id, now).orElseThrow(() -> notFound(id)), now);
    }

    private ApprovalIndex.Row visible(RequestId id) {
        ApprovalIndex.Row row = index.find(id, LedgerClock.now()).orElseThrow(() -> notFound(id));
        try {
            scope.requireVisible(row.programId(), "Approval request " + id);
        } catch (LedgerRejection e) {
            throw notFound(id);
        }
        return row;
    }

    private static LedgerRejection notFound(RequestId id) {
        return new LedgerRejection(RejectionCode.NOT_FOUND, "Approval request " + id + " was not found.");
    }

    private static ApprovalIndex.Status status(String status) {
        if (status == null) {
            return null;
        }
        try {
            return ApprovalIndex.Status.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new LedgerRejection(
                    RejectionCode.VALIDATION_FAILED,
                    "status '" + Text.shown(status) + "' is not PENDING, APPROVED, REJECTED or EXPIRED.");
        }
    }
}
