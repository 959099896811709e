package org.subsidyledger.api.housing;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
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
import org.subsidyledger.core.housing.HousingCommands.ClaimHousingSubsidy;
import org.subsidyledger.core.housing.HousingCommands.GrantHousingSubsidy;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.ProgramId;

/** Grant, claim and terminate housing subsidies (SPEC §3), and read one grant (SPEC §5). */
@RestController
@RequestMapping(value = Responses.BASE, produces = MediaType.APPLICATION_JSON_VALUE)
public class HousingController {
    private final LedgerCommands commands;
    private final AggregateReader reader;
    private final ProvinceScope scope;
    private final ApprovalAnswers approvals;
    private final EventHistory history;

    public HousingController(
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

    @PostMapping("/programs/{programId}/housing-grants")
    @Operation(summary = "GrantHousingSubsidy")
    public ResponseEntity<?> grant(
            @PathVariable String programId, @RequestBody HousingRequests.Grant body, HttpServletRequest request) {
        ProgramId id = ProgramId.of(programId);
        GrantHousingSubsidy command = body.toCommand(id);
        scope.requireVisible(id, "Program " + id);
        // A grant that became an approval request does not exist yet: its view is then null.
        return approvals.<GrantView>answerOrAccept(
                send -> reader.answer(
                        Program.class,
                        id.value(),
                        program -> program.findGrant(command.grantId()).isPresent()
                                ? GrantView.of(program, command.grantId(), List.of())
                                : null,
                        send),
                () -> commands.send(command, RequestContext.of(request)),
                view -> Responses.created(
                        "/housing-grants/" + command.grantId(), view.withHistory(recentHistory(command.grantId()))));
    }

    @PostMapping("/housing-grants/{grantId}/claims")
    @Operation(summary = "ClaimHousingSubsidy")
    public ResponseEntity<GrantView> claim(
            @PathVariable String grantId, @RequestBody HousingRequests.Claim body, HttpServletRequest request) {
        GrantId id = GrantId.of(grantId);
        var build = BeforeLookup.validated(program -> body.toCommand(program, id));
        ProgramId programId = programOf(id);
        ClaimHousingSubsidy command = build.apply(programId);
        return Responses.ok(answer(programId, id, () -> commands.send(command, RequestContext.of(request))));
    }

    @PostMapping("/housing-grants/{grantId}/termination")
    @Operation(summary = "TerminateHousingGrant")
    public ResponseEntity<GrantView> terminate(
            @PathVariable String grantId, @RequestBody HousingRequests.Termination body, HttpServletRequest request) {
        GrantId id = GrantId.of(grantId);
        var build = BeforeLookup.validated(program -> body.toCommand(program, id));
        ProgramId programId = programOf(id);
        return Responses.ok(
                answer(programId, id, () -> commands.send(build.apply(programId), RequestContext.of(request))));
    }

    @GetMapping("/housing-grants/{grantId}")
    public GrantView get(@PathVariable String grantId) {
        GrantId id = GrantId.of(grantId);
        return view(programOf(id), id);
    }

    /** The grant's whole history, a page at a time (SPEC §5); the view carries only the most recent entries. */
    @GetMapping("/housing-grants/{grantId}/history")
    public EventHistory.Page history(
            @PathVariable String grantId,
            @RequestParam(required = false) String after,
            @RequestParam(required = false) String limit) {
        GrantId id = GrantId.of(grantId);
        EventHistory.Paging paging = EventHistory.Paging.parse(after, limit);
        programOf(id);
        return history.page(EventHistory.Kind.GRANT, id.value(), paging);
    }

    private ProgramId programOf(GrantId grantId) {
        return scope.programOfGrant(grantId);
    }

    private GrantView view(ProgramId programId, GrantId grantId) {
        return reader.read(
                        Program.class,
                        programId.value(),
                        "grant:" + grantId.value(),
                        program -> GrantView.of(program, grantId, List.of()))
                .withHistory(recentHistory(grantId));
    }

    /** The answer to a command: the grant as the handler left it (no second load), with its recent history. */
    private GrantView answer(ProgramId programId, GrantId grantId, Runnable send) {
        return reader.answer(
                        Program.class, programId.value(), program -> GrantView.of(program, grantId, List.of()), send)
                .withHistory(recentHistory(grantId));
    }

    private List<EventHistory.Entry> recentHistory(GrantId grantId) {
        return history.recent(EventHistory.Kind.GRANT, grantId.value(), EventHistory.VIEW_ENTRIES);
    }
}
