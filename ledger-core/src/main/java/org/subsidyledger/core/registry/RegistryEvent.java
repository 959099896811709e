package org.subsidyledger.core.registry;

import org.axonframework.serialization.Revision;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.ProviderKind;

/** Events of the national registries. Registries are national: each event carries its {@code country}. */
public sealed interface RegistryEvent {
    String country();

    @Revision("1")
    record ProviderAccredited(
            ProviderId providerId, String name, String id, ProviderKind kind, String group, String country)
            implements RegistryEvent {}

    @Revision("1")
    record ProviderAccreditationWithdrawn(ProviderId providerId, ProviderKind kind, String country, String reason)
            implements RegistryEvent {}

    @Revision("1")
    record ModelRegistered(FilingNo filingNo, String name, ProviderId vendorId, String country)
            implements RegistryEvent {}

    @Revision("1")
    record ModelDeregistered(FilingNo filingNo, ProviderId vendorId, String country, String reason)
            implements RegistryEvent {}
}
