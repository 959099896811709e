package org.subsidyledger.api.program;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.subsidyledger.api.command.LedgerCommands;
import org.subsidyledger.api.command.RequestContext;
import org.subsidyledger.api.http.AggregateReader;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.api.http.StrictJson;
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

    public ProgramController(LedgerCommands commands, AggregateReader reader, ProvinceScope scope) {
        this.commands = commands;
        this.reader = reader;
        this.scope = scope;
    }

    @PostMapping("/programs")
    @Operation(
            summary = "LaunchProgram",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = ProgramRequests.Launch.class))))
    public ResponseEntity<ProgramView> launch(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        ProgramRequests.Launch launch = StrictJson.read(body, ProgramRequests.Launch.class);
        scope.requireOwnProvince(launch.province());
        LaunchProgram command = launch.toCommand();
        return Responses.created(
                "/programs/" + command.programId(),
                answer(command.programId(), () -> commands.send(command, RequestContext.of(request))));
    }

    @PostMapping("/programs/{programId}/appropriations")
    @Operation(
            summary = "AppropriateFunds",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = ProgramRequests.Appropriate.class))))
    public ResponseEntity<ProgramView> appropriate(
            @PathVariable String programId, @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        ProgramId id = ProgramId.of(programId);
        var command = StrictJson.read(body, ProgramRequests.Appropriate.class).toCommand(id);
        scope.requireVisible(id, "Program " + id);
        return Responses.ok(answer(id, () -> commands.send(command, RequestContext.of(request))));
    }

    @PostMapping("/programs/{programId}/rescissions")
    @Operation(
            summary = "RescindFunds",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = ProgramRequests.Rescind.class))))
    public ResponseEntity<ProgramView> rescind(
            @PathVariable String programId, @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        ProgramId id = ProgramId.of(programId);
        var command = StrictJson.read(body, ProgramRequests.Rescind.class).toCommand(id);
        scope.requireVisible(id, "Program " + id);
        return Responses.ok(answer(id, () -> commands.send(command, RequestContext.of(request))));
    }

    @PostMapping("/programs/{programId}/closure")
    @Operation(
            summary = "CloseProgram",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = ProgramRequests.Close.class))))
    public ResponseEntity<ProgramView> close(
            @PathVariable String programId, @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        ProgramId id = ProgramId.of(programId);
        var command = StrictJson.read(body, ProgramRequests.Close.class).toCommand(id);
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
        return reader.read(Program.class, programId.value(), ProgramView::of);
    }
}
