package org.subsidyledger.core.registry;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.subsidyledger.core.registry.RegistryCommands.DeregisterModel;
import org.subsidyledger.core.registry.RegistryCommands.RegisterModel;
import org.subsidyledger.core.registry.RegistryEvent.ModelDeregistered;
import org.subsidyledger.core.registry.RegistryEvent.ModelRegistered;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.LedgerIndex;
import org.subsidyledger.core.shared.LedgerIndex.ProviderRecord;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;

/** A generative model filed with the regulator. Model vouchers pay only for registered models. */
public class RegisteredModel {
    @AggregateIdentifier
    private FilingNo filingNo;

    private ProviderId vendorId;
    private String country;
    private boolean registered;

    protected RegisteredModel() {}

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RegisterModel command, LedgerIndex index) {
        Rules.require(
                !registered, RejectionCode.ALREADY_EXISTS, "Model " + command.filingNo() + " is already registered.");
        ProviderRecord vendor = index.provider(command.vendorId()).orElse(null);
        Rules.require(
                vendor != null && vendor.accredited() && vendor.kind() == ProviderKind.MODEL_VENDOR,
                RejectionCode.PROVIDER_NOT_ACCREDITED,
                "Vendor " + command.vendorId() + " is not an accredited model vendor.");
        apply(new ModelRegistered(command.filingNo(), command.name(), command.vendorId(), vendor.country()));
    }

    @CommandHandler
    void handle(DeregisterModel command) {
        Rules.require(
                registered,
                RejectionCode.MODEL_NOT_REGISTERED,
                "Model " + filingNo + " is not registered; there is nothing to deregister.");
        apply(new ModelDeregistered(filingNo, vendorId, country, command.reason()));
    }

    @EventSourcingHandler
    void on(ModelRegistered event) {
        filingNo = event.filingNo();
        vendorId = event.vendorId();
        country = event.country();
        registered = true;
    }

    @EventSourcingHandler
    void on(ModelDeregistered event) {
        registered = false;
    }
}
