package org.subsidyledger.api.program;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.subsidyledger.api.approval.ApprovalAnswers;
import org.subsidyledger.api.command.LedgerCommands;
import org.subsidyledger.api.command.RequestContext;
import org.subsidyledger.api.http.AggregateReader;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.api.security.ProvinceScope;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.program.ProgramCommands.LaunchProgram;
import org.subsidyledger.core.shared.ProgramId;

/** Launch programs and move their appropriation (SPEC §3), and read one program (SPEC §5). */
@RestController
@RequestMapping(value = Responses.BASE, produces = MediaType.APPLICATION_JSON_VALUE)
public class ProgramController {
    private final LedgerCommands commands;
    private final AggregateReader reader;
    private final ProvinceScope scope;
    private final ApprovalAnswers approvals;

    public ProgramController(
            LedgerCommands commands, AggregateReader reader, ProvinceScope scope, ApprovalAnswers approvals) {
        this.approvals = approvals;
        this.commands = commands;
        this.reader = reader;
        this.scope = scope;
    }

    @PostMapping("/programs")
    @Operation(summary = "LaunchProgram")
    public ResponseEntity<ProgramView> launch(@RequestBody ProgramRequests.Launch body, HttpServletRequest request) {
        scope.requireOwnProvince(body.province());
        LaunchProgram command = body.toCommand();
        return Responses.created(
                "/programs/" + command.programId(),
                answer(command.programId(), () -> commands.send(command, RequestContext.of(request))));
    }

    @PostMapping("/programs/{programId}/appropriations")
    @Operation(summary = "AppropriateFunds")
    public ResponseEntity<?> appropriate(
            @PathVariable String programId, @RequestBody ProgramRequests.Appropriate body, HttpServletRequest request) {
        ProgramId id = ProgramId.of(programId);
        var command = body.toCommand(id);
        scope.requireVisible(id, "Program " + id);
        return approvals.answerOrAccept(
                send -> answer(id, send), () -> commands.send(command, RequestContext.of(request)), Responses::ok);
    }

    @PostMapping("/programs/{programId}/rescissions")
    @Operation(summary = "RescindFunds")
    public ResponseEntity<?> rescind(
            @PathVariable String programId, @RequestBody ProgramRequests.Rescind body, HttpServletRequest request) {
        ProgramId id = ProgramId.of(programId);
        var command = body.toCommand(id);
        scope.requireVisible(id, "Program " + id);
        return approvals.answerOrAccept(
                send -> answer(id, send), () -> commands.send(command, RequestContext.of(request)), Responses::ok);
    }

    @PostMapping("/programs/{programId}/closure")
    @Operation(summary = "CloseProgram")
    public ResponseEntity<ProgramView> close(
            @PathVariable String programId, @RequestBody ProgramRequests.Close body, HttpServletRequest request) {
        ProgramId id = ProgramId.of(programId);
        var command = body.toCommand(id);
        scope.requireVisible(id, "Program " + id);
        return Responses.ok(answer(id, () -> commands.send(command, RequestContext.of(request))));
    }

    @GetMapping("/programs/{programId}")
    public ProgramView get(@PathVariable String programId) {
        ProgramId id = ProgramId.of(programId);
        scope.requireVisible(id, "Program " + id);
        return view(id);
    }

    /** The program as the command's handler left it (no second load). */
    private ProgramView answer(ProgramId programId, Runnable send) {
        return reader.answer(Program.class, programId.value(), ProgramView::of, send);
    }

    private ProgramView view(ProgramId programId) {
        return reader.read(Program.class, programId.value(), "program", ProgramView::of);
    }
}
