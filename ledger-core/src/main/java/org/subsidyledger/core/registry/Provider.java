package org.subsidyledger.core.registry;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.subsidyledger.core.registry.RegistryCommands.AccreditProvider;
import org.subsidyledger.core.registry.RegistryCommands.WithdrawAccreditation;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccreditationWithdrawn;
import org.subsidyledger.core.registry.RegistryEvent.ProviderAccredited;
import org.subsidyledger.core.shared.LedgerIndex;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;

/** An accredited compute provider or model vendor. A withdrawn provider may be accredited again. */
public class Provider {
    @AggregateIdentifier
    private ProviderId providerId;

    private ProviderKind kind;
    private String country;
    private boolean accredited;

    protected Provider() {}

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(AccreditProvider command, LedgerIndex index) {
        Rules.require(
                !accredited,
                RejectionCode.ALREADY_EXISTS,
                "Provider " + command.providerId() + " is already accredited.");
        // One legal identity holds at most one provider id per kind (SPEC §11), so that its invoices, keyed on the
        // legal identity, cannot be paid once under each of two ids.
        String legalIdentity = LedgerIndex.ProviderRecord.legalIdentity(command.country(), command.id());
        index.providerIdOf(legalIdentity, command.kind())
                .filter(other -> !other.equals(command.providerId()))
                .ifPresent(other -> {
                    throw Rules.rejection(
                            RejectionCode.ALREADY_EXISTS,
                            "Legal identity " + command.id() + " is already accredited as " + command.kind()
                                    + " under provider id " + other + ".");
                });
        apply(new ProviderAccredited(
                command.providerId(),
                command.name(),
                command.id(),
                command.kind(),
                command.group(),
                command.country()));
    }

    @CommandHandler
    void handle(WithdrawAccreditation command) {
        Rules.require(
                accredited,
                RejectionCode.PROVIDER_NOT_ACCREDITED,
                "Provider " + providerId + " is not accredited; there is nothing to withdraw.");
        apply(new ProviderAccreditationWithdrawn(providerId, kind, country, command.reason()));
    }

    @EventSourcingHandler
    void on(ProviderAccredited event) {
        providerId = event.providerId();
        kind = event.kind();
        country = event.country();
        accredited = true;
    }

    @EventSourcingHandler
    void on(ProviderAccreditationWithdrawn event) {
        accredited = false;
    }
}
