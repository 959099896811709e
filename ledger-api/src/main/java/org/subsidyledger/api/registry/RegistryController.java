package org.subsidyledger.api.registry;

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
import org.subsidyledger.api.command.LedgerCommands;
import org.subsidyledger.api.command.RequestContext;
import org.subsidyledger.api.http.Enums;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.api.http.StrictRequest;
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

    record Accredit(String providerId, String name, String id, String kind, String group, String country)
            implements StrictRequest {}

    record Reason(String reason) implements StrictRequest {}

    record Register(String filingNo, String name, String vendorId) implements StrictRequest {}

    @PostMapping("/providers")
    @Operation(summary = "AccreditProvider")
    public ResponseEntity<ProviderRecord> accredit(@RequestBody Accredit body, HttpServletRequest request) {
        AccreditProvider command = new AccreditProvider(
                ProviderId.of(body.providerId()),
                body.name(),
                body.id(),
                Enums.parse(ProviderKind.class, body.kind(), "kind"),
                body.group(),
                body.country());
        commands.send(command, RequestContext.of(request));
        return Responses.created("/providers/" + command.providerId(), provider(command.providerId()));
    }

    @PostMapping("/providers/{providerId}/withdrawal")
    @Operation(summary = "WithdrawAccreditation")
    public ResponseEntity<ProviderRecord> withdraw(
            @PathVariable String providerId, @RequestBody Reason body, HttpServletRequest request) {
        ProviderId id = ProviderId.of(providerId);
        WithdrawAccreditation command = new WithdrawAccreditation(id, body.reason());
        provider(id);
        commands.send(command, RequestContext.of(request));
        return Responses.ok(provider(id));
    }

    @GetMapping("/providers/{providerId}")
    public ProviderRecord get(@PathVariable String providerId) {
        return provider(ProviderId.of(providerId));
    }

    @PostMapping("/models")
    @Operation(summary = "RegisterModel")
    public ResponseEntity<ModelRecord> register(@RequestBody Register body, HttpServletRequest request) {
        RegisterModel command =
                new RegisterModel(FilingNo.of(body.filingNo()), body.name(), ProviderId.of(body.vendorId()));
        commands.send(command, RequestContext.of(request));
        return Responses.created("/models/" + command.filingNo(), model(command.filingNo()));
    }

    @PostMapping("/models/{filingNo}/deregistration")
    @Operation(summary = "DeregisterModel")
    public ResponseEntity<ModelRecord> deregister(
            @PathVariable String filingNo, @RequestBody Reason body, HttpServletRequest request) {
        FilingNo id = FilingNo.of(filingNo);
        DeregisterModel command = new DeregisterModel(id, body.reason());
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
