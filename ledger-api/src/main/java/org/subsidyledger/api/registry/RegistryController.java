package org.subsidyledger.api.registry;

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
import org.subsidyledger.api.http.Enums;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.api.http.StrictJson;
import org.subsidyledger.api.store.JdbcLedgerIndex;
import org.subsidyledger.core.registry.RegistryCommands.AccreditProvider;
import org.subsidyledger.core.registry.RegistryCommands.DeregisterModel;
import org.subsidyledger.core.registry.RegistryCommands.RegisterModel;
import org.subsidyledger.core.registry.RegistryCommands.WithdrawAccreditation;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.LedgerIndex.ModelRecord;
import org.subsidyledger.core.shared.LedgerIndex.ProviderRecord;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * The national registries (SPEC §3): accredited providers and registered models. Views come from the ledger index,
 * which is written in the same transaction as the registry's events.
 */
@RestController
@RequestMapping(value = Responses.BASE, produces = MediaType.APPLICATION_JSON_VALUE)
public class RegistryController {
    private final LedgerCommands commands;
    private final JdbcLedgerIndex index;

    public RegistryController(LedgerCommands commands, JdbcLedgerIndex index) {
        this.commands = commands;
        this.index = index;
    }

    record Accredit(String providerId, String name, String id, String kind, String group, String country) {}

    record Reason(String reason) {}

    record Register(String filingNo, String name, String vendorId) {}

    @PostMapping("/providers")
    @Operation(
            summary = "AccreditProvider",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = Accredit.class))))
    public ResponseEntity<ProviderRecord> accredit(
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        Accredit a = StrictJson.read(body, Accredit.class);
        AccreditProvider command = new AccreditProvider(
                ProviderId.of(a.providerId()),
                a.name(),
                a.id(),
                Enums.parse(ProviderKind.class, a.kind(), "kind"),
                a.group(),
                a.country());
        commands.send(command, RequestContext.of(request));
        return Responses.created("/providers/" + command.providerId(), provider(command.providerId()));
    }

    @PostMapping("/providers/{providerId}/withdrawal")
    @Operation(
            summary = "WithdrawAccreditation",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = Reason.class))))
    public ResponseEntity<ProviderRecord> withdraw(
            @PathVariable String providerId, @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        ProviderId id = ProviderId.of(providerId);
        WithdrawAccreditation command = new WithdrawAccreditation(
                id, StrictJson.read(body, Reason.class).reason());
        provider(id);
        commands.send(command, RequestContext.of(request));
        return Responses.ok(provider(id));
    }

    @GetMapping("/providers/{providerId}")
    public ProviderRecord get(@PathVariable String providerId) {
        return provider(ProviderId.of(providerId));
    }

    @PostMapping("/models")
    @Operation(
            summary = "RegisterModel",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = Register.class))))
    public ResponseEntity<ModelRecord> register(
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        Register r = StrictJson.read(body, Register.class);
        RegisterModel command = new RegisterModel(FilingNo.of(r.filingNo()), r.name(), ProviderId.of(r.vendorId()));
        commands.send(command, RequestContext.of(request));
        return Responses.created("/models/" + command.filingNo(), model(command.filingNo()));
    }

    @PostMapping("/models/{filingNo}/deregistration")
    @Operation(
            summary = "DeregisterModel",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = Reason.class))))
    public ResponseEntity<ModelRecord> deregister(
            @PathVariable String filingNo, @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        FilingNo id = FilingNo.of(filingNo);
        DeregisterModel command =
                new DeregisterModel(id, StrictJson.read(body, Reason.class).reason());
        model(id);
        commands.send(command, RequestContext.of(request));
        return Responses.ok(model(id));
    }

    @GetMapping("/models/{filingNo}")
    public ModelRecord getModel(@PathVariable String filingNo) {
        return model(FilingNo.of(filingNo));
    }

    private ProviderRecord provider(ProviderId id) {
        return index.provider(id)
                .orElseThrow(() -> new LedgerRejection(RejectionCode.NOT_FOUND, "Provider " + id + " was not found."));
    }

    private ModelRecord model(FilingNo id) {
        return index.model(id)
                .orElseThrow(() -> new LedgerRejection(RejectionCode.NOT_FOUND, "Model " + id + " was not found."));
    }
}
